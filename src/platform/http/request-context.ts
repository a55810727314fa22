import type { Request } from 'express';
import type { Origin } from '@chime/event-log';

/** The authenticated caller. */
export interface Actor {
  uuid: string;
  name: string;
  role: number;
}

/** Fields the server adds to Express's request: `id` is set by requestId, `actor` by the token guard. */
export interface ChimeRequest extends Request {
  id: string;
  actor?: Actor;
}

const origins = new WeakMap<object, Origin>();

/**
 * The request as the origin of what it causes (API.md §6.1): controllers hand it to every command
 * they send (see RequestOrigin), and the events the command appends and the audit trail's entries
 * copy it. It is passed explicitly, never looked up from an async context: on the server's Node,
 * an `AsyncLocalStorage` slows every promise of every request (issue 21).
 *
 * Made once per request. The address and the redacted body are worked out only when something asks
 * (an event, the audit trail): most requests are reads that never do. The user is read from the
 * request when asked, so it is there as soon as the token guard has set it.
 */
export function originOf(req: ChimeRequest): Origin {
  let origin = origins.get(req);
  if (!origin) {
    let ip: string | undefined;
    let input: string | undefined;
    // Getters in an object literal are own enumerable properties: spreading the origin or writing
    // it as JSON (the event's metadata) reads them.
    origin = {
      request_id: String(req.id),
      method: req.method,
      path: req.originalUrl.split('?')[0],
      get ip() {
        return (ip ??= req.ip ?? '');
      },
      get input() {
        return (input ??= redactedInput(req.body));
      },
      get user_uuid() {
        return req.actor?.uuid ?? null;
      },
      get user_name() {
        return req.actor?.name ?? null;
      },
    };
    origins.set(req, origin);
  }
  return origin;
}

/** `password`, `token`, and any key ending in `_password` or `_token` (an agent's `join_token`). */
const SECRET_KEY = /(^|_)(password|token)$/;

/** The body as a JSON string with every secret's value (see SECRET_KEY), at any depth, replaced by "***". */
export function redactedInput(body: unknown): string {
  if (body === undefined || body === null) return '';
  if (typeof body === 'object' && Object.keys(body).length === 0) return '';
  return JSON.stringify(body, (key, value: unknown) => (SECRET_KEY.test(key) ? '***' : value));
}
