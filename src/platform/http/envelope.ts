import { ExpressAdapter } from '@nestjs/platform-express';
import type { SuccessEnvelope } from '@chime/contracts';
import type { Response } from 'express';
import type { ChimeRequest } from './request-context';

/** Responses of routes that answer in their own format (see RawResponse), marked by the RouteBoundaryGuard. */
const rawResponses = new WeakSet<object>();

/** The route handling this response answers as it is, not in the envelope. */
export function answerRaw(res: object): void {
  rawResponses.add(res);
}

/** What a successful result becomes on the wire (API.md §1.1). */
export function envelope(requestId: string, result: unknown): SuccessEnvelope<unknown> {
  return { requestId, result: result ?? null };
}

/**
 * Platform-express with every successful handler result sent as `{requestId, result}`. Nest hands
 * each handler's result to `reply` (errors take the ErrorFilter's way): wrapping it here rather than
 * in an interceptor keeps rxjs — an Observable chain and a subject per request — off the request
 * path (`npm run bench:http`). The envelope is written as the JSON it is, with its type and length,
 * straight to Node's response: Express's `res.json`/`res.send` would only work out again what is
 * known here (JSON settings, charset, a freshness check against an ETag the server never sets).
 */
export class EnvelopeExpressAdapter extends ExpressAdapter {
  override reply(response: Response, body: unknown, statusCode?: number): unknown {
    if (rawResponses.has(response)) return super.reply(response, body, statusCode);
    const json = JSON.stringify(envelope(String((response.req as ChimeRequest).id), body));
    if (statusCode) response.statusCode = statusCode;
    response.setHeader('Content-Type', 'application/json; charset=utf-8');
    response.setHeader('Content-Length', Buffer.byteLength(json));
    return response.end(json);
  }
}
