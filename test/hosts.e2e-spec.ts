import { randomUUID } from 'node:crypto';
import { Role } from '@chime/contracts';
import { expectError, expectResult, UUID } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, bearer, createUser, login, TestUser, uniqueName } from './support/users';

const JOIN_TOKEN = 'join-token-for-the-tests-0123456789';
const GIB = 1024 ** 3;

interface Page<T> {
  elements: T[];
  size: number;
  total: number;
}
interface Host {
  uuid: string;
  name: string;
  state: number;
  monitor_state: number;
  cluster_name: string;
  physical_vcpus: number;
  total_vcpus: number;
  total_memory: number;
  reserved_vcpus: number;
  operation: string;
  last_operation_name: string;
  last_operation_state: number;
  tasks: { uuid: string; state: number; operation_name: string; request_id: string }[];
}
interface Task {
  uuid: string;
  seq: number;
  request_id: string;
  resource_type: string;
  resource_uuid: string;
  operation: string;
  payload: Record<string, unknown>;
  state: number;
  message: string;
}
interface TaskPage {
  elements: Task[];
  size: number;
  next: number;
  head: number;
}
interface StoredEvent {
  type: string;
  stream_id: string;
  data: Record<string, unknown>;
  metadata: { request_id: string; method: string; user_name: string };
}

/** A node agent as the tests drive it: the real protocol over HTTP, one call at a time. */
class TestAgent {
  credential = '';
  readonly uuid = randomUUID();
  facts = { name: uniqueName('node'), manage_ip: '10.1.0.5', physical_vcpus: 8, physical_memory: 16 * GIB, rack_name: 'rack1' };

  constructor(private readonly server: TestServer) {}

  enrol(joinToken = JOIN_TOKEN) {
    return this.server.http.post('/v1/agent/enrol').send({ join_token: joinToken, uuid: this.uuid, ...this.facts });
  }

  async enrolled(): Promise<this> {
    this.credential = expectResult<{ agent: { credential: string } }>(await this.enrol()).agent.credential;
    return this;
  }

  beat(extra: object = {}) {
    return this.server.http
      .post('/v1/agent/heartbeat')
      .set(bearer(this.credential))
      .send({
        ...this.facts,
        domains: 0,
        active_domains: 0,
        used_vcpus: 0,
        used_memory: 0,
        active_used_vcpus: 0,
        active_used_memory: 0,
        ...extra,
      });
  }

  tasks(query = '') {
    return this.server.http.get(`/v1/agent/task${query}`).set(bearer(this.credential));
  }

  report(task: string, body: object) {
    return this.server.http.put(`/v1/agent/task/${task}`).set(bearer(this.credential)).send(body);
  }
}

/** The hosts path of a new cluster in a new AZ: `/v1/az/{az}/cluster/{cluster}/host`. */
async function newHostsPath(server: TestServer, admin: string): Promise<string> {
  const az = expectResult<{ az: { uuid: string } }>(await asCaller(server, admin).post('/v1/az', { name: uniqueName('az') })).az
    .uuid;
  const cluster = expectResult<{ cluster: { uuid: string } }>(
    await asCaller(server, admin).post(`/v1/az/${az}/cluster`, { name: uniqueName('c') }),
  ).cluster.uuid;
  return `/v1/az/${az}/cluster/${cluster}/host`;
}

