import { DataSource } from 'typeorm';
import { verifyReplay } from '../src/replay/verify-replay';
import { SCHEMA } from '../src/schema';
import { eventually } from './support/eventually';
import { callServer, startServerProcess, ServerProcess } from './support/server-process';
import { createTestDatabase, describeOnPostgres, TestDatabase } from './support/test-database';

/**
 * The server is killed (SIGKILL: no shutdown hook runs) again and again while clients write to it
 * concurrently. After every crash, every write a client got a 200 for is in the database, and the
 * database equals the replay of its event log; once the server is back for good, the operation log
 * holds every acknowledged write exactly once. PostgreSQL only: the embedded database's crash is
 * covered by multi-process.e2e-spec.ts.
 */
const KILLS = 5;
const WRITERS = 4;
/** Acknowledged writes per round before the kill, so that it always lands among writes in flight. */
const ACKS_BEFORE_KILL = 12;
/** Below the limit of 32 clusters per AZ (API.md §5). */
const CLUSTERS_PER_AZ = 30;

interface Acknowledged {
  azs: string[];
  clusters: string[];
  /** Per AZ uuid: the description of its last acknowledged update, and one sent after it whose outcome is unknown. */
  descriptions: Map<string, { acked: string; inDoubt?: string }>;
  requestIds: string[];
}

describeOnPostgres('crash consistency: SIGKILL under concurrent writes', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  let server: ServerProcess | undefined;
  const acked: Acknowledged = { azs: [], clusters: [], descriptions: new Map(), requestIds: [] };

  beforeAll(async () => {
    database = await createTestDatabase();
    dataSource = await new DataSource({ type: 'postgres', url: database.url, entities: SCHEMA.entities }).initialize();
  });

  afterAll(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await dataSource?.destroy();
    await database?.drop();
  });

  /**
   * One write. Returns its result on a 200; undefined when the server went away before answering
   * (the write may or may not have happened). Any other answer is a failure of the test.
   */
  async function write(method: string, path: string, token: string, body: object): Promise<unknown> {
    let res: Awaited<ReturnType<typeof callServer>>;
    try {
      res = await callServer(server!, method, path, token, body);
    } catch {
      return undefined; // killed: connection reset or refused
    }
    expect({ method, path, status: res.status, body: res.body }).toMatchObject({ status: 200 });
    acked.requestIds.push(res.body.requestId);
    return res.body.result;
  }

  /** Creates an AZ, then alternates cluster creates in it with updates of its description, until the server dies. */
  async function writer(token: string, prefix: string, acksThisRound: { n: number }): Promise<void> {
    const created = (await write('POST', '/v1/az', token, { name: prefix })) as
      { az: { uuid: string; description: string } } | undefined;
    if (!created) return;
    acked.azs.push(prefix);
    acksThisRound.n++;
    const az = created.az.uuid;
    acked.descriptions.set(az, { acked: created.az.description });
    for (let n = 1; ; n++) {
      const cluster = `${prefix}-c${n}`;
      if (n % 2 === 1 && n / 2 < CLUSTERS_PER_AZ) {
        if (!(await write('POST', `/v1/az/${az}/cluster`, token, { name: cluster }))) return;
        acked.clusters.push(cluster);
      } else {
        const description = `${prefix}-d${n}`;
        acked.descriptions.set(az, { acked: acked.descriptions.get(az)!.acked, inDoubt: description });
        if (!(await write('PATCH', `/v1/az/${az}`, token, { description }))) return;
        acked.descriptions.set(az, { acked: description });
      }
      acksThisRound.n++;
    }
  }

  /** Every acknowledged write is there, and every table equals the replay of the event log. */
  async function expectNothingLost(): Promise<void> {
    const azs: { uuid: string; name: string; description: string }[] = await dataSource.query(
      'SELECT uuid, name, description FROM availability_zones',
    );
    expect(acked.azs.filter((name) => !azs.some((az) => az.name === name))).toEqual([]);
    const clusters: { name: string }[] = await dataSource.query('SELECT name FROM clusters');
    expect(acked.clusters.filter((name) => !clusters.some((c) => c.name === name))).toEqual([]);
    for (const [uuid, { acked: last, inDoubt }] of acked.descriptions) {
      const stored = azs.find((az) => az.uuid === uuid)?.description;
      expect([last, inDoubt]).toContain(stored);
    }
    const logged: { request_id: string }[] = await dataSource.query(
      "SELECT DISTINCT metadata->>'request_id' AS request_id FROM event_log",
    );
    const loggedIds = new Set(logged.map((row) => row.request_id));
    expect(acked.requestIds.filter((id) => !loggedIds.has(id))).toEqual([]);
    expect(await verifyReplay(dataSource)).toEqual([]);
  }

  it(`loses no acknowledged write over ${KILLS} kills, and the database stays equal to its event log`, async () => {
    server = await startServerProcess(database.env);
    const login = await callServer(server, 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' });
    expect(login.status).toBe(200);
    const token = login.body.result.user.uuid as string;

    for (let round = 1; round <= KILLS; round++) {
      const acksThisRound = { n: 0 };
      const writers = Array.from({ length: WRITERS }, (_, w) => writer(token, `crash-r${round}-w${w}`, acksThisRound));
      await eventually(
        async () => acksThisRound.n,
        (n) => n >= ACKS_BEFORE_KILL,
        20_000,
      );
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 50));
      server.child.kill('SIGKILL');
      expect(await server.exited).toBe('SIGKILL');
      await Promise.all(writers);

      await expectNothingLost();
      server = await startServerProcess(database.env);
    }

    // Back for good: the operation log's consumer resumes and catches up on every acknowledged write
    // (once each: request_id is unique there).
    await eventually(
      async () => (await dataSource.query('SELECT request_id FROM operation_log')) as { request_id: string }[],
      (rows) => acked.requestIds.every((id) => rows.some((row) => row.request_id === id)),
      20_000,
    );
    await expectNothingLost();
    server.child.kill('SIGTERM');
    expect(await server.exited).toBe(0);
    server = undefined;
  }, 120_000);
});
