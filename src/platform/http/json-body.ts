import type { IncomingMessage } from 'node:http';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { json } from 'express';
import { DomainError, InvalidArgumentError, PayloadTooLargeError } from '../errors/domain-error';
import { assertAcceptableInput } from './input-boundary';

/** Request bodies above this are refused with 413 (API.md §1.1). */
export const BODY_LIMIT_BYTES = 1024 * 1024;
/** Deeper JSON is refused before anything walks it, so no walk of client input can exhaust the stack. */
export const MAX_JSON_DEPTH = 64;

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** Whether the request's Content-Type is JSON (`application/json`, `application/*+json`), parameters aside. */
function isJsonType(req: IncomingMessage): boolean {
  const type = (req.headers['content-type'] ?? '').split(';')[0].trim();
  return JSON_TYPE.test(type);
}

/** Whether the request carries a body: chunked, or a Content-Length above zero. */
function hasBody(req: IncomingMessage): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length.trim() !== '0';
}

/** Thrown inside body-parser's `verify` hook; its `type` names it below. */
class TooDeepError extends Error {
  readonly type = 'entity.too.deep';
  readonly status = 400;
}

/**
 * Counts the nesting of a JSON text in one pass over its bytes, outside strings. Iterative and
 * linear, so a body of a million `[` costs one loop, not a stack.
 */
export function assertJsonDepth(bytes: Uint8Array, max = MAX_JSON_DEPTH): void {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const byte = bytes[i];
    if (inString) {
      if (byte === 0x5c /* \ */) i++;
      else if (byte === 0x22 /* " */) inString = false;
    } else if (byte === 0x22) {
      inString = true;
    } else if (byte === 0x7b /* { */ || byte === 0x5b /* [ */) {
      if (++depth > max) throw new TooDeepError();
    } else if (byte === 0x7d /* } */ || byte === 0x5d /* ] */) {
      depth--;
    }
  }
}

/**
 * body-parser's failures by their `type`, with fixed messages: a parser's own message may quote
 * the body, and the body may hold a password.
 */
const PARSE_FAILURES: Record<string, () => DomainError> = {
  'entity.parse.failed': () => new InvalidArgumentError('the request body is not valid JSON'),
  'entity.too.deep': () => new InvalidArgumentError(`the request body is nested too deeply (at most ${MAX_JSON_DEPTH} levels)`),
  'entity.too.large': () => new PayloadTooLargeError('the request body is larger than 1 MiB'),
  'encoding.unsupported': () => new InvalidArgumentError('unsupported Content-Encoding'),
  'charset.unsupported': () => new InvalidArgumentError('unsupported charset; send UTF-8 JSON'),
  'request.aborted': () => new InvalidArgumentError('the request was aborted'),
  'request.size.invalid': () => new InvalidArgumentError('the request body does not match its Content-Length'),
};

function describeParseFailure(error: unknown): unknown {
  const type = (error as { type?: string } | null)?.type;
  const failure = type === undefined ? undefined : PARSE_FAILURES[type];
  return failure ? failure() : new InvalidArgumentError('the request body cannot be read');
}

/** The body and the query string hold no text the database cannot store and no forbidden keys. */
function acceptable(req: Request, next: NextFunction): void {
  try {
    assertAcceptableInput(req.body, 'body');
    assertAcceptableInput(req.query, 'query parameter');
  } catch (error) {
    next(error);
    return;
  }
  next();
}

/**
 * The one way a request body enters the server: JSON only (a body of any other Content-Type is a
 * 400 that says so, instead of being ignored), at most 1 MiB, nested at most 64 levels, objects and
 * arrays only at the top (`strict`). Parse failures leave as 400/413 with fixed messages. Then,
 * before anything (guards, the audit trail) looks at them, the body and the query are held to the
 * text rules of assertAcceptableInput. A request without a body skips the parser.
 */
export function jsonBody(): RequestHandler {
  const parse = json({
    limit: BODY_LIMIT_BYTES,
    strict: true,
    type: isJsonType,
    verify: (_req, _res, buf) => assertJsonDepth(buf),
  });
  return (req: Request, res: Response, next: NextFunction) => {
    if (hasBody(req) && !isJsonType(req)) {
      next(new InvalidArgumentError('the request body must be JSON, sent with Content-Type: application/json'));
      return;
    }
    // No body at all (most requests: reads); body-parser would skip it too. An empty declared body
    // (Content-Length: 0) still goes through it and becomes {}.
    if (req.headers['content-length'] === undefined && req.headers['transfer-encoding'] === undefined) {
      acceptable(req, next);
      return;
    }
    parse(req, res, (error?: unknown) => (error === undefined ? acceptable(req, next) : next(describeParseFailure(error))));
  };
}