describe('hosts and agents', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let user: TestUser;
  const as = (token: string) => asCaller(server, token);
  let az = '';

  const newCluster = async () => {
    const cluster = expectResult<{ cluster: { uuid: string } }>(
      await as(admin).post(`/v1/az/${az}/cluster`, { name: uniqueName('c') }),
    ).cluster.uuid;
    return { uuid: cluster, hosts: `/v1/az/${az}/cluster/${cluster}/host` };
  };
  // Once the consumers caught up every committed event is readable (the log is read below the
  // oldest transaction running anywhere on a shared PostgreSQL server: another test file's).
  const events = async (query: string) => {
    await server.caughtUp();
    const page = await server.http.get(`/v1/event?limit=1000&${query}`).set(bearer(admin));
    return expectResult<{ elements: StoredEvent[] }>(page).elements;
  };

  beforeAll(async () => {
    // Nodes stay reachable for 15 s × 20 without heartbeats: these tests beat only when they mean to.
    server = await startTestServer({ env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_MISSES: '20' } });
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    user = await createUser(server, admin, Role.User);
    az = expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: uniqueName('az') })).az.uuid;
  });

  afterAll(() => server?.close());

  describe('enrolment', () => {
    it('makes a node a client, reachable, with a credential shown once and kept only as a hash', async () => {
      const agent = new TestAgent(server);
      const enrolment = expectResult<{ agent: Record<string, unknown> }>(await agent.enrol()).agent;
      expect(enrolment).toEqual({
        client_uuid: agent.uuid,
        credential: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
        heartbeat_interval: 15,
        heartbeat_misses: 20,
      });
      const clients = expectResult<Page<Record<string, unknown>>>(await as(admin).get(`/v1/client?name=${agent.facts.name}`));
      expect(clients.elements).toEqual([
        expect.objectContaining({
          uuid: agent.uuid,
          name: agent.facts.name,
          state: 0,
          monitor_state: 1,
          manage_ip: '10.1.0.5',
          node_ip: '',
          rack_name: 'rack1',
          physical_vcpus: 8,
          physical_memory: 16 * GIB,
          heartbeat_at: expect.any(String),
        }),
      ]);
      const [row] = await server.dataSource.query('SELECT credential_hash FROM clients WHERE uuid = $1', [agent.uuid]);
      expect(row.credential_hash).toMatch(/^[0-9a-f]{64}$/);
      expect(row.credential_hash).not.toContain(enrolment.credential as string);
      // The join token never reaches the event log or the operation log.
      const [enrolled] = await events(`type=ClientEnrolled&stream_id=${agent.uuid}`);
      expect(JSON.stringify(enrolled)).not.toContain(JOIN_TOKEN);
      expect(enrolled.metadata).toMatchObject({ user_name: `agent:${agent.facts.name}`, method: 'POST' });
    });

    it('refuses a wrong join token with 401, and bad facts with 400', async () => {
      const agent = new TestAgent(server);
      expect(expectError(await agent.enrol('wrong-token'), 401, 'UNAUTHENTICATED')).toBe('wrong join token');
      const enrol = (body: object) =>
        server.http.post('/v1/agent/enrol').send({ join_token: JOIN_TOKEN, uuid: randomUUID(), ...agent.facts, ...body });
      expectError(await enrol({ manage_ip: '10.1.0.300' }), 400, 'INVALID_ARGUMENT');
      expectError(await enrol({ node_ip: 'not-an-ip' }), 400, 'INVALID_ARGUMENT');
      expectError(await enrol({ name: 'bad name' }), 400, 'INVALID_ARGUMENT');
      expectError(await enrol({ physical_vcpus: -1 }), 400, 'INVALID_ARGUMENT');
      expectError(await enrol({ physical_memory: 1.5 }), 400, 'INVALID_ARGUMENT');
      expectError(await enrol({ uuid: 'not-a-uuid' }), 400, 'INVALID_ARGUMENT');
      expectError(await enrol({ role: 3 }), 400, 'INVALID_ARGUMENT');
      expectError(await enrol({ join_token: null }), 400, 'INVALID_ARGUMENT');
      expect(await server.dataSource.query('SELECT 1 FROM clients WHERE uuid = $1', [agent.uuid])).toEqual([]);
    });

    it('issues a new credential to a known node and revokes the old one at once', async () => {
      const agent = await new TestAgent(server).enrolled();
      const old = agent.credential;
      await agent.enrolled();
      expect(agent.credential).not.toBe(old);
      expectResult(await agent.beat());
      const stale = await server.http.post('/v1/agent/heartbeat').set(bearer(old)).send({});
      expectError(stale, 401, 'UNAUTHENTICATED');
    });
  });

  describe('agent credentials', () => {
    it('refuse a missing, malformed, unknown credential and a user token with 401', async () => {
      const agent = await new TestAgent(server).enrolled();
      const cases = [undefined, 'Basic abc', 'Bearer not valid', `Bearer ${'x'.repeat(43)}`, `Bearer ${admin}`];
      for (const header of cases) {
        let call = server.http.post('/v1/agent/heartbeat');
        if (header) call = call.set('Authorization', header);
        expectError(await call.send({ ...agent.facts }), 401, 'UNAUTHENTICATED');
        let watch = server.http.get('/v1/agent/task');
        if (header) watch = watch.set('Authorization', header);
        expectError(await watch, 401, 'UNAUTHENTICATED');
      }
    });

    it('are not user tokens: an agent cannot call the user API', async () => {
      const agent = await new TestAgent(server).enrolled();
      expectError(await server.http.get('/v1/az').set(bearer(agent.credential)), 401, 'UNAUTHENTICATED');
    });
  });

  describe('heartbeats', () => {
    it('record the time quietly, and changed facts or an error as events', async () => {
      const agent = await new TestAgent(server).enrolled();
      const beat = expectResult<{ heartbeat: Record<string, unknown> }>(await agent.beat()).heartbeat;
      expect(beat).toEqual({
        client_uuid: agent.uuid,
        monitor_state: 1,
        heartbeat_interval: 15,
        heartbeat_misses: 20,
        task_head: 0,
      });
      expectResult(await agent.beat({ domains: 3, active_domains: 2 }));
      const client = async () =>
        expectResult<Page<Record<string, unknown>>>(await as(admin).get(`/v1/client?name=${agent.facts.name}`)).elements[0];
      expect(await client()).toMatchObject({ domains: 3, active_domains: 2 });
      expect((await events(`stream_id=${agent.uuid}`)).map((e) => e.type)).toEqual(['ClientEnrolled']);

      agent.facts.physical_vcpus = 16;
      expectResult(await agent.beat({ error: 'disk /dev/sdb: I/O errors' }));
      expect(await client()).toMatchObject({
        physical_vcpus: 16,
        monitor_state: 2,
        monitor_message: 'disk /dev/sdb: I/O errors',
      });
      const byUuid = expectResult<Page<{ uuid: string }>>(await as(admin).get(`/v1/client?uuid=${agent.uuid}`));
      expect(byUuid.elements.map((c) => c.uuid)).toEqual([agent.uuid]);
      expectResult(await agent.beat());
      expect(await client()).toMatchObject({ monitor_state: 1, monitor_message: '' });
      expect((await events(`stream_id=${agent.uuid}`)).map((e) => [e.type, e.data.monitor_state ?? e.data.changes])).toEqual([
        ['ClientEnrolled', 1],
        ['ClientUpdated', { physical_vcpus: 16 }],
        ['ClientMonitorStateChanged', 2],
        ['ClientMonitorStateChanged', 1],
      ]);
    });

    it('refuse bad bodies with 400', async () => {
      const agent = await new TestAgent(server).enrolled();
      expectError(await agent.beat({ domains: -1 }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.beat({ used_memory: 'lots' }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.beat({ error: 'x'.repeat(1025) }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.beat({ extra: 1 }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.beat({ domains: undefined }), 400, 'INVALID_ARGUMENT');
    });
  });

  describe('the Host family', () => {
    it('adopts a client: inventory from ratios and reservations, a create task for its agent, the operation log', async () => {
      const cluster = await newCluster();
      const agent = await new TestAgent(server).enrolled();
      const created = await as(admin).post(cluster.hosts, {
        uuid: agent.uuid,
        description: 'a host example',
        cpu_ratio: 2,
        memory_ratio: 1.5,
        reserved_vcpus: 1,
        reserved_memory: GIB,
      });
      const host = expectResult<{ host: Host & Record<string, unknown> }>(created).host;
      expect(host).toMatchObject({
        uuid: agent.uuid,
        name: agent.facts.name,
        description: 'a host example',
        state: 1,
        monitor_state: 1,
        monitor_message: '',
        az_uuid: az,
        cluster_uuid: cluster.uuid,
        physical_vcpus: 8,
        reserved_vcpus: 1,
        total_vcpus: 15,
        used_vcpus: 0,
        physical_memory: 16 * GIB,
        reserved_memory: GIB,
        total_memory: 23 * GIB,
        used_memory: 0,
        cpu_ratio: 2,
        memory_ratio: 1.5,
        vm_count: 0,
        last_operation_name: 'create',
        last_operation_state: 0,
        networks: [],
        vms: [],
      });
      expect(host.operation).toMatch(UUID);

      // The agent's watch has the task; the heartbeat says the node is a host now.
      const beat = expectResult<{ heartbeat: { task_head: number; host: unknown } }>(await agent.beat()).heartbeat;
      expect(beat).toMatchObject({ task_head: 1, host: { uuid: agent.uuid, az_uuid: az, cluster_uuid: cluster.uuid, state: 1 } });
      const page = expectResult<TaskPage>(await agent.tasks('?after=0'));
      expect(page).toMatchObject({ size: 1, next: 1, head: 1 });
      const [task] = page.elements;
      expect(task).toMatchObject({
        uuid: host.operation,
        seq: 1,
        resource_type: 'host',
        resource_uuid: agent.uuid,
        operation: 'create',
        state: 0,
        payload: {
          az_uuid: az,
          cluster_uuid: cluster.uuid,
          cpu_ratio: 2,
          memory_ratio: 1.5,
          reserved_vcpus: 1,
          reserved_memory: GIB,
        },
      });
      expect(task.request_id).toBe(created.body.requestId);
      expect(expectResult<TaskPage>(await agent.tasks('?after=1'))).toEqual({ elements: [], size: 0, next: 1, head: 1 });

      // Reported twice: applied once.
      expect(expectResult(await agent.report(task.uuid, { state: 1, result: { bridge: 'br0' } }))).toEqual({ task: 'ok' });
      expect(expectResult(await agent.report(task.uuid, { state: 1 }))).toEqual({ task: 'ok' });
      expectError(await agent.report(task.uuid, { state: 2, message: 'no' }), 400, 'FAILED_PRECONDITION');
      expect((await events(`stream_id=${task.uuid}`)).map((e) => e.type)).toEqual(['TaskCreated', 'TaskSucceeded']);

      const got = expectResult<{ host: Host }>(await as(reader.token).get(`${cluster.hosts}/${agent.uuid}`)).host;
      expect(got).toMatchObject({
        operation: '',
        last_operation_name: 'create',
        last_operation_state: 1,
        cluster_name: expect.any(String),
      });
      expect(got.tasks).toEqual([
        expect.objectContaining({ uuid: task.uuid, state: 1, operation_name: 'create', request_id: created.body.requestId }),
      ]);
      expect(expectResult<Page<Host>>(await as(reader.token).get(cluster.hosts))).toMatchObject({ size: 1, total: 1 });
      // No longer among the clients to adopt; still among all of them.
      expect(expectResult<Page<unknown>>(await as(admin).get(`/v1/client?name=${agent.facts.name}`)).total).toBe(0);
      expect(
        expectResult<Page<{ state: number }>>(await as(admin).get(`/v1/client?all=1&name=${agent.facts.name}`)).elements,
      ).toEqual([expect.objectContaining({ state: 1 })]);

      // The operation log: the request that caused the task, and the agent's report of its outcome.
      await server.caughtUp();
      const log = expectResult<Page<{ request_id: string; method: string; path: string; input: string; user_name: string }>>(
        await as(admin).get('/v1/operation_log?size=1000'),
      ).elements;
      expect(log.find((e) => e.request_id === created.body.requestId)).toMatchObject({ method: 'POST', path: cluster.hosts });
      expect(log.find((e) => e.path === `/v1/agent/task/${task.uuid}`)).toMatchObject({
        method: 'PUT',
        user_name: `agent:${agent.facts.name}`,
        input: '{"state":1,"result":{"bridge":"br0"}}',
      });
    });

    it('refuses what may not be adopted', async () => {
      const cluster = await newCluster();
      const agent = await new TestAgent(server).enrolled();
      expectError(await as(admin).post(cluster.hosts, { uuid: randomUUID() }), 404, 'NOT_FOUND');
      expectError(await as(admin).post(cluster.hosts, { uuid: agent.uuid, reserved_vcpus: 9 }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post(cluster.hosts, { uuid: agent.uuid, reserved_memory: 17 * GIB }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post(cluster.hosts, { uuid: agent.uuid, cpu_ratio: 0 }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post(cluster.hosts, { uuid: agent.uuid, cpu_ratio: 101 }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post(cluster.hosts, { uuid: agent.uuid, memory_ratio: '2' }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post(cluster.hosts, { uuid: 'nope' }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post(cluster.hosts, {}), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post(`/v1/az/${az}/cluster/${randomUUID()}/host`, { uuid: agent.uuid }), 404, 'NOT_FOUND');
      expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
      const again = expectError(await as(admin).post(cluster.hosts, { uuid: agent.uuid }), 400, 'FAILED_PRECONDITION');
      expect(again).toContain(`already a host of cluster ${cluster.uuid}`);
      // A disabled cluster takes no host; a cluster holding hosts cannot be deleted.
      const other = await newCluster();
      const spare = await new TestAgent(server).enrolled();
      expectResult(await as(admin).put(`/v1/az/${az}/cluster/${other.uuid}/disable`));
      expectError(await as(admin).post(other.hosts, { uuid: spare.uuid }), 400, 'FAILED_PRECONDITION');
      expect(expectError(await as(admin).delete(`/v1/az/${az}/cluster/${cluster.uuid}`), 400, 'FAILED_PRECONDITION')).toContain(
        'still holds hosts',
      );
    });

    it('updates ratios and reservations, never below what is placed, and changes states', async () => {
      const cluster = await newCluster();
      const agent = await new TestAgent(server).enrolled();
      expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
      const path = `${cluster.hosts}/${agent.uuid}`;
      const get = async () => expectResult<{ host: Host }>(await as(admin).get(path)).host;
      expect(await get()).toMatchObject({ total_vcpus: 8, total_memory: 16 * GIB });
      expect(expectResult(await as(admin).patch(path, { cpu_ratio: 4, reserved_vcpus: 2, description: null }))).toEqual({
        host: 'ok',
      });
      expect(await get()).toMatchObject({ total_vcpus: 30, reserved_vcpus: 2 });
      expectError(await as(admin).patch(path, { reserved_vcpus: 9 }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).patch(path, { uuid: agent.uuid }), 400, 'INVALID_ARGUMENT');
      // Something placed on it (compute's claim, written here directly): its capacity may not drop below.
      await server.dataSource.query('UPDATE hosts SET used_vcpus = 20 WHERE uuid = $1', [agent.uuid]);
      expectError(await as(admin).patch(path, { cpu_ratio: 2 }), 400, 'FAILED_PRECONDITION');
      expectError(await as(admin).delete(path), 400, 'FAILED_PRECONDITION');
      await server.dataSource.query('UPDATE hosts SET used_vcpus = 0 WHERE uuid = $1', [agent.uuid]);

      for (const [action, state] of [
        ['disable', 0],
        ['suspend', 2],
        ['suspend', 2],
        ['enable', 1],
      ] as const) {
        expect(expectResult(await as(admin).put(`${path}/${action}`))).toEqual({ host: 'ok' });
        expect((await get()).state).toBe(state);
      }
      const statistic = expectResult<{ host_statistic: Record<string, number> }>(
        await as(reader.token).get(`/v1/host_statistic?cluster_uuid=${cluster.uuid}`),
      ).host_statistic;
      expect(statistic).toEqual({
        hosts: 1,
        enabled: 1,
        disabled: 0,
        suspended: 0,
        reachable: 1,
        unreachable: 0,
        error: 0,
        physical_vcpus: 8,
        total_vcpus: 30,
        used_vcpus: 0,
        physical_memory: 16 * GIB,
        total_memory: 16 * GIB,
        used_memory: 0,
      });
      expect(
        expectResult<{ host_statistic: { hosts: number } }>(await as(admin).get(`/v1/host_statistic?host_uuid=${randomUUID()}`))
          .host_statistic.hosts,
      ).toBe(0);
      expectError(await as(admin).get('/v1/host_statistic?cluster_uuid=x'), 400, 'INVALID_ARGUMENT');
    });

    it('filters and sorts hosts and clients, and refuses bad list queries', async () => {
      const cluster = await newCluster();
      const agents = [];
      for (const rack of ['r-a', 'r-b', 'r-b']) {
        const agent = new TestAgent(server);
        agent.facts.rack_name = rack;
        await agent.enrolled();
        expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
        agents.push(agent);
      }
      const list = async (query: string) => expectResult<Page<Host>>(await as(admin).get(`${cluster.hosts}?${query}`));
      expect((await list('rack_name=r-b')).total).toBe(2);
      expect((await list(`uuid=${agents[0].uuid}`)).elements.map((h) => h.uuid)).toEqual([agents[0].uuid]);
      expect((await list(`name=${agents[1].facts.name.toUpperCase()}`)).total).toBe(1);
      expect((await list('monitor_state=0')).total).toBe(0);
      expect((await list('sort=heartbeat_at')).total).toBe(3);
      const names = (await list('sort=name&order=asc')).elements.map((h) => h.name);
      expect(names).toEqual([...names].sort((a, b) => a.toLowerCase().localeCompare(b.toLowerCase())));
      expectError(await as(admin).get(`${cluster.hosts}?sort=total_vcpus`), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get(`${cluster.hosts}?monitor_state=3`), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get(`${cluster.hosts}?state=x`), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get('/v1/client?all=2'), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get('/v1/client?hostname=x'), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get(`${cluster.hosts}/${randomUUID()}`), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`/v1/az/${randomUUID()}/cluster/${cluster.uuid}/host/${agents[0].uuid}`), 404, 'NOT_FOUND');
    });

    it('lets administrators write, read-only administrators read, users neither', async () => {
      const cluster = await newCluster();
      const agent = await new TestAgent(server).enrolled();
      for (const path of [cluster.hosts, '/v1/client', '/v1/host_statistic']) {
        expectError(await as(user.token).get(path), 403, 'PERMISSION_DENIED');
        expectResult(await as(reader.token).get(path));
      }
      expectError(await as(reader.token).post(cluster.hosts, { uuid: agent.uuid }), 403, 'PERMISSION_DENIED');
      expectError(await as(user.token).post(cluster.hosts, { uuid: agent.uuid }), 403, 'PERMISSION_DENIED');
      expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
      const path = `${cluster.hosts}/${agent.uuid}`;
      for (const call of [
        () => as(reader.token).patch(path, { description: 'x' }),
        () => as(reader.token).put(`${path}/disable`),
        () => as(reader.token).delete(path),
        () => as(user.token).get(path),
      ]) {
        expectError(await call(), 403, 'PERMISSION_DENIED');
      }
      expectError(await server.http.get(cluster.hosts), 401, 'UNAUTHENTICATED');
    });

    it('deletes a host: its node is a client again, its credential revoked at once, its running tasks failed', async () => {
      const cluster = await newCluster();
      const agent = await new TestAgent(server).enrolled();
      const host = expectResult<{ host: Host }>(await as(admin).post(cluster.hosts, { uuid: agent.uuid })).host;
      expect(expectResult(await as(admin).delete(`${cluster.hosts}/${agent.uuid}`))).toBe(1);
      expectError(await agent.beat(), 401, 'UNAUTHENTICATED');
      expectError(await agent.tasks(), 401, 'UNAUTHENTICATED');
      expectError(await as(admin).get(`${cluster.hosts}/${agent.uuid}`), 404, 'NOT_FOUND');
      const [failed] = (await events(`stream_id=${host.operation}`)).filter((e) => e.type === 'TaskFailed');
      expect(failed.data.message).toBe('its host was deleted before its agent reported');
      // It enrols again and may be adopted again.
      await agent.enrolled();
      expect(expectResult<Page<{ state: number }>>(await as(admin).get(`/v1/client?name=${agent.facts.name}`)).elements).toEqual([
        expect.objectContaining({ state: 0, monitor_state: 1 }),
      ]);
      expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
    });

    it('holds 256 hosts per cluster under 100 parallel adoptions', async () => {
      const cluster = await newCluster();
      const agents: TestAgent[] = [];
      for (let i = 0; i < 300; i += 50) {
        agents.push(...(await Promise.all(Array.from({ length: 50 }, () => new TestAgent(server).enrolled()))));
      }
      for (let i = 0; i < 200; i += 20) {
        const adopted = await Promise.all(agents.slice(i, i + 20).map((a) => as(admin).post(cluster.hosts, { uuid: a.uuid })));
        adopted.forEach((res) => expectResult(res));
      }
      const raced = await Promise.all(agents.slice(200).map((a) => as(admin).post(cluster.hosts, { uuid: a.uuid })));
      expect(raced.filter((res) => res.status === 200)).toHaveLength(56);
      const refused = raced.filter((res) => res.status !== 200);
      expect(refused).toHaveLength(44);
      refused.forEach((res) => expect(expectError(res, 400, 'LIMIT_EXCEEDED')).toBe('at most 256 hosts in one cluster'));
      expect(expectResult<Page<Host>>(await as(admin).get(`${cluster.hosts}?size=1`)).total).toBe(256);
    }, 120_000);
  });

  describe('tasks', () => {
    let cluster: { uuid: string; hosts: string };
    beforeAll(async () => {
      cluster = await newCluster();
    });

    it('reach a watching agent as soon as they commit', async () => {
      const agent = await new TestAgent(server).enrolled();
      const started = Date.now();
      const watch = agent.tasks('?after=0&wait=20').then((res) => ({ page: expectResult<TaskPage>(res), at: Date.now() }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const created = Date.now();
      expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
      const { page, at } = await watch;
      expect(page).toMatchObject({ size: 1, next: 1, head: 1 });
      expect(at - created).toBeLessThan(5_000);
      expect(at - started).toBeGreaterThanOrEqual(300);
      // With nothing new, a watch ends after `wait` with no elements.
      const quiet = Date.now();
      expect(expectResult<TaskPage>(await agent.tasks('?after=1&wait=1'))).toEqual({ elements: [], size: 0, next: 1, head: 1 });
      expect(Date.now() - quiet).toBeGreaterThanOrEqual(900);
    });

    it('resume after an agent restart: the unfinished ones are listed again, the cursor goes on', async () => {
      const agent = await new TestAgent(server).enrolled();
      expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
      const [task] = expectResult<TaskPage>(await agent.tasks('?after=0')).elements;
      // The agent dies before reporting; it comes back with its state file (uuid, credential, cursor 1).
      const pending = expectResult<TaskPage>(await agent.tasks('?state=0'));
      expect(pending.elements.map((t) => t.uuid)).toEqual([task.uuid]);
      expect(pending.head).toBe(1);
      expectResult(await agent.report(task.uuid, { state: 2, message: 'bridge br0 missing' }));
      expect(expectResult<TaskPage>(await agent.tasks('?state=0')).elements).toEqual([]);
      expect(expectResult<TaskPage>(await agent.tasks('?after=0&state=2')).elements).toEqual([
        expect.objectContaining({ uuid: task.uuid, state: 2, message: 'bridge br0 missing' }),
      ]);
      const host = expectResult<{ host: Host }>(await as(admin).get(`${cluster.hosts}/${agent.uuid}`)).host;
      expect(host).toMatchObject({ last_operation_state: 2, operation: '' });
    });

    it("are only their own node's, and refuse bad reports and queries", async () => {
      const agent = await new TestAgent(server).enrolled();
      const other = await new TestAgent(server).enrolled();
      expectResult(await as(admin).post(cluster.hosts, { uuid: agent.uuid }));
      const [task] = expectResult<TaskPage>(await agent.tasks()).elements;
      expect(expectResult<TaskPage>(await other.tasks()).elements).toEqual([]);
      expectError(await other.report(task.uuid, { state: 1 }), 404, 'NOT_FOUND');
      expectError(await agent.report(randomUUID(), { state: 1 }), 404, 'NOT_FOUND');
      expectError(await agent.report('nope', { state: 1 }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.report(task.uuid, { state: 0 }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.report(task.uuid, { state: 1, message: 'x'.repeat(1025) }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.report(task.uuid, { state: 1, result: [1] }), 400, 'INVALID_ARGUMENT');
      expectError(await agent.report(task.uuid, {}), 400, 'INVALID_ARGUMENT');
      for (const query of ['?wait=301', '?wait=-1', '?after=x', '?limit=0', '?limit=101', '?state=3', '?cursor=1']) {
        expectError(await agent.tasks(query), 400, 'INVALID_ARGUMENT');
      }
      expect(expectResult<TaskPage>(await agent.tasks('?after=0&limit=1')).elements).toHaveLength(1);
    });
  });
});

describe('hosts and agents with short heartbeats and task timeouts', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN,
        CHIME_HEARTBEAT_INTERVAL: '1',
        CHIME_HEARTBEAT_MISSES: '2',
        CHIME_TASK_TIMEOUT: '2',
      },
    });
    admin = await login(server, ADMIN.name, ADMIN.password);
  });

  afterAll(() => server?.close());

  it('marks a silent node unreachable within interval × misses + 5 s, once, and reachable on its next heartbeat', async () => {
    const agent = await new TestAgent(server).enrolled();
    const silentSince = Date.now();
    const client = async () =>
      expectResult<Page<{ monitor_state: number }>>(await asCaller(server, admin).get(`/v1/client?name=${agent.facts.name}`))
        .elements[0];
    await eventually(client, (c) => c.monitor_state === 0, 10_000);
    expect(Date.now() - silentSince).toBeLessThanOrEqual(2_000 + 5_000 + 1_000);

    const beat = expectResult<{ heartbeat: { monitor_state: number } }>(await agent.beat()).heartbeat;
    expect(beat.monitor_state).toBe(1);
    expect((await client()).monitor_state).toBe(1);
    await server.caughtUp();
    const changes = expectResult<{ elements: StoredEvent[] }>(
      await server.http.get(`/v1/event?type=ClientMonitorStateChanged&stream_id=${agent.uuid}`).set(bearer(admin)),
    ).elements;
    expect(changes.map((e) => [e.data.monitor_state, e.metadata.method])).toEqual([
      [0, 'MONITOR'],
      [1, 'POST'],
    ]);
    expect(changes[0].metadata.user_name).toBe('system');
    await server.caughtUp();
    const log = expectResult<Page<{ request_id: string; method: string; path: string }>>(
      await asCaller(server, admin).get('/v1/operation_log?method=MONITOR'),
    ).elements;
    expect(log).toEqual([
      expect.objectContaining({ request_id: changes[0].metadata.request_id, path: `/v1/client/${agent.uuid}` }),
    ]);
  });

  it('refuses to adopt an unreachable client', async () => {
    const agent = await new TestAgent(server).enrolled();
    const hosts = await newHostsPath(server, admin);
    await eventually(
      async () =>
        (await server.dataSource.query('SELECT monitor_state FROM clients WHERE uuid = $1', [agent.uuid]))[0].monitor_state,
      (state) => state === 0,
      10_000,
    );
    const message = expectError(await asCaller(server, admin).post(hosts, { uuid: agent.uuid }), 400, 'FAILED_PRECONDITION');
    expect(message).toContain('unreachable');
  });

  it('fails a task no agent reports within CHIME_TASK_TIMEOUT, and refuses a late report', async () => {
    const agent = await new TestAgent(server).enrolled();
    const hosts = await newHostsPath(server, admin);
    expectResult(await asCaller(server, admin).post(hosts, { uuid: agent.uuid }));
    const [task] = expectResult<TaskPage>(await agent.tasks()).elements;
    const failed = await eventually(
      async () => expectResult<TaskPage>(await agent.tasks('?after=0&state=2')).elements,
      (tasks) => tasks.length === 1,
      15_000,
    );
    expect(failed[0]).toMatchObject({ uuid: task.uuid, state: 2, message: 'timed out: no agent reported an outcome within 2 s' });
    expect(expectError(await agent.report(task.uuid, { state: 1 }), 400, 'FAILED_PRECONDITION')).toContain('timed out');
    await server.caughtUp();
    const timeouts = expectResult<{ elements: StoredEvent[] }>(
      await server.http.get(`/v1/event?stream_id=${task.uuid}`).set(bearer(admin)),
    ).elements;
    expect(timeouts.map((e) => [e.type, e.metadata.method])).toEqual([
      ['TaskCreated', 'POST'],
      ['TaskFailed', 'TIMEOUT'],
    ]);
  });
});

describe('hosts and agents on a server that stops', () => {
  it('answers a held watch at once, before its database closes', async () => {
    const server = await startTestServer({ env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN } });
    const agent = await new TestAgent(server).enrolled();
    const held = agent.tasks('?after=0&wait=60').then((res) => ({ res, at: Date.now() }));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const closing = Date.now();
    await server.close();
    const { res, at } = await held;
    expect(expectResult<TaskPage>(res)).toEqual({ elements: [], size: 0, next: 0, head: 0 });
    expect(at - closing).toBeLessThan(5_000);
  });
});

describe('hosts and agents on a server without a join token', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });

  afterAll(() => server?.close());

  it('refuses every enrolment with 401, saying why', async () => {
    const message = expectError(await new TestAgent(server).enrol(), 401, 'UNAUTHENTICATED');
    expect(message).toBe('agents cannot enrol: the server has no join token (CHIME_AGENT_JOIN_TOKEN)');
  });
});
