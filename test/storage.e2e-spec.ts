import { createHash } from 'node:crypto';
import { Role } from '@chime/contracts';
import { Agent, type AgentState } from '../apps/agent/src/agent';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { expectError, expectResult, UUID } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, createUser, login, TestUser, uniqueName } from './support/users';
import { STANDARD_QOS } from './support/volume-spec';

const JOIN_TOKEN = 'join-token-for-the-storage-tests-01';
const GIB = 1024 ** 3;

interface Page<T> {
  elements: T[];
  size: number;
  total: number;
}
interface Pool {
  uuid: string;
  name: string;
  cluster_name: string;
  physical_size: number;
  size_ratio: number;
  reserved_size: number;
  total_size: number;
  used_size: number;
  type: number;
  state: number;
  meta: string;
}
interface Task {
  uuid: string;
  state: number;
  operation_name: string;
}
interface Snapshot {
  uuid: string;
  name: string;
  state: number;
  operation: string;
  volume_version: number;
  volume_name: string;
  user_uuid: string;
  last_operation_state: number;
  tasks: Task[];
}
interface Volume {
  uuid: string;
  name: string;
  user_uuid: string;
  host_uuid: string;
  host_name: string;
  state: number;
  operation: string;
  size: number;
  iops: number;
  throughput: number;
  install_path: string;
  version: number;
  parent_version: number;
  snapshot_count: number;
  snapshots: Snapshot[];
  storage_pool_name: string;
  spec_name: string;
  image_uuid: string;
  image_name: string;
  last_operation_name: string;
  last_operation_state: number;
  tasks: Task[];
}

/**
 * Storage pools, volume specs, volumes and snapshots against the real server, with real agents
 * (apps/agent, the sim driver) doing the work on their nodes.
 */
