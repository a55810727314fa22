import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import type { Request, Response } from 'express';
import { InvalidArgumentError } from '../errors/domain-error';
import { answerRaw } from './envelope';
import { RAW_RESPONSE } from './raw-response.decorator';

/** Keys that name JavaScript internals, never a field of ours: refused, never silently dropped. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Why a piece of text cannot be accepted, or undefined when it can. PostgreSQL stores neither NUL nor lone surrogates. */
function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character';
  if (!text.isWellFormed()) return 'contains invalid Unicode (a lone surrogate)';
  return undefined;
}

/**
 * Checks every key and string of a parsed value, iteratively (the body's depth is bounded by the
 * parser, but this walk would not need it). Throws 400 naming the first offending field.
 */
export function assertAcceptableInput(value: unknown, where: string): void {
  const pending: { value: unknown; path: string }[] = [{ value, path: '' }];
  while (pending.length > 0) {
    const { value: current, path } = pending.pop()!;
    if (typeof current === 'string') {
      const problem = textProblem(current);
      if (problem) throw new InvalidArgumentError(`${where}${path ? ` ${path}` : ''} ${problem}`);
    } else if (typeof current === 'object' && current !== null) {
      for (const key of Object.keys(current)) {
        const child = path ? (Array.isArray(current) ? `${path}[${key}]` : `${path}.${key}`) : key;
        const problem = FORBIDDEN_KEYS.has(key) ? 'is not allowed' : textProblem(key);
        if (problem) throw new InvalidArgumentError(`${where} field name ${JSON.stringify(key).slice(0, 80)} ${problem}`);
        pending.push({ value: (current as Record<string, unknown>)[key], path: child });
      }
    }
  }
}

interface RouteShape {
  takesBody: boolean;
  /** Query keys the route reads one by one; `undefined` when it takes the whole query as a DTO (validated there). */
  queryKeys: Set<string> | undefined;
  /** @RawResponse(): the route answers in its own format, not in the envelope. */
  raw: boolean;
}

const shapes = new WeakMap<object, RouteShape>();

/**
 * What a handler reads from the request, from Nest's own parameter metadata (@Body, @Query), and
 * whether it answers raw, worked out once per handler.
 */
function shapeOf(context: ExecutionContext, reflector: Reflector): RouteShape {
  const handler = context.getHandler();
  let shape = shapes.get(handler);
  if (!shape) {
    const args: Record<string, { data?: unknown }> =
      Reflect.getMetadata(ROUTE_ARGS_METADATA, context.getClass(), handler.name) ?? {};
    const ofType = (type: RouteParamtypes) =>
      Object.entries(args)
        .filter(([key]) => key.split(':')[0] === String(type))
        .map(([, arg]) => arg.data);
    const queries = ofType(RouteParamtypes.QUERY);
    shape = {
      takesBody: ofType(RouteParamtypes.BODY).length > 0,
      queryKeys: queries.some((data) => data === undefined) ? undefined : new Set(queries.map(String)),
      raw: reflector.getAllAndOverride<boolean>(RAW_RESPONSE, [handler, context.getClass()]) === true,
    };
    shapes.set(handler, shape);
  }
  return shape;
}

/**
 * Every route refuses what it does not read: query parameters it has no use for, and a body when
 * it takes none (an empty object is tolerated: some clients always send one). Path parameters are
 * held to the same text rules as the body and the query. Marks the responses of @RawResponse()
 * routes, which the envelope leaves as they are.
 *
 * A guard, not an interceptor (interceptors put an rxjs chain on every request), registered by
 * createApp after the modules' guards: a request is authenticated before its input is judged.
 */
@Injectable()
export class RouteBoundaryGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const http = context.switchToHttp();
    const req = http.getRequest<Request>();
    const shape = shapeOf(context, this.reflector);
    if (shape.raw) answerRaw(http.getResponse<Response>());
    if (shape.queryKeys) {
      const unknown = Object.keys(req.query).find((key) => !shape.queryKeys!.has(key));
      if (unknown !== undefined) throw new InvalidArgumentError(`unknown query parameter ${unknown}`);
    }
    const body: unknown = req.body;
    if (!shape.takesBody && body !== undefined && !(isPlainObject(body) && Object.keys(body).length === 0)) {
      throw new InvalidArgumentError(`${req.method} ${req.route?.path ?? req.path} takes no request body`);
    }
    assertAcceptableInput(req.params, 'path parameter');
    return true;
  }
}

function isPlainObject(value: unknown): value is object {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
