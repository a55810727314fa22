import { AsyncLocalStorage } from 'node:async_hooks';
import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable } from 'rxjs';
import type { EventMetadata } from '@chime/event-log';

/** The authenticated caller. */
export interface Actor {
  uuid: string;
  name: string;
  role: number;
}

/** What the server knows about the request being handled; set by the guard and this interceptor. */
export interface RequestContext {
  requestId: string;
  ip: string;
  method: string;
  path: string;
  /** The request body, redacted (see redactedInput). */
  input: string;
  actor?: Actor;
}

/** Fields the server adds to Express's request: `id` is set by pino-http, `actor` by the token guard. */
export interface ChimeRequest extends Request {
  id: string;
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();

export function contextOf(req: ChimeRequest): RequestContext {
  return {
    requestId: String(req.id),
    ip: req.ip ?? '',
    method: req.method,
    path: req.originalUrl.split('?')[0],
    input: redactedInput(req.body),
    actor: req.actor,
  };
}

const SECRET_KEYS = new Set(['password', 'token']);

/** The body as a JSON string with every `password` and `token` value, at any depth, replaced by "***". */
export function redactedInput(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'object' && Object.keys(body).length === 0) return '';
  return JSON.stringify(body, (key, value: unknown) => (SECRET_KEYS.has(key) ? '***' : value));
}

export const RequestContext = {
  /** The current request's context, or undefined outside a request (start-up, background work). */
  current(): RequestContext | undefined {
    return storage.getStore();
  },

  run<T>(context: RequestContext, fn: () => T): T {
    return storage.run(context, fn);
  },

  /** Event metadata for whatever the current request causes (API.md §6.1). */
  eventMetadata(): EventMetadata {
    const ctx = storage.getStore();
    return {
      request_id: ctx?.requestId ?? null,
      user_uuid: ctx?.actor?.uuid ?? null,
      user_name: ctx?.actor?.name ?? null,
      ip: ctx?.ip ?? null,
      method: ctx?.method ?? null,
      path: ctx?.path ?? null,
      input: ctx?.input ?? null,
    };
  },
};

/**
 * Makes the request's context available to everything the handler calls (command handlers, the
 * unit of work). Set here, after body parsing and the guards, because stream callbacks in body
 * parsing lose async context.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const ctx = contextOf(context.switchToHttp().getRequest<ChimeRequest>());
    return new Observable((subscriber) => storage.run(ctx, () => next.handle().subscribe(subscriber)));
  }
}
