import { AsyncLocalStorage } from 'node:async_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { EventMetadata } from '@chime/event-log';

/** The authenticated caller. */
export interface Actor {
  uuid: string;
  name: string;
  role: number;
}

/** What the server knows about the request being handled (see contextOf). */
export interface RequestContext {
  requestId: string;
  ip: string;
  method: string;
  path: string;
  /** The request body, redacted (see redactedInput). */
  input: string;
  actor?: Actor;
}

/** Fields the server adds to Express's request: `id` is set by requestId, `actor` by the token guard. */
export interface ChimeRequest extends Request {
  id: string;
  actor?: Actor;
}

const storage = new AsyncLocalStorage<RequestContext>();
const contexts = new WeakMap<object, RequestContext>();

/**
 * The request's context, made once per request. The address and the redacted body are worked out
 * only when something asks (an event, the audit trail): most requests are reads that never do.
 * `actor` is read from the request, so it is there as soon as the token guard has set it.
 */
export function contextOf(req: ChimeRequest): RequestContext {
  let context = contexts.get(req);
  if (!context) {
    let ip: string | undefined;
    let input: string | undefined;
    context = {
      requestId: String(req.id),
      method: req.method,
      path: req.originalUrl.split('?')[0],
      get ip() {
        return (ip ??= req.ip ?? '');
      },
      get input() {
        return (input ??= redactedInput(req.body));
      },
      get actor() {
        return req.actor;
      },
    };
    contexts.set(req, context);
  }
  return context;
}

/** `password`, `token`, and any key ending in `_password` or `_token` (an agent's `join_token`). */
const SECRET_KEY = /(^|_)(password|token)$/;

/** The body as a JSON string with every secret's value (see SECRET_KEY), at any depth, replaced by "***". */
export function redactedInput(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'object' && Object.keys(body).length === 0) return '';
  return JSON.stringify(body, (key, value: unknown) => (SECRET_KEY.test(key) ? '***' : value));
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
 * Middleware: makes the request's context available to everything that handles the request
 * (guards, command handlers, the unit of work, log lines). Registered after body parsing: the
 * parser's stream callbacks would not carry an async context set before it.
 */
export function requestScope(req: Request, _res: Response, next: NextFunction): void {
  storage.run(contextOf(req as ChimeRequest), next);
}
