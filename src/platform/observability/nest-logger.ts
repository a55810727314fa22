import type { LoggerService } from '@nestjs/common';
import type pino from 'pino';

type Level = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

/** What Nest's exception handlers pass as the second argument of `error(message, stack, context)`. */
const STACK = /\n\s*at /;

/**
 * Nest's logger (`app.useLogger`): every `Logger` of the server, and Nest's own start-up lines,
 * write through the root pino logger, so they have its format, redaction and request-id mixin.
 * Nest passes the logger's context as the last argument: it becomes the line's `context` field.
 * A message that is an object is merged into the line's fields (`logger.warn({ err }, 'text')`), an
 * Error becomes `err`, and `error(message, stack, context)` (Nest's exception handlers) is logged
 * as an `err` carrying that stack. `verbose` is pino's `trace`.
 *
 * This replaces nestjs-pino, which did the same (these are its rules) but also needs pino-http and
 * declares Node ≥ 22. There is no logger per request: `requestTelemetry` writes the request's line.
 */
export class NestLogger implements LoggerService {
  constructor(private readonly root: pino.Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }

  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }

  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }

  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }

  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  fatal(message: unknown, ...params: unknown[]): void {
    this.write('fatal', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const fields: Record<string, unknown> = {};
    let rest = params;
    if (params.length > 0) {
      fields.context = params[params.length - 1];
      rest = params.slice(0, -1);
    }
    const log = this.root[level].bind(this.root) as (fields: object, ...args: unknown[]) => void;
    if (typeof message === 'object' && message !== null) {
      if (message instanceof Error) fields.err = message;
      else Object.assign(fields, message);
      log(fields, ...rest);
    } else if (level === 'error' && typeof message === 'string' && isStack(rest)) {
      const err = new Error(message);
      err.stack = rest[0];
      fields.err = err;
      log(fields);
    } else {
      // Nest's `Logger.error('text')` passes `undefined` for the stack it was not given.
      if (level === 'error' && rest.length === 1 && rest[0] === undefined) rest = [];
      log(fields, message, ...rest);
    }
  }
}

function isStack(params: unknown[]): params is [string] {
  return params.length === 1 && typeof params[0] === 'string' && STACK.test(params[0]);
}
