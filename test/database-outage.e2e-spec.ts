import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { expectError, expectResult } from './support/envelope';
import { eventually } from './support/eventually';
import { ProbeModule } from './support/probe.module';
import { TcpProxy } from './support/tcp-proxy';
import { withDatabase } from './support/test-database';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN } from './support/users';

/**
 * The database goes away under a running server and comes back. This file always runs on the real
 * PostgreSQL server, whatever DATABASE_URL says: the embedded database lives inside the server's own
 * process and cannot go down on its own. A TCP proxy between the server and PostgreSQL plays the
 * outage, so nothing else using that PostgreSQL server is disturbed.
 */
const POSTGRES = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

async function adminQuery(sql: string): Promise<void> {
  const client = new Client({ connectionString: POSTGRES });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('database outage: 503 and UNAVAILABLE while it is down, recovery without a restart', () => {
  const name = `chime_test_${randomBytes(6).toString('hex')}`;
  let proxy: TcpProxy;
  let server: TestServer;

  beforeAll(async () => {
    await adminQuery(`CREATE DATABASE ${name}`);
    const postgres = new URL(POSTGRES);
    proxy = await TcpProxy.start({ host: postgres.hostname, port: Number(postgres.port || 5432) });
    const viaProxy = new URL(withDatabase(POSTGRES, name));
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startTestServer({
      database: { env: { DATABASE_URL: viaProxy.toString() }, url: viaProxy.toString(), drop: async () => undefined },
      extensions: [ProbeModule],
    });
  });

  afterAll(async () => {
    proxy?.restore();
    try {
      await server?.close();
    } finally {
      // Even when a test failed: a proxy left listening would keep Jest from exiting.
      await proxy?.close();
      await adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    }
  });

  const readyz = () => server.http.get('/readyz');

  it('is ready and answers before the outage', async () => {
    expect((await readyz()).status).toBe(200);
    expect(expectResult(await server.http.get('/v1/probe/db'))).toEqual({ one: 1 });
  });

  it('while the database is down: /readyz is 503, API calls are 500 UNAVAILABLE, /healthz stays 200', async () => {
    proxy.cut();

    const notReady = await eventually(readyz, (res) => res.status === 503);
    expect(notReady.body.details.database.status).toBe('down');
    expect((await server.http.get('/healthz')).status).toBe(200);
    // Several calls, so that each pooled connection's failure is seen, not only the first one's.
    for (let i = 0; i < 3; i++) {
      const message = expectError(await server.http.get('/v1/probe/db'), 500, 'UNAVAILABLE');
      expect(message).not.toMatch(/ECONN|127\.0\.0\.1|SELECT/);
    }
    expectError(
      await server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password }),
      500,
      'UNAVAILABLE',
    );
  });

  it('recovers by itself once the database is back', async () => {
    proxy.restore();

    await eventually(readyz, (res) => res.status === 200, 10_000);
    expect(expectResult(await server.http.get('/v1/probe/db'))).toEqual({ one: 1 });
    const login = await server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password });
    expect(expectResult<{ user: { uuid: string } }>(login).user.uuid).toEqual(expect.any(String));
  });
});
