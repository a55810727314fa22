import { Agent, type AgentState } from '../apps/agent/src/agent';
import { Fleet } from '../apps/agent/src/fleet';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { expectResult } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, login, uniqueName } from './support/users';

const JOIN_TOKEN = 'join-token-for-the-agent-tests-0123';
const GIB = 1024 ** 3;

interface Host {
  uuid: string;
  name: string;
  monitor_state: number;
  last_operation_state: number;
  total_vcpus: number;
}
interface Page<T> {
  elements: T[];
  total: number;
}

/**
 * The reference agent and the fleet simulator (apps/agent) against the real server: the protocol
 * as they speak it, with the sim driver. Short heartbeats, so silence shows within seconds.
 */
describe('the reference agent and the fleet simulator', () => {
  let server: TestServer;
  let admin: string;
  const as = (token: string) => asCaller(server, token);
  const running: { stop(): Promise<unknown> }[] = [];

  const newCluster = async () => {
    const az = expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: uniqueName('az') })).az.uuid;
    const cluster = expectResult<{ cluster: { uuid: string } }>(
      await as(admin).post(`/v1/az/${az}/cluster`, { name: uniqueName('c') }),
    ).cluster.uuid;
    return `/v1/az/${az}/cluster/${cluster}/host`;
  };
  const host = async (hosts: string, uuid: string) => expectResult<{ host: Host }>(await as(admin).get(`${hosts}/${uuid}`)).host;
  const agentOf = (driver: SimDriver, state?: AgentState) => {
    const agent = new Agent({ server: server.url, joinToken: JOIN_TOKEN, driver, state, watchWait: 20 });
    running.push(agent);
    return agent;
  };

  beforeAll(async () => {
    server = await startTestServer({
      env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_INTERVAL: '1', CHIME_HEARTBEAT_MISSES: '2' },
    });
    admin = await login(server, ADMIN.name, ADMIN.password);
  });

  afterAll(async () => {
    await Promise.all(running.map((r) => r.stop()));
    await server?.close();
  });

  it('runs a fleet: every node a client, adopted hosts join their cluster through their agents', async () => {
    const fleet = new Fleet({
      server: server.url,
      joinToken: JOIN_TOKEN,
      hosts: 6,
      vcpus: 16,
      memory: 64 * GIB,
      namePrefix: uniqueName('f'),
    });
    running.push(fleet);
    await fleet.start();
    const hosts = await newCluster();
    for (const agent of fleet.agents.slice(0, 4)) {
      expectResult(await as(admin).post(hosts, { uuid: agent.state.uuid, cpu_ratio: 2, reserved_vcpus: 2 }));
    }
    const adopted = await eventually(
      async () => expectResult<Page<Host>>(await as(admin).get(hosts)).elements,
      (list) => list.length === 4 && list.every((h) => h.last_operation_state === 1),
    );
    expect(adopted.map((h) => h.total_vcpus)).toEqual([30, 30, 30, 30]);
    expect(fleet.drivers.slice(0, 4).every((d) => d.node.membership?.cluster_uuid === hosts.split('/')[5])).toBe(true);
    expect(fleet.drivers.slice(4).every((d) => d.node.membership === undefined)).toBe(true);
    await eventually(
      async () => fleet.stats(),
      (s) => s.heartbeats >= 12 && s.tasksSucceeded === 4,
    );
    expect(fleet.stats()).toMatchObject({ agents: 6, running: 6, heartbeatFailures: 0, tasksFailed: 0, enrolments: 6 });

    // Stopped agents fall silent: their nodes become unreachable; the others stay reachable.
    const stopped = await fleet.stop(2);
    await eventually(
      async () => Promise.all(stopped.map((a) => host(hosts, a.state.uuid))),
      (list) => list.every((h) => h.monitor_state === 0),
      10_000,
    );
    expect((await host(hosts, fleet.agents[3].state.uuid)).monitor_state).toBe(1);
  });

  it('resumes a task after a restart mid-task: applied once, reported once', async () => {
    const driver = new SimDriver({ name: uniqueName('slow'), vcpus: 8, memory: 8 * GIB, latencyMs: 1500 });
    const first = agentOf(driver);
    await first.start();
    const hosts = await newCluster();
    const adopted = expectResult<{ host: { operation: string } }>(await as(admin).post(hosts, { uuid: first.state.uuid })).host;
    // The agent process dies while its driver works (the task takes 1.5 s; the node, the driver, lives on).
    await eventually(
      async () => first.state.cursor,
      (cursor) => cursor === 1,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await first.stop();
    expect(first.stats.tasksSucceeded).toBe(0);
    const state = { ...first.state };
    expect(state.cursor).toBe(1);

    const second = agentOf(driver, state);
    await second.start();
    await eventually(
      () => host(hosts, state.uuid),
      (h) => h.last_operation_state === 1,
    );
    expect(second.stats).toMatchObject({ tasksSucceeded: 1, enrolments: 0 });
    expect(driver.workDone.get(adopted.operation)).toBe(1);
    await server.caughtUp();
    const events = expectResult<{ elements: { type: string }[] }>(
      await server.http.get(`/v1/event?stream_id=${adopted.operation}`).set('Authorization', `Bearer ${admin}`),
    ).elements;
    expect(events.map((e) => e.type)).toEqual(['TaskCreated', 'TaskSucceeded']);
  });

  it('reports a failed task, and enrols again when its host is deleted', async () => {
    const driver = new SimDriver({ name: uniqueName('failing'), vcpus: 8, memory: 8 * GIB, fail: ['host/create'] });
    const agent = agentOf(driver);
    await agent.start();
    const hosts = await newCluster();
    expectResult(await as(admin).post(hosts, { uuid: agent.state.uuid }));
    await eventually(
      () => host(hosts, agent.state.uuid),
      (h) => h.last_operation_state === 2,
    );
    expect(agent.stats.tasksFailed).toBe(1);

    const credential = agent.state.credential;
    expectResult(await as(admin).delete(`${hosts}/${agent.state.uuid}`));
    // Its next request is refused; it enrols again and is a client to adopt once more.
    await eventually(
      async () => agent.stats.enrolments,
      (n) => n === 2,
      10_000,
    );
    expect(agent.state.credential).not.toBe(credential);
    const clients = await eventually(
      async () =>
        expectResult<Page<{ uuid: string; monitor_state: number }>>(
          await as(admin).get(`/v1/client?name=${driver.report().name}`),
        ),
      (page) => page.total === 1 && page.elements[0].monitor_state === 1,
    );
    expect(clients.elements[0].uuid).toBe(agent.state.uuid);
  });
});
