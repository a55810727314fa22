import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Express, Request, Response } from 'express';

const ALIVE = JSON.stringify({ status: 'ok' });

/**
 * `GET /healthz`: the process is up and serving HTTP. Answered by the HTTP layer itself, right
 * after the request id and the request's log line and metrics are set up, before body parsing and
 * Nest: a liveness probe needs no token, no database and no envelope, and must stay cheap when
 * the server is busy (bench:http measures it against a bare Nest route). `/readyz` (the database
 * answers) is a Nest route in HealthController.
 */
export function serveLiveness(app: NestExpressApplication): void {
  (app.getHttpAdapter().getInstance() as Express).get('/healthz', (_req: Request, res: Response) => {
    res.type('application/json').end(ALIVE);
  });
}
