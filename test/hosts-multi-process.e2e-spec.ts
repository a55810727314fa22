import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Agent } from '../apps/agent/src/agent';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { verifyReplay } from '../src/replay/verify-replay';
import { SCHEMA } from '../src/schema';
import { eventually } from './support/eventually';
import { callServer as call, startServerProcess, ServerProcess } from './support/server-process';
import { createTestDatabase, TestDatabase } from './support/test-database';

const JOIN_TOKEN = 'join-token-for-the-tests-0123456789';
const GIB = 1024 ** 3;

/**
 * Nodes and their agents seen by three server processes on one PostgreSQL database: every change of
 * a node's monitor state recorded once, whichever process sees it; a credential revoked on one
 * process refused on all; a task created on one process reaching a watch held by another; a storage
 * pool claimed exactly by creations on all three; hosts claimed exactly by VM creations on all three. Only on a
 * PostgreSQL server (the embedded database belongs to one process).
 */
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer('hosts and agents with several server processes on one database', () => {
  let database: TestDatabase;
  let dataSource: DataSource;
  const servers: ServerProcess[] = [];
  let admin = '';

  const facts = (name: string) => ({ name, manage_ip: '10.2.0.1', physical_vcpus: 4, physical_memory: 8 * GIB });
  const usage = { domains: 0, active_domains: 0, used_vcpus: 0, used_memory: 0, active_used_vcpus: 0, active_used_memory: 0 };
  const enrol = async (server: ServerProcess, name: string) => {
    const uuid = randomUUID();
    const res = await call(server, 'POST', '/v1/agent/enrol', undefined, { join_token: JOIN_TOKEN, uuid, ...facts(name) });
    expect(res.status).toBe(200);
    return { uuid, name, credential: res.body.result.agent.credential as string };
  };
  const monitorEvents = async (uuid: string) =>
    (
      (await dataSource.query(
        `SELECT data->>'monitor_state' AS state FROM event_log
          WHERE stream_type = 'client' AND stream_id = $1 AND type = 'ClientMonitorStateChanged' ORDER BY version`,
        [uuid],
      )) as { state: string }[]
    ).map((row) => Number(row.state));

  beforeAll(async () => {
    database = await createTestDatabase();
    const env = {
      ...database.env,
      CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN,
      CHIME_HEARTBEAT_INTERVAL: '1',
      CHIME_HEARTBEAT_MISSES: '2',
    };
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env), startServerProcess(env)])));
    dataSource = await new DataSource({ type: 'postgres', url: database.url, entities: SCHEMA.entities }).initialize();
    admin = (await call(servers[0], 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' })).body.result.user
      .uuid as string;
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGKILL');
    await Promise.all(servers.map((s) => s.exited));
    if (dataSource?.isInitialized) expect(await verifyReplay(dataSource)).toEqual([]);
    await dataSource?.destroy();
    await database?.drop();
  });

  it('records each monitor-state change of a node exactly once, whichever process sees it', async () => {
    const nodes = await Promise.all(Array.from({ length: 30 }, (_, i) => enrol(servers[i % 3], `mp-node-${i}`)));
    // Silence: every process's monitor looks; each node goes unreachable once.
    await eventually(
      async () => (await dataSource.query('SELECT count(*)::int AS n FROM clients WHERE monitor_state = 0'))[0].n as number,
      (n) => n === nodes.length,
      15_000,
    );
    // Each beats again, on another process than it enrolled on: reachable once.
    for (const [i, node] of nodes.entries()) {
      const res = await call(servers[(i + 1) % 3], 'POST', '/v1/agent/heartbeat', node.credential, {
        ...facts(node.name),
        ...usage,
      });
      expect(res.body.result.heartbeat.monitor_state).toBe(1);
    }
    for (const node of nodes) expect(await monitorEvents(node.uuid)).toEqual([0, 1]);
    // The operation log has one MONITOR entry per node.
    const entries = await eventually(
      async () =>
        (await dataSource.query(`SELECT count(*)::int AS n FROM operation_log WHERE method = 'MONITOR'`))[0].n as number,
      (n) => n >= nodes.length,
      15_000,
    );
    expect(entries).toBe(nodes.length);
  }, 60_000);

  it('refuses a credential on every process as soon as deleteHost on one of them revoked it', async () => {
    const [a, b, c] = servers;
    const node = await enrol(a, 'mp-revoked');
    const az = (await call(a, 'POST', '/v1/az', admin, { name: 'mp-az' })).body.result.az.uuid as string;
    const cluster = (await call(a, 'POST', `/v1/az/${az}/cluster`, admin, { name: 'mp-c' })).body.result.cluster.uuid as string;
    const hosts = `/v1/az/${az}/cluster/${cluster}/host`;

    // A watch held on B hears of the task created on A (NOTIFY), long before its 20 s wait ends.
    const watching = Date.now();
    const watch = call(b, 'GET', '/v1/agent/task?after=0&wait=20', node.credential);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect((await call(a, 'POST', hosts, admin, { uuid: node.uuid })).status).toBe(200);
    const seen = await watch;
    expect(seen.body.result).toMatchObject({ size: 1, head: 1 });
    expect(Date.now() - watching).toBeLessThan(5_000);

    const beat = () => call(c, 'POST', '/v1/agent/heartbeat', node.credential, { ...facts(node.name), ...usage });
    expect((await beat()).status).toBe(200);
    expect((await call(a, 'DELETE', `${hosts}/${node.uuid}`, admin)).status).toBe(200);
    const refused = await beat();
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { status: 'UNAUTHENTICATED' } });
    expect((await call(b, 'GET', '/v1/agent/task', node.credential)).status).toBe(401);
  }, 60_000);
  it("claims a storage pool exactly with creations spread over the processes, and a node's agent creates them", async () => {
    const [a, b, c] = servers;
    const driver = new SimDriver({ name: 'mp-storage', vcpus: 8, memory: 16 * GIB });
    const agent = new Agent({ server: a.url, joinToken: JOIN_TOKEN, driver, watchWait: 20 });
    await agent.start();
    let host: string | undefined;
    try {
      const az = (await call(a, 'POST', '/v1/az', admin, { name: 'mp-storage-az' })).body.result.az.uuid as string;
      const cluster = `/v1/az/${az}/cluster/${(await call(b, 'POST', `/v1/az/${az}/cluster`, admin, { name: 'mp-sc' })).body.result.cluster.uuid as string}`;
      expect((await call(c, 'POST', `${cluster}/host`, admin, { uuid: agent.state.uuid })).status).toBe(200);
      host = `${cluster}/host/${agent.state.uuid}`;
      const pool = (await call(a, 'POST', `${cluster}/storage_pool`, admin, { name: 'mp-pool', physical_size: 10 * GIB })).body
        .result.storage_pool.uuid as string;
      const spec = (
        await call(b, 'POST', '/v1/volume_spec', admin, {
          name: 'mp-spec',
          storage_pool_uuid: pool,
          min_iops: 0,
          max_iops: 0,
          step_iops: 0,
          min_throughput: 0,
          max_throughput: 0,
          step_throughput: 0,
        })
      ).body.result.volume_spec.uuid as string;
      expect((await call(c, 'POST', `${cluster}/volume_spec_relation`, admin, { volume_spec_uuid: spec })).status).toBe(200);

      const results = await Promise.all(
        Array.from({ length: 45 }, (_, i) =>
          call(servers[i % 3], 'POST', `${cluster}/volume`, admin, { name: `mp-v${i}`, size: GIB, volume_spec_uuid: spec }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(10);
      for (const r of results.filter((r) => r.status !== 200)) {
        expect(r).toMatchObject({ status: 400, body: { error: { status: 'FAILED_PRECONDITION' } } });
      }
      const [claimed] = await dataSource.query(
        'SELECT used_size::float8 AS used, volume_count AS n FROM storage_pools WHERE uuid = $1',
        [pool],
      );
      expect(claimed).toEqual({ used: 10 * GIB, n: 10 });
      await eventually(
        async () =>
          (await dataSource.query('SELECT count(*)::int AS n FROM volumes WHERE storage_pool_uuid = $1 AND state = 1', [pool]))[0]
            .n as number,
        (n) => n === 10,
        20_000,
      );
      expect(driver.node.volumes.size).toBe(10);
    } finally {
      // Its agent stops here, but the host stays reachable for the monitor's 50 s: disabled, it
      // takes no later test's work (a public image's fetch goes to any host that takes work; one
      // sent here stayed undone, seen in CI).
      if (host) expect((await call(b, 'PUT', `${host}/disable`, admin)).status).toBe(200);
      await agent.stop();
    }
  }, 60_000);

  it('places VMs exactly with creations spread over the processes: no host over its total, the agents create them', async () => {
    const [a, b, c] = servers;
    const drivers = [0, 1, 2].map((i) => new SimDriver({ name: `mp-compute-${i}`, vcpus: 8, memory: 8 * GIB }));
    const agents = drivers.map(
      (driver, i) => new Agent({ server: servers[i].url, joinToken: JOIN_TOKEN, driver, watchWait: 20 }),
    );
    await Promise.all(agents.map((agent) => agent.start()));
    try {
      const az = (await call(a, 'POST', '/v1/az', admin, { name: 'mp-compute-az' })).body.result.az.uuid as string;
      const clusterUuid = (await call(b, 'POST', `/v1/az/${az}/cluster`, admin, { name: 'mp-cc' })).body.result.cluster
        .uuid as string;
      const cluster = `/v1/az/${az}/cluster/${clusterUuid}`;
      for (const agent of agents)
        expect((await call(c, 'POST', `${cluster}/host`, admin, { uuid: agent.state.uuid })).status).toBe(200);
      await eventually(
        async () =>
          (
            await dataSource.query(
              `SELECT count(*)::int AS n FROM host_rows WHERE cluster_uuid = $1 AND last_operation_state = 1`,
              [clusterUuid],
            )
          )[0].n as number,
        (n) => n === 3,
        20_000,
      );
      const ok = async (server: ServerProcess, method: string, path: string, body: object) => {
        const res = await call(server, method, path, admin, body);
        expect(res.status).toBe(200);
        return res.body.result;
      };
      const pool = (await ok(a, 'POST', `${cluster}/storage_pool`, { name: 'mp-cpool', physical_size: 1024 * GIB })).storage_pool
        .uuid;
      const volumeSpec = (
        await ok(b, 'POST', '/v1/volume_spec', {
          name: 'mp-cspec',
          storage_pool_uuid: pool,
          min_iops: 0,
          max_iops: 0,
          step_iops: 0,
          min_throughput: 0,
          max_throughput: 0,
          step_throughput: 0,
        })
      ).volume_spec.uuid;
      await ok(c, 'POST', `${cluster}/volume_spec_relation`, { volume_spec_uuid: volumeSpec });
      const instanceSpec = (await ok(a, 'POST', '/v1/instance_spec', { name: 'mp-ispec', vcpus: 2, memory: 4 * GIB }))
        .instance_spec.uuid;
      await ok(b, 'POST', `${cluster}/instance_spec_relation`, { instance_spec_uuid: instanceSpec });
      const network = (await ok(c, 'POST', `${cluster}/network`, { name: 'mp-net', bridge_name: 'br0', interface_name: 'eth0' }))
        .network.uuid;
      const subnet = (await ok(a, 'POST', `${cluster}/network/${network}/subnet`, { name: 'mp-sub', cidr: '10.30.0.0/24' }))
        .subnet.uuid;
      const image = (await ok(b, 'POST', '/v1/image/public', { name: 'mp-img', install_url: 'https://mirror.example/mp.qcow2' }))
        .image.uuid;
      // The image is fetched by one node's agent and made available by a consumer of the task's
      // outcome, which may run in any of the three processes. Should it time out, the last value
      // says where the fetch stood (the task's node and state, the consumers' failures).
      await eventually(
        async () =>
          (
            await dataSource.query(
              `SELECT (SELECT state FROM images WHERE uuid = $1) AS image,
                      (SELECT json_agg(json_build_object('client', client_uuid, 'seq', seq, 'state', state)) FROM tasks WHERE resource_uuid = $1) AS tasks,
                      (SELECT json_agg(json_build_object('name', name, 'failures', failures, 'error', last_error)) FROM event_subscriptions WHERE failures > 0) AS failing`,
              [image],
            )
          )[0] as { image: number },
        (row) => row.image === 1,
        20_000,
      );
      // 3 hosts of 8 GiB: two VMs of 4 GiB each, six in all.
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          call(servers[i % 3], 'POST', '/v1/vm', admin, {
            az_uuid: az,
            cluster_uuid: clusterUuid,
            name: `mp-vm${i}`,
            instance_spec_uuid: instanceSpec,
            nics: [{ name: 'eth0', subnet_uuid: subnet }],
            volumes: [{ name: 'root', size: 10 * GIB, volume_spec_uuid: volumeSpec, image_uuid: image }],
          }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(6);
      for (const r of results.filter((r) => r.status !== 200)) {
        expect(r).toMatchObject({ status: 400, body: { error: { status: 'FAILED_PRECONDITION' } } });
      }
      const hosts: { used_vcpus: number; used_memory: number; vms: number }[] = await dataSource.query(
        `SELECT h.used_vcpus, h.used_memory::float8 AS used_memory, (SELECT count(*)::int FROM vms v WHERE v.host_uuid = h.uuid) AS vms
           FROM hosts h WHERE h.cluster_uuid = $1`,
        [clusterUuid],
      );
      expect(hosts).toEqual([0, 1, 2].map(() => ({ used_vcpus: 4, used_memory: 8 * GIB, vms: 2 })));
      const [addresses] = await dataSource.query(
        'SELECT count(DISTINCT ip)::int AS n, count(*)::int AS total FROM nics WHERE subnet_uuid = $1',
        [subnet],
      );
      expect(addresses).toEqual({ n: 6, total: 6 });
      await eventually(
        async () =>
          (await dataSource.query('SELECT count(*)::int AS n FROM vms WHERE cluster_uuid = $1 AND state = 1', [clusterUuid]))[0]
            .n as number,
        (n) => n === 6,
        20_000,
      );
      expect(drivers.map((driver) => driver.node.domains.size)).toEqual([2, 2, 2]);
    } finally {
      await Promise.all(agents.map((agent) => agent.stop()));
    }
  }, 90_000);
});
