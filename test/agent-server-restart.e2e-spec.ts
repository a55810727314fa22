import { createServer } from 'node:net';
import { Agent } from '../apps/agent/src/agent';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { eventually } from './support/eventually';
import { callServer as call, runVerifyReplay, startServerProcess, ServerProcess } from './support/server-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

const JOIN_TOKEN = 'join-token-for-the-restart-test-0123';

/** A port nobody listens on now, so the server comes back where its agents look for it. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * The server killed (SIGKILL) while an agent carries out a task, and started again on the same
 * database: the agent rides it out and reports, the task is applied once and succeeds once, and
 * every table still equals the replay of the log. On both databases (the embedded one is reopened
 * from its directory).
 */
describe('an agent across a server crash', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  let agent: Agent | undefined;

  beforeAll(async () => {
    database = await createTestDatabase({ persistent: true });
    env = {
      ...database.env,
      PORT: String(await freePort()),
      CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN,
      CHIME_HEARTBEAT_INTERVAL: '1',
      CHIME_HEARTBEAT_MISSES: '60',
    };
    server = await startServerProcess(env);
  }, 90_000);

  afterAll(async () => {
    await agent?.stop();
    server?.child.kill('SIGKILL');
    await server?.exited;
    await database?.drop();
  });

  it('resumes: the task outlives the crash, is applied once and reported once', async () => {
    const admin = (await call(server!, 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' })).body.result
      .user.uuid as string;
    const az = (await call(server!, 'POST', '/v1/az', admin, { name: 'crash' })).body.result.az.uuid as string;
    const cluster = (await call(server!, 'POST', `/v1/az/${az}/cluster`, admin, { name: 'crash' })).body.result.cluster
      .uuid as string;
    const hosts = `/v1/az/${az}/cluster/${cluster}/host`;

    const driver = new SimDriver({ name: 'survivor', vcpus: 8, memory: 2 ** 33, latencyMs: 2_000 });
    agent = new Agent({ server: server!.url, joinToken: JOIN_TOKEN, driver, watchWait: 20 });
    await agent.start();
    const adopted = await call(server!, 'POST', hosts, admin, { uuid: agent.state.uuid });
    expect(adopted.status).toBe(200);
    const task = adopted.body.result.host.operation as string;

    // The agent has the task and works on it; the server dies meanwhile.
    await eventually(
      async () => agent!.state.cursor,
      (cursor) => cursor === 1,
      5_000,
    );
    server!.child.kill('SIGKILL');
    await server!.exited;
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    server = await startServerProcess(env);

    // It reports once the server is back (its retries back off 1, 2, 4 … s).
    const host = await eventually(
      async () => (await call(server!, 'GET', `${hosts}/${agent!.state.uuid}`, admin)).body.result.host,
      (h) => h.last_operation_state === 1,
      30_000,
    );
    expect(host.monitor_state).toBe(1);
    expect(driver.workDone.get(task)).toBe(1);
    expect(agent.stats).toMatchObject({ tasksSucceeded: 1, tasksFailed: 0, enrolments: 1 });
    // Read until both are readable: on a shared PostgreSQL server the log is read below the oldest
    // transaction running anywhere (another test file's).
    const events = await eventually(
      async () => (await call(server!, 'GET', `/v1/event?stream_id=${task}`, admin)).body.result.elements as { type: string }[],
      (list) => list.length >= 2,
    );
    expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskSucceeded']);

    await agent.stop();
    server!.child.kill('SIGTERM');
    await server!.exited;
    server = undefined;
    const replay = await runVerifyReplay(env);
    expect({ code: replay.code, output: replay.code === 0 ? '' : replay.output }).toEqual({ code: 0, output: '' });
  }, 90_000);
});
