import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { LogWakeUps } from '@chime/event-log';
import { createApp } from '../../src/app';
import type { ModuleImport } from '../../src/app.module';
import { AppConfig } from '../../src/platform/config/app-config';
import { verifyReplay } from '../../src/replay/verify-replay';
import { checkedHttp, loadContract } from './checked-http';
import type { ResponseContract } from './response-contract';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestServer {
  app: NestExpressApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  /** supertest against the server; every response is held against the served OpenAPI document (checked-http.ts). */
  http: ReturnType<typeof request>;
  /** The server's own OpenAPI document, as a checker of responses. */
  contract: ResponseContract;
  dataSource: DataSource;
  database: TestDatabase;
  /** Resolves once every durable consumer has handled every committed event. */
  caughtUp(timeoutMs?: number): Promise<void>;
  /**
   * Stops the server. Unless `verify: false`, first checks that every table equals the replay of
   * the event log. The database is dropped unless it was given, or `keepDatabase` is set.
   */
  close(options?: { verify?: boolean; keepDatabase?: boolean }): Promise<void>;
}

/**
 * The real server on a real socket and a database of its own. `env` overrides settings
 * (e.g. a short CHIME_TOKEN_TTL); a server can be given an existing database to reopen it.
 */
export async function startTestServer(
  options: { env?: Record<string, string>; database?: TestDatabase; extensions?: ModuleImport[] } = {},
): Promise<TestServer> {
  const database = options.database ?? (await createTestDatabase());
  const config = AppConfig.fromEnvironment({ LOG_LEVEL: process.env.LOG_LEVEL, ...database.env, ...options.env });
  const app = await createApp(config, options.extensions);
  await app.listen(0, '127.0.0.1');
  const address = app.getHttpServer().address() as { port: number };
  const url = `http://127.0.0.1:${address.port}`;
  const dataSource = app.get(DataSource);
  const caughtUp = (timeoutMs = 10_000) => {
    // Events written past the EventBus (the import, run in-process) wake no consumer by themselves.
    app.get(LogWakeUps).wake();
    return waitForConsumers(dataSource, timeoutMs);
  };
  const contract = await loadContract(url);
  return {
    app,
    url,
    http: checkedHttp(request(url), contract),
    contract,
    dataSource,
    database,
    caughtUp,
    async close({ verify = true, keepDatabase = false } = {}) {
      try {
        if (verify) {
          await caughtUp();
          expect(await verifyReplay(dataSource, options.extensions)).toEqual([]);
        }
      } finally {
        await app.close();
        if (!options.database && !keepDatabase) await database.drop();
      }
    },
  };
}

async function waitForConsumers(dataSource: DataSource, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    // Every event committed so far; a consumer may still be held back by a transaction running
    // elsewhere on the server (the read order waits for it), which is why this waits.
    const [{ behind }]: { behind: number }[] = await dataSource.query(
      `SELECT count(*)::int AS behind
         FROM event_subscriptions s
         JOIN event_log e ON (e.transaction_id, e.position) > (s.last_transaction_id, s.last_position)`,
    );
    if (behind === 0) return;
    if (Date.now() > deadline) throw new Error(`durable consumers are still ${behind} events behind after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
