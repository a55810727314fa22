import pino from 'pino';
import type { Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import type { Metrics } from './metrics';
import { terminalLines } from './terminal-lines';

/** Tokens never belong in a URL, but if a client puts one there it still stays out of the log. */
const SECRET_QUERY_VALUE = /((?:[?&])[\w.-]*(?:token|password|credentials?|secrets?)=)[^&]*/gi;

/**
 * Fields whose value never reaches the log, in either format (pino replaces it before the line is
 * written). Top-level keys only, and `err.parameters` (a driver error's statement parameters): a
 * wildcard path (`*.password`) made a line 9× dearer and a path into `req` (which every request
 * line has) 2×, while these cost nothing measurable. No log line carries a body or headers;
 * request bodies reach the operation log redacted by `redactedInput`.
 */
export const REDACTED_PATHS = [
  'password',
  'vnc_password',
  'token',
  'join_token',
  'credential',
  'credentials',
  'secrets',
  'authorization',
  'err.parameters',
];

/**
 * The application's pino logger (DI token): what `requestTelemetry` writes through, and Nest's
 * `Logger` through `NestLogger` (nest-logger.ts). There is no logger per request: a child logger
 * and wrapped serializers per request (the pino-http middleware nestjs-pino mounted) cost more than
 * the rest of a cached read (`npm run bench:http`); `requestTelemetry` writes the line per request.
 */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/** `auto` (the default): readable lines when stdout is a terminal, JSON lines otherwise. */
export function readableLogs(format: AppConfig['LOG_FORMAT'], isTTY: boolean): boolean {
  return format === 'pretty' || (format === 'auto' && isTTY);
}

/**
 * Structured JSON lines on stdout, or readable lines on a terminal (see `readableLogs`). A line
 * about a request names it with `reqId`, given by whoever writes the line (the request's own line,
 * the error filter): the server keeps no async context to find the request by (see originOf).
 * Lines go out through an asynchronous destination, which batches them under load and is flushed
 * when the process exits; readable lines are made from the JSON line pino wrote (so both show the
 * same, redacted data), and in JSON mode the formatter is not on the path at all.
 */
export function createRootLogger(
  config: Pick<AppConfig, 'LOG_LEVEL' | 'LOG_FORMAT'>,
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: false }),
  terminal: { isTTY: boolean; colors: boolean } = {
    isTTY: process.stdout.isTTY === true,
    colors: process.stdout.isTTY === true && !process.env.NO_COLOR,
  },
): pino.Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      redact: { paths: REDACTED_PATHS, censor: '***' },
    },
    readableLogs(config.LOG_FORMAT, terminal.isTTY) ? terminalLines(destination, terminal.colors) : destination,
  );
}

/** The URL as logged: a secret-looking query value replaced (see SECRET_QUERY_VALUE). */
function loggedUrl(url: string): string {
  return url.includes('?') ? url.replace(SECRET_QUERY_VALUE, '$1***') : url;
}

/**
 * Watches every request from its start (createApp's first middleware, after the request id): when
 * the response is finished it writes the request's log line and counts it in the metrics, labelled
 * by the route pattern (never the raw URL); a request the client abandoned is logged as such.
 */
export function requestTelemetry(metrics: Metrics, logger: pino.Logger) {
  return (req: Request, res: Response): void => {
    const started = performance.now();
    // 'close' comes once per response: after 'finish' when it was sent, alone when the client left.
    res.once('close', () => {
      const ms = performance.now() - started;
      const routePath = (req.route as { path?: string } | undefined)?.path;
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.observe(req.method, routePath ? `${req.baseUrl}${routePath}` : 'unmatched', status, ms / 1000);
      const id = (req as Request & { id: string }).id;
      const line = {
        reqId: id,
        req: {
          id,
          method: req.method,
          url: loggedUrl(req.originalUrl),
          remoteAddress: req.socket.remoteAddress,
        },
        res: { statusCode: status },
        responseTime: Math.round(ms),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (status >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    });
  };
}
