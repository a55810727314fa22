import { Client } from 'pg';
import { expectError, expectResult } from './support/envelope';
import { eventually } from './support/eventually';
import { ProbeModule } from './support/probe.module';
import { TcpProxy } from './support/tcp-proxy';
import { createTestDatabase, describeOnPostgres, TestDatabase } from './support/test-database';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, login } from './support/users';

/**
 * The database goes away under a running server and comes back. Only on a PostgreSQL server: the
 * embedded database lives inside the server's own process and cannot go down on its own, nor hang
 * on a network. A TCP proxy between the server and PostgreSQL plays the outage, so nothing else
 * using that PostgreSQL server is disturbed.
 *
 * The bounds are short here: statements 1 s (the client waits 2 s more for an answer), pooled
 * connections 1 s, so a request hitting them answers within about 4 s; /readyz gives the database
 * 2 s. REQUEST_BOUND_MS adds a generous margin for a loaded machine, and the outages last longer.
 */
const STATEMENT_TIMEOUT_MS = 1000;
const ACQUIRE_TIMEOUT_MS = 1000;
const REQUEST_BOUND_MS = 10_000;
const POOL_SIZE = 3;

/** The response and how long it took to come. */
async function timed<T>(request: () => PromiseLike<T>): Promise<{ res: T; ms: number }> {
  const started = Date.now();
  const res = await request();
  return { res, ms: Date.now() - started };
}

