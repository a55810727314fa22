import type { NestExpressApplication } from '@nestjs/platform-express';
import request from 'supertest';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import type { ModuleImport } from '../../src/app.module';
import { AppConfig } from '../../src/platform/config/app-config';
import { createTestDatabase, TestDatabase } from './test-database';

export interface TestServer {
  app: NestExpressApplication;
  /** Base URL of the listening server, e.g. http://127.0.0.1:41234 */
  url: string;
  http: ReturnType<typeof request>;
  dataSource: DataSource;
  database: TestDatabase;
  close(): Promise<void>;
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
  return {
    app,
    url,
    http: request(url),
    dataSource: app.get(DataSource),
    database,
    async close() {
      await app.close();
      if (!options.database) await database.drop();
    },
  };
}
