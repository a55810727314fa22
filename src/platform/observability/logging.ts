import type { Params } from 'nestjs-pino';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppConfig } from '../config/app-config';

/** Tokens never belong in a URL, but if a client puts one there it still stays out of the log. */
const SECRET_QUERY_VALUE = /((?:[?&])(?:token|access_token|password)=)[^&]*/gi;

/** Structured JSON logs; each request's lines carry its `reqId` (the request id). */
export function loggingOptions(config: AppConfig): Params {
  return {
    pinoHttp: {
      level: config.LOG_LEVEL,
      genReqId: (req: IncomingMessage) => (req as IncomingMessage & { id: string }).id,
      redact: { paths: ['req.headers.authorization', 'req.headers.cookie'], censor: '***' },
      customLogLevel: (_req: IncomingMessage, res: ServerResponse, err?: Error) =>
        err || res.statusCode >= 500 ? 'error' : 'info',
      serializers: {
        req: (req: { id: string; method: string; url: string; remoteAddress?: string }) => ({
          id: req.id,
          method: req.method,
          url: req.url.replace(SECRET_QUERY_VALUE, '$1***'),
          remoteAddress: req.remoteAddress,
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
    },
    forRoutes: ['*path'],
  };
}