describe('storage: pools, volume specs, volumes and snapshots', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  const as = (token: string) => asCaller(server, token);
  const agents: Agent[] = [];
  /** Every simulated node's driver, to look at what the nodes hold. */
  const drivers: SimDriver[] = [];
  let az = '';

  /** A node with the reference agent and the sim driver, adopted as a host of the cluster. */
  const adoptedNode = async (cluster: string, options: { fail?: string[]; latencyMs?: number } = {}) => {
    const driver = new SimDriver({ name: uniqueName('n'), vcpus: 8, memory: 16 * GIB, ...options });
    const agent = new Agent({ server: server.url, joinToken: JOIN_TOKEN, driver, watchWait: 20 });
    agents.push(agent);
    drivers.push(driver);
    await agent.start();
    const hosts = `${cluster}/host`;
    expectResult(await as(admin).post(hosts, { uuid: agent.state.uuid }));
    await eventually(
      async () =>
        expectResult<{ host: { last_operation_state: number } }>(await as(admin).get(`${hosts}/${agent.state.uuid}`)).host,
      (h) => h.last_operation_state === 1,
    );
    return { agent, driver, uuid: agent.state.uuid };
  };

  const newCluster = async () => {
    const uuid = expectResult<{ cluster: { uuid: string } }>(
      await as(admin).post(`/v1/az/${az}/cluster`, { name: uniqueName('c') }),
    ).cluster.uuid;
    return `/v1/az/${az}/cluster/${uuid}`;
  };

  const newPool = async (cluster: string, body: object = {}) =>
    expectResult<{ storage_pool: Pool }>(
      await as(admin).post(`${cluster}/storage_pool`, { name: uniqueName('pool'), physical_size: 100 * GIB, ...body }),
    ).storage_pool;

  /** A spec of the pool, registered in the cluster. */
  const newSpec = async (cluster: string, pool: string, body: object = {}) => {
    const spec = expectResult<{ volume_spec: { uuid: string } }>(
      await as(admin).post('/v1/volume_spec', {
        name: uniqueName('spec'),
        storage_pool_uuid: pool,
        ...STANDARD_QOS,
        ...body,
      }),
    ).volume_spec;
    expectResult(await as(admin).post(`${cluster}/volume_spec_relation`, { volume_spec_uuid: spec.uuid }));
    return spec.uuid;
  };

  const volumeAt = async (cluster: string, uuid: string, token = admin) =>
    expectResult<{ volume: Volume }>(await as(token).get(`${cluster}/volume/${uuid}`)).volume;
  const settled = (cluster: string, uuid: string, done: (v: Volume) => boolean = (v) => v.operation === '') =>
    eventually(() => volumeAt(cluster, uuid), done);
  const poolAt = async (cluster: string, uuid: string) =>
    expectResult<{ storage_pool: Pool }>(await as(admin).get(`${cluster}/storage_pool/${uuid}`)).storage_pool;

  beforeAll(async () => {
    server = await startTestServer({
      env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_INTERVAL: '1', CHIME_HEARTBEAT_MISSES: '2' },
    });
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    alice = await createUser(server, admin, Role.User);
    bob = await createUser(server, admin, Role.User);
    az = expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: uniqueName('az') })).az.uuid;
  });

  afterAll(async () => {
    await Promise.all(agents.map((agent) => agent.stop()));
    await server?.close();
  });

  describe('storage pools', () => {
    it('creates, reads, lists, updates and deletes a pool, with its capacity', async () => {
      const cluster = await newCluster();
      const pool = await newPool(cluster, {
        description: 'local disks',
        size_ratio: 1.5,
        reserved_size: 10 * GIB,
        meta: '{"backend_path":"/data/volumes","image_cache_path":"/data/cache"}',
      });
      expect(pool).toMatchObject({
        uuid: expect.stringMatching(UUID),
        type: 0,
        state: 1,
        physical_size: 100 * GIB,
        size_ratio: 1.5,
        reserved_size: 10 * GIB,
        total_size: 140 * GIB,
        used_size: 0,
        cluster_uuid: cluster.split('/')[5],
        az_uuid: az,
      });
      expect(await poolAt(cluster, pool.uuid)).toEqual({ ...pool, cluster_name: expect.any(String) });
      const list = expectResult<Page<Pool>>(
        await as(alice.token).get(`${cluster}/storage_pool?type=0&name=${pool.name.slice(0, 8)}`),
      );
      expect(list).toMatchObject({ size: 1, total: 1, elements: [{ uuid: pool.uuid }] });
      const all = expectResult<Page<Pool>>(await as(admin).get('/v1/storage_pool?size=1000'));
      expect(all.elements.map((p) => p.uuid)).toContain(pool.uuid);

      expect(
        expectResult(await as(admin).patch(`${cluster}/storage_pool/${pool.uuid}`, { physical_size: 200 * GIB, size_ratio: 1 })),
      ).toEqual({ storage_pool: 'ok' });
      expect(await poolAt(cluster, pool.uuid)).toMatchObject({ physical_size: 200 * GIB, total_size: 190 * GIB });

      const statistic = expectResult<{ storage_pool_statistic: Record<string, number> }>(
        await as(admin).get(`/v1/storage_pool_statistic?storage_pool_uuid=${pool.uuid}`),
      ).storage_pool_statistic;
      expect(statistic).toEqual({
        storage_pools: 1,
        volumes: 0,
        physical_size: 200 * GIB,
        reserved_size: 10 * GIB,
        total_size: 190 * GIB,
        used_size: 0,
        free_size: 190 * GIB,
      });

      expect(expectResult(await as(admin).delete(`${cluster}/storage_pool/${pool.uuid}`))).toBe(1);
      expectError(await as(admin).get(`${cluster}/storage_pool/${pool.uuid}`), 404, 'NOT_FOUND');
    });

    it('refuses bad input, taken names, the 17th pool, other roles and a cluster holding pools', async () => {
      const cluster = await newCluster();
      const path = `${cluster}/storage_pool`;
      const bad: [object, RegExp][] = [
        [{ name: 'p' }, /physical_size/],
        [{ name: 'p', physical_size: -1 }, /physical_size/],
        [{ name: 'p', physical_size: 1.5 }, /physical_size/],
        [{ name: 'p', physical_size: GIB, size_ratio: 0 }, /size_ratio/],
        [{ name: 'p', physical_size: GIB, size_ratio: 101 }, /size_ratio/],
        [{ name: 'p', physical_size: GIB, type: 3 }, /type/],
        [{ name: 'p', physical_size: GIB, meta: '[1]' }, /meta/],
        [{ name: 'p', physical_size: GIB, meta: '{"a":1}' }, /meta/],
        [{ name: 'p', physical_size: GIB, reserved_size: 2 * GIB }, /reserved_size/],
        [{ name: '', physical_size: GIB }, /name/],
        [{ name: 'p', physical_size: GIB, extra: 1 }, /extra/],
      ];
      for (const [body, message] of bad)
        expect(expectError(await as(admin).post(path, body), 400, 'INVALID_ARGUMENT')).toMatch(message);
      const pool = await newPool(cluster, { name: 'Fast' });
      expect(expectError(await as(admin).post(path, { name: 'fast', physical_size: GIB }), 400, 'ALREADY_EXISTS')).toMatch(
        /name/,
      );
      expectError(await as(alice.token).post(path, { name: 'p', physical_size: GIB }), 403, 'PERMISSION_DENIED');
      expectError(await as(reader.token).post(path, { name: 'p', physical_size: GIB }), 403, 'PERMISSION_DENIED');
      expectError(await as(reader.token).delete(`${path}/${pool.uuid}`), 403, 'PERMISSION_DENIED');
      expectError(
        await as(admin).get(`/v1/az/${az}/cluster/00000000-0000-4000-8000-000000000000/storage_pool`),
        404,
        'NOT_FOUND',
      );
      expectError(await as(admin).get(`${path}/not-a-uuid`), 400, 'INVALID_ARGUMENT');

      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => as(admin).post(path, { name: `p${i}`, physical_size: GIB })),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(15);
      for (const r of results.filter((r) => r.status !== 200)) expectError(r, 400, 'LIMIT_EXCEEDED');

      expect(expectError(await as(admin).delete(cluster), 400, 'FAILED_PRECONDITION')).toMatch(/storage pools/);
    });
  });

  describe('volume specs', () => {
    it('creates, registers, lists, refuses what does not fit, unregisters and deletes a spec', async () => {
      const cluster = await newCluster();
      const other = await newCluster();
      const pool = await newPool(cluster);
      const body = {
        name: uniqueName('Standard'),
        storage_pool_uuid: pool.uuid,
        ...STANDARD_QOS,
      };
      const spec = expectResult<{ volume_spec: Record<string, unknown> }>(
        await as(admin).post('/v1/volume_spec', body),
      ).volume_spec;
      expect(spec).toMatchObject({ ...body, state: 1, cluster_count: 0, storage_pool_name: pool.name, description: '' });
      const uuid = spec.uuid as string;
      expectError(await as(admin).post('/v1/volume_spec', { ...body, name: 'x', min_iops: 6000 }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).post('/v1/volume_spec', { ...body }), 400, 'ALREADY_EXISTS');
      expectError(
        await as(admin).post('/v1/volume_spec', {
          ...body,
          name: 'y',
          storage_pool_uuid: '00000000-0000-4000-8000-000000000000',
        }),
        404,
        'NOT_FOUND',
      );
      expectError(await as(alice.token).post('/v1/volume_spec', { ...body, name: 'z' }), 403, 'PERMISSION_DENIED');

      const relation = expectResult<{ cluster_volume_spec_relation: object }>(
        await as(admin).post(`${cluster}/volume_spec_relation`, { volume_spec_uuid: uuid }),
      ).cluster_volume_spec_relation;
      expect(relation).toEqual({ cluster_uuid: cluster.split('/')[5], volume_spec_uuid: uuid, created_at: expect.any(String) });
      expectError(await as(admin).post(`${cluster}/volume_spec_relation`, { volume_spec_uuid: uuid }), 400, 'ALREADY_EXISTS');
      expect(
        expectError(
          await as(admin).post(`${other}/volume_spec_relation`, { volume_spec_uuid: uuid }),
          400,
          'FAILED_PRECONDITION',
        ),
      ).toMatch(/not in cluster/);
      const listed = expectResult<Page<Record<string, unknown>>>(await as(alice.token).get(`${cluster}/volume_spec_relation`));
      expect(listed).toMatchObject({
        total: 1,
        elements: [{ volume_spec_uuid: uuid, volume_spec_name: body.name, max_iops: 5000 }],
      });
      expect(
        expectResult<{ volume_spec: { cluster_count: number } }>(await as(admin).get(`/v1/volume_spec/${uuid}`)).volume_spec
          .cluster_count,
      ).toBe(1);

      expect(expectError(await as(admin).delete(`/v1/volume_spec/${uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(/registered/);
      expect(expectError(await as(admin).delete(`${cluster}/storage_pool/${pool.uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(
        /volume specification/,
      );
      expectResult(await as(admin).patch(`/v1/volume_spec/${uuid}`, { max_iops: 8000, description: 'faster' }));
      expectError(await as(admin).patch(`/v1/volume_spec/${uuid}`, { max_iops: 100 }), 400, 'INVALID_ARGUMENT');
      expect(expectResult(await as(admin).delete(`${cluster}/volume_spec_relation/${uuid}`))).toBe(1);
      expectError(await as(admin).delete(`${cluster}/volume_spec_relation/${uuid}`), 404, 'NOT_FOUND');
      expect(expectResult(await as(admin).delete(`/v1/volume_spec/${uuid}`))).toBe(1);
      expectError(await as(admin).get(`/v1/volume_spec/${uuid}`), 404, 'NOT_FOUND');
    });
  });

  describe('volumes and snapshots', () => {
    let cluster = '';
    let pool: Pool;
    let spec = '';
    let nodes: { uuid: string; driver: SimDriver }[] = [];

    beforeAll(async () => {
      cluster = await newCluster();
      pool = await newPool(cluster, { physical_size: 1000 * GIB, meta: '{"backend_path":"/srv/vol"}' });
      spec = await newSpec(cluster, pool.uuid);
      nodes = [await adoptedNode(cluster), await adoptedNode(cluster)];
    });

    it('creates a volume through its host agent, snapshots it, restores it and deletes it', async () => {
      const created = expectResult<{ volume: Volume }>(
        await as(alice.token).post(`${cluster}/volume`, { name: 'data', size: 20 * GIB, volume_spec_uuid: spec }),
      ).volume;
      expect(created).toMatchObject({
        state: 0,
        operation: expect.stringMatching(/^Creating#/),
        user_uuid: alice.uuid,
        size: 20 * GIB,
        iops: 1000,
        throughput: 20 * 1048576,
        storage_pool_name: pool.name,
        image_uuid: '',
        last_operation_name: 'create',
        last_operation_state: 0,
      });
      expect(nodes.map((n) => n.uuid)).toContain(created.host_uuid);
      const volume = await settled(cluster, created.uuid);
      expect(volume).toMatchObject({
        state: 1,
        operation: '',
        last_operation_state: 1,
        install_path: `/srv/vol/${created.uuid}.qcow2`,
        tasks: [{ operation_name: 'create', state: 1 }],
      });
      expect((await poolAt(cluster, pool.uuid)).used_size).toBe(20 * GIB);
      // getHost shows the pools of its cluster (as ChimeStack does); lists leave them out.
      const host = expectResult<{ host: { storage_pools: Pool[] } }>(
        await as(admin).get(`${cluster}/host/${volume.host_uuid}`),
      ).host;
      expect(host.storage_pools.map((p) => p.uuid)).toContain(pool.uuid);
      expect(host.storage_pools.find((p) => p.uuid === pool.uuid)).toMatchObject({
        used_size: 20 * GIB,
        cluster_name: pool.cluster_name,
      });
      // And the cluster's networks (the networks module's part).
      const network = expectResult<{ network: { uuid: string } }>(
        await as(admin).post(`${cluster}/network`, {
          name: uniqueName('net'),
          bridge_name: 'br-storage',
          interface_name: 'eth1',
        }),
      ).network;
      const withNetwork = expectResult<{ host: { networks: { uuid: string }[] } }>(
        await as(admin).get(`${cluster}/host/${volume.host_uuid}`),
      ).host;
      expect(withNetwork.networks.map((n) => n.uuid)).toEqual([network.uuid]);
      expectResult(await as(admin).delete(`${cluster}/network/${network.uuid}`));
      const listed = expectResult<Page<{ storage_pools: Pool[] }>>(await as(admin).get(`${cluster}/host`)).elements;
      expect(listed.every((h) => h.storage_pools.length === 0)).toBe(true);

      // Alice's own; Bob does not see it; the read-only administrator sees it and changes nothing.
      expectError(await as(bob.token).get(`${cluster}/volume/${volume.uuid}`), 404, 'NOT_FOUND');
      expectError(await as(bob.token).delete(`${cluster}/volume/${volume.uuid}`), 404, 'NOT_FOUND');
      expect(expectResult<Page<Volume>>(await as(bob.token).get(`${cluster}/volume`)).total).toBe(0);
      expect(expectResult<Page<Volume>>(await as(reader.token).get(`${cluster}/volume?uuid=${volume.uuid}`)).total).toBe(1);
      expectError(await as(reader.token).patch(`${cluster}/volume/${volume.uuid}`, { name: 'x' }), 403, 'PERMISSION_DENIED');
      expectError(
        await as(reader.token).post(`${cluster}/volume`, { name: 'r', size: GIB, volume_spec_uuid: spec }),
        403,
        'PERMISSION_DENIED',
      );
      expect(expectResult(await as(alice.token).patch(`${cluster}/volume/${volume.uuid}`, { name: 'data-1' }))).toEqual({
        vm: 'ok',
      });

      const snapshots = `/v1/volume/${volume.uuid}/snapshot`;
      const snapshot = expectResult<{ snapshot: Snapshot }>(await as(alice.token).post(snapshots, { name: 'before' })).snapshot;
      expect(snapshot).toMatchObject({
        state: 0,
        operation: expect.stringMatching(/^Creating#/),
        volume_version: 0,
        user_uuid: alice.uuid,
      });
      // One thing at a time on a volume.
      const busy = await as(alice.token).post(snapshots, { name: 'again' });
      if (busy.status !== 200) expect(expectError(busy, 400, 'FAILED_PRECONDITION')).toMatch(/busy/);
      const snapped = await settled(cluster, volume.uuid, (v) => v.operation === '' && v.snapshots.every((s) => s.state === 1));
      expect(snapped).toMatchObject({ version: busy.status === 200 ? 2 : 1, snapshot_count: busy.status === 200 ? 2 : 1 });
      const got = expectResult<{ snapshot: Snapshot }>(await as(alice.token).get(`${snapshots}/${snapshot.uuid}`)).snapshot;
      expect(got).toMatchObject({
        state: 1,
        volume_name: 'data-1',
        last_operation_state: 1,
        tasks: [{ operation_name: 'create', state: 1 }],
      });
      expect(expectResult<Page<Snapshot>>(await as(alice.token).get(snapshots)).total).toBe(snapped.snapshot_count);
      expect(expectResult<Page<Snapshot>>(await as(bob.token).get('/v1/snapshot')).total).toBe(0);
      expectError(await as(bob.token).get(snapshots), 404, 'NOT_FOUND');
      expectResult(await as(alice.token).patch(`${snapshots}/${snapshot.uuid}`, { description: 'first' }));

      const restoring = expectResult<{ volume: Volume }>(
        await as(alice.token).put(`${snapshots}/${snapshot.uuid}/restore`),
      ).volume;
      expect(restoring.operation).toMatch(/^Restoring#/);
      const restored = await settled(cluster, volume.uuid);
      expect(restored).toMatchObject({
        parent_version: 0,
        version: snapped.version + 1,
        last_operation_name: 'restore',
        last_operation_state: 1,
      });

      // With snapshots, a volume is deleted only with force_del; a snapshot is deleted by its host's agent.
      expect(expectError(await as(alice.token).delete(`${cluster}/volume/${volume.uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(
        /snapshot/,
      );
      expect(expectResult(await as(alice.token).delete(`${snapshots}/${snapshot.uuid}`))).toBe('ok');
      await settled(cluster, volume.uuid, (v) => v.operation === '' && v.snapshot_count === snapped.snapshot_count - 1);
      if (snapped.snapshot_count === 2) {
        expect(expectResult(await as(alice.token).delete(`${cluster}/volume/${volume.uuid}?force_del=true`))).toBe(1);
      } else {
        expect(expectResult(await as(alice.token).delete(`${cluster}/volume/${volume.uuid}`))).toBe(1);
        // Deleting until its agent reports (it may have done so already: the sim agent is quick).
        const deleting = await as(alice.token).get(`${cluster}/volume/${volume.uuid}`);
        if (deleting.status === 200) expect(expectResult<{ volume: Volume }>(deleting).volume.operation).toMatch(/^Deleting#/);
        else expectError(deleting, 404, 'NOT_FOUND');
      }
      await eventually(
        async () => (await as(admin).get(`${cluster}/volume/${volume.uuid}`)).status,
        (status) => status === 404,
      );
      expect((await poolAt(cluster, pool.uuid)).used_size).toBe(0);
    });

    it('claims a pool atomically: 100 concurrent creations that only fit 10 → exactly 10', async () => {
      const small = await newPool(cluster, { physical_size: 10 * GIB });
      const smallSpec = await newSpec(cluster, small.uuid);
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          as(i % 2 ? alice.token : admin).post(`${cluster}/volume`, { name: `v${i}`, size: GIB, volume_spec_uuid: smallSpec }),
        ),
      );
      const ok = results.filter((r) => r.status === 200);
      expect(ok).toHaveLength(10);
      for (const r of results.filter((r) => r.status !== 200)) {
        expect(expectError(r, 400, 'FAILED_PRECONDITION')).toMatch(
          new RegExp(`storage pool ${small.uuid} has 0 bytes .* free; the volume needs ${GIB} bytes`),
        );
      }
      expect((await poolAt(cluster, small.uuid)).used_size).toBe(10 * GIB);
      // Spread over both hosts.
      const hostsUsed = new Set(ok.map((r) => (r.body.result.volume as Volume).host_uuid));
      expect(hostsUsed.size).toBe(2);
      for (const r of ok) await settled(cluster, (r.body.result.volume as Volume).uuid);
      await Promise.all(ok.map((r) => as(admin).delete(`${cluster}/volume/${(r.body.result.volume as Volume).uuid}`)));
      await eventually(
        () => poolAt(cluster, small.uuid),
        (p) => p.used_size === 0,
      );
    });

    it('a failed creation task leaves the volume failed and its claim released', async () => {
      const failing = await adoptedNode(cluster, { fail: ['volume/create'] });
      const before = (await poolAt(cluster, pool.uuid)).used_size;
      const volume = expectResult<{ volume: Volume }>(
        await as(alice.token).post(`${cluster}/volume`, {
          name: 'doomed',
          size: 5 * GIB,
          volume_spec_uuid: spec,
          host_uuid: failing.uuid,
        }),
      ).volume;
      expect(volume.host_uuid).toBe(failing.uuid);
      const failed = await settled(cluster, volume.uuid);
      expect(failed).toMatchObject({ state: 10, last_operation_state: 2, tasks: [{ state: 2 }] });
      expect((await poolAt(cluster, pool.uuid)).used_size).toBe(before);
      expectError(await as(alice.token).post(`/v1/volume/${volume.uuid}/snapshot`, { name: 's' }), 400, 'FAILED_PRECONDITION');
      // A failed volume goes at once: nothing is on its node.
      expect(expectResult(await as(alice.token).delete(`${cluster}/volume/${volume.uuid}`))).toBe(1);
      expectError(await as(alice.token).get(`${cluster}/volume/${volume.uuid}`), 404, 'NOT_FOUND');
      // The host holds no volume now: it can go.
      expectResult(await as(admin).delete(`${cluster}/host/${failing.uuid}`));
    });

    it('finishes a creation whose agent restarted mid-task: created once', async () => {
      const slow = new SimDriver({ name: uniqueName('slow'), vcpus: 8, memory: 16 * GIB });
      drivers.push(slow);
      const first = new Agent({ server: server.url, joinToken: JOIN_TOKEN, driver: slow, watchWait: 20 });
      agents.push(first);
      await first.start();
      expectResult(await as(admin).post(`${cluster}/host`, { uuid: first.state.uuid }));
      await eventually(
        async () => first.stats.tasksSucceeded,
        (n) => n === 1,
      );
      // From now on each task takes 1.5 s; the agent process dies while its driver works.
      (slow as unknown as { options: { latencyMs: number } }).options.latencyMs = 1500;
      const volume = expectResult<{ volume: Volume }>(
        await as(admin).post(`${cluster}/volume`, {
          name: 'resumed',
          size: GIB,
          volume_spec_uuid: spec,
          host_uuid: first.state.uuid,
        }),
      ).volume;
      await eventually(
        async () => first.state.cursor,
        (cursor) => cursor === 2,
      );
      await first.stop();
      const second = new Agent({
        server: server.url,
        joinToken: JOIN_TOKEN,
        driver: slow,
        state: { ...first.state } as AgentState,
        watchWait: 20,
      });
      agents.push(second);
      await second.start();
      const done = await settled(cluster, volume.uuid);
      expect(done.state).toBe(1);
      const task = done.tasks[0];
      expect(slow.workDone.get(task.uuid)).toBe(1);
      expect(slow.node.volumes.has(volume.uuid)).toBe(true);
      expectResult(await as(admin).delete(`${cluster}/volume/${volume.uuid}?force_del=1`));
    });

    it('refuses what cannot be: unregistered specs, unknown hosts, unreachable hosts, oversize, bad sizes, used things', async () => {
      const path = `${cluster}/volume`;
      const bad: [object, RegExp][] = [
        [{ name: 'v', size: GIB + 1, volume_spec_uuid: spec }, /whole number of GiB/],
        [{ name: 'v', size: 0, volume_spec_uuid: spec }, /size/],
        [{ name: 'v', size: 65 * 1024 * GIB, volume_spec_uuid: spec }, /size/],
        [{ name: 'v', size: GIB }, /volume_spec_uuid/],
        [{ name: 'v', size: GIB, volume_spec_uuid: spec, root: 2 }, /root/],
        [{ name: 'v', size: GIB, volume_spec_uuid: spec, host_uuid: 'x' }, /host_uuid/],
      ];
      for (const [body, message] of bad)
        expect(expectError(await as(alice.token).post(path, body), 400, 'INVALID_ARGUMENT')).toMatch(message);
      const foreignPool = await newPool(await newCluster());
      const foreign = expectResult<{ volume_spec: { uuid: string } }>(
        await as(admin).post('/v1/volume_spec', {
          name: uniqueName('f'),
          storage_pool_uuid: foreignPool.uuid,
          min_iops: 0,
          max_iops: 0,
          step_iops: 0,
          min_throughput: 0,
          max_throughput: 0,
          step_throughput: 0,
        }),
      ).volume_spec.uuid;
      expect(
        expectError(
          await as(alice.token).post(path, { name: 'v', size: GIB, volume_spec_uuid: foreign }),
          400,
          'FAILED_PRECONDITION',
        ),
      ).toMatch(/not registered/);
      expectError(
        await as(alice.token).post(path, { name: 'v', size: GIB, volume_spec_uuid: '00000000-0000-4000-8000-000000000000' }),
        404,
        'NOT_FOUND',
      );
      expectError(
        await as(alice.token).post(path, {
          name: 'v',
          size: GIB,
          volume_spec_uuid: spec,
          host_uuid: '00000000-0000-4000-8000-000000000000',
        }),
        404,
        'NOT_FOUND',
      );
      expect(
        expectError(
          await as(alice.token).post(path, { name: 'v', size: 2000 * GIB, volume_spec_uuid: spec }),
          400,
          'FAILED_PRECONDITION',
        ),
      ).toMatch(/free; the volume needs/);
      expectError(
        await as(alice.token).post(path, {
          name: 'v',
          size: GIB,
          volume_spec_uuid: spec,
          image_uuid: '00000000-0000-4000-8000-000000000000',
        }),
        404,
        'NOT_FOUND',
      );

      // Used things stay: the pool, the spec and the host of a volume.
      const kept = expectResult<{ volume: Volume }>(
        await as(admin).post(path, { name: 'kept', size: GIB, volume_spec_uuid: spec, host_uuid: nodes[0].uuid }),
      ).volume;
      await settled(cluster, kept.uuid);
      expect(expectError(await as(admin).delete(`${cluster}/storage_pool/${pool.uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(
        /volume/,
      );
      expectResult(await as(admin).delete(`${cluster}/volume_spec_relation/${spec}`));
      expect(expectError(await as(admin).delete(`/v1/volume_spec/${spec}`), 400, 'FAILED_PRECONDITION')).toMatch(/volume/);
      expectResult(await as(admin).post(`${cluster}/volume_spec_relation`, { volume_spec_uuid: spec }));
      expect(expectError(await as(admin).delete(`${cluster}/host/${kept.host_uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(
        /holds volumes/,
      );
      expectError(
        await as(admin).patch(`${cluster}/storage_pool/${pool.uuid}`, { physical_size: 0 }),
        400,
        'FAILED_PRECONDITION',
      );

      // A volume on an unreachable host is deleted only with force_del.
      await Promise.all(agents.filter((a) => a.state.uuid === kept.host_uuid).map((a) => a.stop()));
      await eventually(
        async () =>
          expectResult<{ host: { monitor_state: number } }>(await as(admin).get(`${cluster}/host/${kept.host_uuid}`)).host,
        (h) => h.monitor_state === 0,
      );
      expect(expectError(await as(admin).delete(`${path}/${kept.uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(/unreachable/);
      expect(
        expectError(
          await as(admin).post(path, { name: 'v', size: GIB, volume_spec_uuid: spec, host_uuid: kept.host_uuid }),
          400,
          'FAILED_PRECONDITION',
        ),
      ).toMatch(/unreachable/);
      expect(expectResult(await as(admin).delete(`${path}/${kept.uuid}?force_del=true`))).toBe(1);
      expectError(await as(admin).get(`${path}/${kept.uuid}`), 404, 'NOT_FOUND');
    });

    it('makes a volume from an image the caller may use, and keeps the image while the volume lives', async () => {
      // An image the sim agents report bigger than 1 GiB (the sim size is drawn from the URL: sim-images.ts).
      const simSize = (candidate: string) =>
        (256 + (createHash('sha256').update(candidate).digest().readUInt32BE(0) % 3841)) * 2 ** 20;
      const url =
        Array.from({ length: 100 }, (_, i) => `https://mirror.example/storage-${i}.qcow2`).find((u) => simSize(u) > GIB) ?? '';
      const image = expectResult<{ image: { uuid: string; name: string } }>(
        await as(admin).post('/v1/image/public', { name: uniqueName('img'), install_url: url }),
      ).image;
      await eventually(
        async () => expectResult<{ image: { state: number } }>(await as(admin).get(`/v1/image/${image.uuid}`)).image,
        (i) => i.state === 1,
      );
      expect(
        expectError(
          await as(alice.token).post(`${cluster}/volume`, {
            name: 'small',
            size: GIB,
            volume_spec_uuid: spec,
            image_uuid: image.uuid,
          }),
          400,
          'INVALID_ARGUMENT',
        ),
      ).toMatch(/smaller than image/);
      const volume = expectResult<{ volume: Volume }>(
        await as(alice.token).post(`${cluster}/volume`, {
          name: 'root',
          size: 10 * GIB,
          volume_spec_uuid: spec,
          image_uuid: image.uuid,
          root: 1,
        }),
      ).volume;
      expect(volume).toMatchObject({ image_uuid: image.uuid, image_name: image.name });
      await settled(cluster, volume.uuid);
      expect(drivers.some((driver) => driver.node.images.has(image.uuid))).toBe(true);
      expect(expectError(await as(admin).delete(`/v1/image/${image.uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(
        /volumes were made/,
      );
      expectResult(await as(alice.token).delete(`${cluster}/volume/${volume.uuid}`));
      await eventually(
        async () => (await as(admin).get(`${cluster}/volume/${volume.uuid}`)).status,
        (status) => status === 404,
      );
      expectResult(await as(admin).delete(`/v1/image/${image.uuid}`));
    });

    it('holds the limits: 32 snapshots of a volume, 32 volume specs in a cluster', async () => {
      const volume = expectResult<{ volume: Volume }>(
        await as(admin).post(`${cluster}/volume`, { name: 'many', size: GIB, volume_spec_uuid: spec }),
      ).volume;
      await settled(cluster, volume.uuid);
      const snapshots = `/v1/volume/${volume.uuid}/snapshot`;
      for (let i = 0; i < 32; i++) {
        expectResult(await as(admin).post(snapshots, { name: `s${i}` }));
        await settled(cluster, volume.uuid);
      }
      expect(expectError(await as(admin).post(snapshots, { name: 's32' }), 400, 'LIMIT_EXCEEDED')).toMatch(/32 snapshots/);
      expect(expectResult<Page<Snapshot>>(await as(admin).get(`${snapshots}?size=100&state=1`)).total).toBe(32);
      expectResult(await as(admin).delete(`${cluster}/volume/${volume.uuid}?force_del=true`));
      expect(expectResult<Page<Snapshot>>(await as(admin).get(`/v1/snapshot?name=s3&size=100`)).total).toBe(0);

      const other = await newCluster();
      const otherPool = await newPool(other);
      const registered = (await Promise.all(Array.from({ length: 31 }, () => newSpec(other, otherPool.uuid)))).length;
      expect(registered).toBe(31);
      const extra = async () =>
        as(admin).post('/v1/volume_spec', {
          name: uniqueName('spec'),
          storage_pool_uuid: otherPool.uuid,
          min_iops: 0,
          max_iops: 0,
          step_iops: 0,
          min_throughput: 0,
          max_throughput: 0,
          step_throughput: 0,
        });
      const specs = await Promise.all([extra(), extra(), extra()]);
      const results = await Promise.all(
        specs.map((r) =>
          as(admin).post(`${other}/volume_spec_relation`, {
            volume_spec_uuid: (r.body.result.volume_spec as { uuid: string }).uuid,
          }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 200)) expectError(r, 400, 'LIMIT_EXCEEDED');
    }, 120_000);

    it('counts volumes by state in the statistic, each caller their own', async () => {
      const statistic = async (token: string) =>
        expectResult<{ volume_statistic: Record<string, number> }>(await as(token).get('/v1/volume_statistic')).volume_statistic;
      const bobs = await statistic(bob.token);
      expect(bobs).toEqual({ volumes: 0, unavailable: 0, available: 0, in_use: 0, failed: 0, size: 0, snapshots: 0 });
      const all = await statistic(admin);
      expect(all.volumes).toBeGreaterThanOrEqual(0);
      await server.caughtUp();
    });
  });
});