describeOnPostgres('database outage: 503 and UNAVAILABLE while it is down, recovery without a restart', () => {
  let database: TestDatabase;
  let proxy: TcpProxy;
  let server: TestServer;
  let token: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    const direct = new URL(database.url!);
    proxy = await TcpProxy.start({ host: direct.hostname, port: Number(direct.port || 5432) });
    const viaProxy = new URL(direct);
    viaProxy.hostname = '127.0.0.1';
    viaProxy.port = String(proxy.port);
    server = await startTestServer({
      database: { env: { DATABASE_URL: viaProxy.toString() }, url: viaProxy.toString(), drop: async () => undefined },
      env: {
        DATABASE_STATEMENT_TIMEOUT_MS: String(STATEMENT_TIMEOUT_MS),
        DATABASE_ACQUIRE_TIMEOUT_MS: String(ACQUIRE_TIMEOUT_MS),
        DATABASE_POOL_SIZE: String(POOL_SIZE),
      },
      extensions: [ProbeModule],
    });
    token = await login(server, ADMIN.name, ADMIN.password);
  });

  afterAll(async () => {
    proxy?.restore();
    try {
      await server?.close();
    } finally {
      // Even when a test failed: a proxy left listening would keep Jest from exiting.
      await proxy?.close();
      await database?.drop();
    }
  });

  const readyz = () => server.http.get('/readyz');
  const probe = () => server.http.get('/v1/probe/db');

  /** The server answers again, on every pooled connection: none is left out of step by the outage. */
  async function expectRecovered(): Promise<void> {
    await eventually(readyz, (res) => res.status === 200, 15_000);
    const answers = await Promise.all(Array.from({ length: POOL_SIZE * 3 }, () => timed(probe)));
    for (const { res, ms } of answers) {
      expect(expectResult(res)).toEqual({ one: 1 });
      expect(ms).toBeLessThan(REQUEST_BOUND_MS);
    }
    const login = await server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password });
    expect(expectResult<{ user: { uuid: string } }>(login).user.uuid).toEqual(expect.any(String));
  }

  it('is ready and answers before the outage', async () => {
    expect((await readyz()).status).toBe(200);
    expect(expectResult(await probe())).toEqual({ one: 1 });
  });

  describe('connections refused', () => {
    it('while the database is down: /readyz is 503, API calls are 500 UNAVAILABLE, /healthz stays 200', async () => {
      proxy.cut();

      const notReady = await eventually(readyz, (res) => res.status === 503);
      expect(notReady.body.details.database.status).toBe('down');
      expect((await server.http.get('/healthz')).status).toBe(200);
      // Several calls, so that each pooled connection's failure is seen, not only the first one's.
      for (let i = 0; i < 3; i++) {
        const message = expectError(await probe(), 500, 'UNAVAILABLE');
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
      await expectRecovered();
    });
  });

  describe('packets dropped: nothing answers, nothing refuses', () => {
    it('answers API calls 500 UNAVAILABLE within the bound, more of them than there are connections', async () => {
      proxy.drop();

      // Reads, a login and a write at once: some wait on a silent connection until the client's
      // bound, the rest for a pooled connection until the acquisition timeout.
      const calls = [
        ...Array.from({ length: POOL_SIZE * 2 }, () => timed(probe)),
        timed(() => server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password })),
        timed(() => server.http.post('/v1/az').set(bearer(token)).send({ name: 'during-the-outage' })),
      ];
      for (const { res, ms } of await Promise.all(calls)) {
        const message = expectError(res, 500, 'UNAVAILABLE');
        expect(message).toBe('the database cannot be reached; try again later');
        expect(ms).toBeLessThan(REQUEST_BOUND_MS);
      }
      // Still dropping: later calls (on connections opened into the silence) are bounded as well.
      for (let i = 0; i < 2; i++) {
        const { res, ms } = await timed(probe);
        expectError(res, 500, 'UNAVAILABLE');
        expect(ms).toBeLessThan(REQUEST_BOUND_MS);
      }
    });

    it('answers /readyz 503 within its bound while /healthz stays 200', async () => {
      const { res, ms } = await timed(readyz);
      expect(res.status).toBe(503);
      expect(res.body.details.database).toEqual({ status: 'down', message: expect.stringMatching(/^(timed out|unreachable)$/) });
      expect(ms).toBeLessThan(REQUEST_BOUND_MS);
      expect((await server.http.get('/healthz')).status).toBe(200);
    });

    it('recovers by itself once packets flow again, without the connections left out of step', async () => {
      proxy.restore();
      await expectRecovered();
      // The write refused during the outage did not happen; a new one does.
      const azs = expectResult<{ elements: { name: string }[] }>(await server.http.get('/v1/az').set(bearer(token)));
      expect(azs.elements.map((az) => az.name)).not.toContain('during-the-outage');
      expectResult(await server.http.post('/v1/az').set(bearer(token)).send({ name: 'after-the-outage' }));
    });
  });

  describe('a statement that runs too long', () => {
    it('is canceled by the statement timeout: 500 UNAVAILABLE within the bound, and the server carries on', async () => {
      const az = expectResult<{ az: { uuid: string } }>(
        await server.http.post('/v1/az').set(bearer(token)).send({ name: 'locked-elsewhere' }),
      ).az;
      // Another session holds the AZ's row lock, straight on PostgreSQL: the update waits for it.
      const other = new Client({ connectionString: database.url });
      await other.connect();
      try {
        await other.query('BEGIN');
        await other.query('SELECT 1 FROM availability_zones WHERE uuid = $1 FOR UPDATE', [az.uuid]);
        const { res, ms } = await timed(() =>
          server.http.patch(`/v1/az/${az.uuid}`).set(bearer(token)).send({ description: 'waits for the lock' }),
        );
        const message = expectError(res, 500, 'UNAVAILABLE');
        expect(message).not.toMatch(/cancel|statement|SELECT|availability_zones/);
        expect(ms).toBeGreaterThanOrEqual(STATEMENT_TIMEOUT_MS - 50);
        expect(ms).toBeLessThan(REQUEST_BOUND_MS);
      } finally {
        await other.query('ROLLBACK');
        await other.end();
      }
      expectResult(await server.http.patch(`/v1/az/${az.uuid}`).set(bearer(token)).send({ description: 'now it can' }));
      const read = expectResult<{ az: { description: string } }>(await server.http.get(`/v1/az/${az.uuid}`).set(bearer(token)));
      expect(read.az.description).toBe('now it can');
    });
  });
});
