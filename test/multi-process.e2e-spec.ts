import { DataSource } from 'typeorm';
import { verifyReplay } from '../src/replay/verify-replay';
import { SCHEMA } from '../src/schema';
import { eventually } from './support/eventually';
import { callServer as call, runVerifyReplay, startServerProcess, ServerProcess } from './support/server-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

/**
 * Several server processes on one PostgreSQL database, one of them killed mid-stream. Only on a
 * PostgreSQL server: the embedded database belongs to one process (its directory is locked).
 */
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer('several server processes on one database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const servers: ServerProcess[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    servers.push(await startServerProcess(database.env));
    servers.push(await startServerProcess(database.env));
    dataSource = await new DataSource({ type: 'postgres', url: database.url, entities: SCHEMA.entities }).initialize();
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    await dataSource?.destroy();
    await database?.drop();
  });

  it('ends a session on every process at once when it is revoked on one of them', async () => {
    const [a, b] = servers;
    const login = await call(a, 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' });
    const token = login.body.result.user.uuid as string;
    // B validates the token and keeps it in its cache...
    expect((await call(b, 'GET', '/v1/az', token)).status).toBe(200);
    expect((await call(b, 'GET', '/v1/az', token)).status).toBe(200);
    // ...A revokes it: B hears of it through NOTIFY, well before its cache would expire (30 s).
    expect((await call(a, 'POST', '/v1/logout', undefined, { token })).status).toBe(200);
    const refused = await eventually(
      () => call(b, 'GET', '/v1/az', token),
      (res) => res.status === 401,
      2_000,
    );
    expect(refused.body).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
  }, 60_000);

  it('keeps the operation log exact when the process running its consumer is killed', async () => {
    const [a, b] = servers;
    const token = (await call(a, 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' })).body.result.user
      .uuid as string;
    const az = (await call(b, 'POST', '/v1/az', token, { name: 'shared' })).body.result.az.uuid as string;
    const accepted: string[] = [];
    const write = async (server: ServerProcess, n: number) => {
      const res = await call(server, 'PATCH', `/v1/az/${az}`, token, { description: `round ${n}` });
      expect(res.status).toBe(200);
      accepted.push(res.body.requestId);
    };

    // Both processes take writes; both run the operation-log consumer, one batch at a time.
    for (let n = 0; n < 150; n++) await Promise.all([write(a, n), write(b, n)]);
    a.child.kill('SIGKILL');
    expect(await a.exited).toBe('SIGKILL');
    const killedAt = Date.now();
    for (let n = 150; n < 300; n++) await write(b, n);

    // The survivor takes the consumer over and catches up on everything, the dead one's writes included.
    const entries = await eventually(
      async () => (await dataSource.query('SELECT request_id FROM operation_log')) as { request_id: string }[],
      (rows) => accepted.every((id) => rows.some((r) => r.request_id === id)),
      30_000,
    );
    const takeoverMs = Date.now() - killedAt;
    const ids = entries.map((r) => r.request_id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of accepted) expect(ids.filter((x) => x === id)).toHaveLength(1);
    expect(takeoverMs).toBeLessThan(30_000);
    expect(await verifyReplay(dataSource)).toEqual([]);
  }, 180_000);

  it('lets a restarted process resume from the shared checkpoints', async () => {
    const restarted = await startServerProcess(database.env);
    servers.push(restarted);
    const token = (await call(restarted, 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' })).body.result
      .user.uuid as string;
    const created = await call(restarted, 'POST', '/v1/az', token, { name: 'after-restart' });
    expect(created.status).toBe(200);
    await eventually(
      async () =>
        (await dataSource.query('SELECT count(*)::int AS n FROM operation_log WHERE request_id = $1', [
          created.body.requestId,
        ])) as { n: number }[],
      (rows) => rows[0].n === 1,
      15_000,
    );
    expect(await verifyReplay(dataSource)).toEqual([]);
  }, 120_000);
});

/** The embedded database: a process killed mid-stream and started again on the same directory. */
const describeEmbedded = process.env.DATABASE_URL ? describe.skip : describe;

describeEmbedded('a server process killed mid-stream on the embedded database', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase({ persistent: true });
  });
  afterAll(() => database?.drop());

  it('resumes its consumers without loss or repeat, and the data equals the replay of the log', async () => {
    const first = await startServerProcess(database.env);
    const token = (await call(first, 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' })).body.result.user
      .uuid as string;
    const az = (await call(first, 'POST', '/v1/az', token, { name: 'crashy' })).body.result.az.uuid as string;
    const accepted: string[] = [];
    await Promise.all(
      Array.from({ length: 100 }, async (_, n) => {
        const res = await call(first, 'PATCH', `/v1/az/${az}`, token, { description: `n${n}` });
        expect(res.status).toBe(200);
        accepted.push(res.body.requestId);
      }),
    );
    first.child.kill('SIGKILL'); // no shutdown hooks: the lock file and a half-done consumer batch stay behind
    await first.exited;

    const second = await startServerProcess(database.env);
    try {
      const entries = await eventually(
        async () =>
          (await call(second, 'GET', '/v1/operation_log?size=1000', token)).body.result.elements as { request_id: string }[],
        (rows) => accepted.every((id) => rows.some((r) => r.request_id === id)),
        30_000,
      );
      const ids = entries.map((e) => e.request_id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
    const verify = await runVerifyReplay(database.env);
    expect(verify).toMatchObject({ code: 0 });
    expect(verify.output).toMatch(/every table equals the replay of \d+ events/);
  }, 180_000);
});
