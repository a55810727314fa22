import { NestFactory, Reflector } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { NextFunction, Request, Response } from 'express';
import { AppModule, ModuleImport } from './app.module';
import { AppConfig } from './platform/config/app-config';
import { answerClientErrors } from './platform/http/client-errors';
import { serveLiveness } from './platform/health/liveness';
import { serveConsole } from './platform/http/console';
import { EnvelopeExpressAdapter } from './platform/http/envelope';
import { applyHttpServerTimeouts } from './platform/http/http-server-timeouts';
import { RouteBoundaryGuard } from './platform/http/input-boundary';
import { jsonBody } from './platform/http/json-body';
import { serveOpenApi } from './platform/http/openapi';
import { assignRequestId } from './platform/http/request-id';
import { requestTelemetry, ROOT_LOGGER } from './platform/observability/logging';
import { Metrics } from './platform/observability/metrics';
import { NestLogger } from './platform/observability/nest-logger';

/**
 * Builds the whole server, ready to listen. Used by main.ts and by the end-to-end tests alike;
 * `extensions` are further modules to load (extension modules, test probes).
 */
export async function createApp(config: AppConfig, extensions: ModuleImport[] = []): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(
    AppModule.forRoot(config, extensions),
    new EnvelopeExpressAdapter(),
    { bodyParser: false, bufferLogs: true },
  );
  app.useLogger(app.get(NestLogger));
  // After the guards the modules registered (the identity module's token guard): a request is
  // authenticated before its input is judged.
  app.useGlobalGuards(new RouteBoundaryGuard(app.get(Reflector)));
  app.disable('x-powered-by');
  // No ETag: answers are small, fresh JSON that no client revalidates, and hashing each one costs more than it saves.
  app.set('etag', false);
  app.set('trust proxy', config.TRUST_PROXY === 'true');
  applyHttpServerTimeouts(app.getHttpServer(), config);
  // What every request gets first, in one middleware (each one is a pass of Express's router).
  const telemetry = requestTelemetry(app.get(Metrics), app.get(ROOT_LOGGER));
  app.use((req: Request, res: Response, next: NextFunction) => {
    assignRequestId(req, res);
    telemetry(req, res);
    next();
  });
  serveLiveness(app);
  app.use(jsonBody());
  answerClientErrors(app.getHttpServer());
  serveOpenApi(app);
  serveConsole(app);
  return app;
}
