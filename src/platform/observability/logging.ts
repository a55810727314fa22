import type { Params } from 'nestjs-pino';
import pino from 'pino';
import type { NextFunction, Request, Response } from 'express';
import { AppConfig } from '../config/app-config';
import { RequestContext } from '../http/request-context';
import type { Metrics } from './metrics';

/** Tokens never belong in a URL, but if a client puts one there it still stays out of the log. */
const SECRET_QUERY_VALUE = /((?:[?&])(?:token|access_token|password)=)[^&]*/gi;

/** The application's pino logger (DI token): what `requestTelemetry` writes through. */
export const ROOT_LOGGER = Symbol('ROOT_LOGGER');

/**
 * Structured JSON lines on stdout. Each line written while a request is handled carries that
 * request's `reqId` (the mixin reads the request's context). Lines go out through an asynchronous
 * destination, which batches them under load and is flushed when the process exits.
 */
export function createRootLogger(
  config: Pick<AppConfig, 'LOG_LEVEL'>,
  destination: pino.DestinationStream = pino.destination({ dest: 1, sync: false }),
): pino.Logger {
  return pino(
    {
      level: config.LOG_LEVEL,
      mixin: (fields: object) => {
        const context = RequestContext.current();
        return context && !('reqId' in fields) ? { reqId: context.requestId } : {};
      },
    },
    destination,
  );
}

/**
 * nestjs-pino makes the root logger Nest's logger (every `Logger` of the server writes through
 * it). Its pino-http middleware is bound to no route: a child logger and wrapped serializers per
 * request cost more than the rest of a cached read (`npm run bench:http`); `requestTelemetry`
 * writes the line per request instead.
 */
export function loggingOptions(root: pino.Logger): Params {
  return { pinoHttp: { logger: root }, forRoutes: [] };
}

/**
 * First middleware of every request (after the request id): when the response is finished it
 * writes the request's log line and counts it in the metrics, labelled by the route pattern
 * (never the raw URL); a request the client abandoned is logged as such.
 */
export function requestTelemetry(metrics: Metrics, logger: pino.Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const done = () => {
      res.off('finish', done);
      res.off('close', done);
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
          url: req.originalUrl.replace(SECRET_QUERY_VALUE, '$1***'),
          remoteAddress: req.socket.remoteAddress,
        },
        res: { statusCode: status },
        responseTime: Math.round(ms),
      };
      if (!res.writableFinished) logger.warn(line, 'request aborted');
      else if (status >= 500) logger.error(line, 'request errored');
      else logger.info(line, 'request completed');
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}
