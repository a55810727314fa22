import { createHash } from 'node:crypto';
import { Role } from '@chime/contracts';
import { Agent } from '../apps/agent/src/agent';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { expectError, expectResult, UUID } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, createUser, login, TestUser, uniqueName } from './support/users';

const JOIN_TOKEN = 'join-token-for-the-compute-tests-001';
const GIB = 1024 ** 3;

interface Page<T> {
  elements: T[];
  size: number;
  total: number;
}
interface Task {
  uuid: string;
  state: number;
  operation_name: string;
  resource_type: string;
}
interface Nic {
  uuid: string;
  name: string;
  ip: string;
  mac: string;
  primary: number;
  state: number;
  subnet_uuid: string;
  attached_vms: { uuid: string }[];
}
interface Volume {
  uuid: string;
  name: string;
  root: number;
  state: number;
  host_uuid: string;
  size: number;
  image_uuid: string;
  operation: string;
}
interface Vm {
  uuid: string;
  name: string;
  description: string;
  user_uuid: string;
  host_uuid: string;
  host_name: string;
  host_ip: string;
  az_uuid: string;
  cluster_uuid: string;
  vcpus: number;
  memory: number;
  state: number;
  operation: string;
  image_name: string;
  last_operation_name: string;
  last_operation_state: number;
  nics: Nic[];
  volumes: Volume[];
  tasks: Task[];
}
interface Host {
  uuid: string;
  used_vcpus: number;
  used_memory: number;
  total_vcpus: number;
  total_memory: number;
  vms: { uuid: string }[];
}

/** The sim agents report an image's size from its URL (sim-images.ts): one of at most 2 GiB. */
const simSize = (url: string) => (256 + (createHash('sha256').update(url).digest().readUInt32BE(0) % 3841)) * 2 ** 20;
const IMAGE_URL =
  Array.from({ length: 100 }, (_, i) => `https://mirror.example/compute-${i}.qcow2`).find((u) => simSize(u) <= 2 * GIB) ?? '';

/**
 * VMs against the real server, with real agents (apps/agent, the sim driver) doing the work on
 * their nodes: placement, the lifecycle, devices, moves, ownership, and every refusal.
 */
describe('compute: virtual machines', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  const as = (token: string) => asCaller(server, token);
  const agents: Agent[] = [];
  const drivers = new Map<string, SimDriver>();
  let az = '';
  let image = '';

  /** A cluster with `hosts` nodes of 8 vCPUs and 16 GiB, a pool, a registered volume spec and instance spec, a /24. */
  const newPlace = async (hosts: number, options: { vcpus?: number; memory?: number; fail?: string[] } = {}) => {
    const cluster = expectResult<{ cluster: { uuid: string } }>(
      await as(admin).post(`/v1/az/${az}/cluster`, { name: uniqueName('c') }),
    ).cluster.uuid;
    const path = `/v1/az/${az}/cluster/${cluster}`;
    const nodes: { uuid: string; driver: SimDriver }[] = [];
    for (let i = 0; i < hosts; i++) {
      const driver = new SimDriver({
        name: uniqueName('n'),
        vcpus: options.vcpus ?? 8,
        memory: options.memory ?? 16 * GIB,
        fail: options.fail,
      });
      const agent = new Agent({ server: server.url, joinToken: JOIN_TOKEN, driver, watchWait: 20 });
      agents.push(agent);
      await agent.start();
      drivers.set(agent.state.uuid, driver);
      expectResult(await as(admin).post(`${path}/host`, { uuid: agent.state.uuid }));
      nodes.push({ uuid: agent.state.uuid, driver });
    }
    for (const node of nodes) {
      await eventually(
        async () =>
          expectResult<{ host: { last_operation_state: number } }>(await as(admin).get(`${path}/host/${node.uuid}`)).host,
        (h) => h.last_operation_state === 1,
      );
    }
    const pool = expectResult<{ storage_pool: { uuid: string } }>(
      await as(admin).post(`${path}/storage_pool`, { name: uniqueName('pool'), physical_size: 4096 * GIB }),
    ).storage_pool.uuid;
    const volumeSpec = expectResult<{ volume_spec: { uuid: string } }>(
      await as(admin).post('/v1/volume_spec', {
        name: uniqueName('vspec'),
        storage_pool_uuid: pool,
        min_iops: 500,
        max_iops: 5000,
        step_iops: 50,
        min_throughput: 10485760,
        max_throughput: 104857600,
        step_throughput: 1048576,
      }),
    ).volume_spec.uuid;
    expectResult(await as(admin).post(`${path}/volume_spec_relation`, { volume_spec_uuid: volumeSpec }));
    const instanceSpec = expectResult<{ instance_spec: { uuid: string } }>(
      await as(admin).post('/v1/instance_spec', { name: uniqueName('ispec'), vcpus: 2, memory: 4 * GIB }),
    ).instance_spec.uuid;
    expectResult(await as(admin).post(`${path}/instance_spec_relation`, { instance_spec_uuid: instanceSpec }));
    const network = expectResult<{ network: { uuid: string } }>(
      await as(admin).post(`${path}/network`, { name: uniqueName('net'), bridge_name: 'br1', interface_name: 'ens224' }),
    ).network.uuid;
    const subnet = expectResult<{ subnet: { uuid: string } }>(
      await as(admin).post(`${path}/network/${network}/subnet`, {
        name: uniqueName('sub'),
        cidr: '192.168.231.0/24',
        gateway: '192.168.231.1',
        reserved_ips: '192.168.231.2-192.168.231.9',
      }),
    ).subnet.uuid;
    return { az, cluster, path, nodes, pool, volumeSpec, instanceSpec, subnet };
  };
  type Place = Awaited<ReturnType<typeof newPlace>>;

  const vmRequest = (place: Place, extra: object = {}) => ({
    az_uuid: place.az,
    cluster_uuid: place.cluster,
    name: uniqueName('vm'),
    instance_spec_uuid: place.instanceSpec,
    nics: [{ name: 'eth0', subnet_uuid: place.subnet }],
    volumes: [{ name: 'root', size: 10 * GIB, volume_spec_uuid: place.volumeSpec, image_uuid: image }],
    password: 'root-secret-1',
    ...extra,
  });
  const createVm = async (token: string, place: Place, extra: object = {}) =>
    expectResult<{ vm: Vm }>(await as(token).post('/v1/vm', vmRequest(place, extra))).vm;
  const vmAt = async (uuid: string, token = admin) => expectResult<{ vm: Vm }>(await as(token).get(`/v1/vm/${uuid}`)).vm;
  const settled = (uuid: string, done: (vm: Vm) => boolean = (vm) => vm.operation === '') => eventually(() => vmAt(uuid), done);
  const hostAt = async (place: Place, uuid: string) =>
    expectResult<{ host: Host }>(await as(admin).get(`${place.path}/host/${uuid}`)).host;
  const gone = (uuid: string) =>
    eventually(
      async () => (await as(admin).get(`/v1/vm/${uuid}`)).status,
      (status) => status === 404,
    );

  beforeAll(async () => {
    server = await startTestServer({
      env: {
        CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN,
        CHIME_HEARTBEAT_INTERVAL: '1',
        CHIME_HEARTBEAT_MISSES: '2',
        CHIME_VNC_TICKET_TTL: '5',
      },
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

  /** A public image, fetched by a node of `place`. */
  const publicImage = async () => {
    const created = expectResult<{ image: { uuid: string } }>(
      await as(admin).post('/v1/image/public', { name: uniqueName('img'), install_url: IMAGE_URL }),
    ).image;
    await eventually(
      async () => expectResult<{ image: { state: number } }>(await as(admin).get(`/v1/image/${created.uuid}`)).image,
      (i) => i.state === 1,
    );
    return created.uuid;
  };

  describe('the lifecycle', () => {
    let place: Place;
    beforeAll(async () => {
      place = await newPlace(2);
      image = await publicImage();
    });

    it('creates a VM on a host with room: its root volume from the image, its NIC addressed, its host claimed', async () => {
      const vm = await createVm(alice.token, place, { description: 'a first VM' });
      expect(vm).toMatchObject({
        uuid: expect.stringMatching(UUID),
        state: 0,
        operation: expect.stringMatching(/^Creating#/),
        vcpus: 2,
        memory: 4 * GIB,
        user_uuid: alice.uuid,
        cluster_uuid: place.cluster,
        description: 'a first VM',
        tags: null,
      });
      expect(place.nodes.map((n) => n.uuid)).toContain(vm.host_uuid);
      expect(vm.nics).toEqual([expect.objectContaining({ primary: 1, ip: '192.168.231.10', subnet_uuid: place.subnet })]);
      expect(vm.volumes).toEqual([expect.objectContaining({ root: 1, image_uuid: image, host_uuid: vm.host_uuid, state: 0 })]);

      const running = await settled(vm.uuid);
      expect(running).toMatchObject({ state: 1, last_operation_name: 'create', last_operation_state: 1 });
      expect(running.volumes).toEqual([expect.objectContaining({ state: 2, root: 1 })]);
      expect(running.nics).toEqual([
        expect.objectContaining({ state: 2, mac: expect.stringMatching(/^52:54:00(:[0-9a-f]{2}){3}$/) }),
      ]);
      expect(running.tasks).toEqual([expect.objectContaining({ operation_name: 'create', state: 1, resource_type: 'vm' })]);
      expect(running.host_name).not.toBe('');

      const host = await hostAt(place, vm.host_uuid);
      expect(host).toMatchObject({ used_vcpus: 2, used_memory: 4 * GIB });
      expect(host.vms.map((v) => v.uuid)).toEqual([vm.uuid]);
      const driver = drivers.get(vm.host_uuid)!;
      expect(driver.node.domains.get(vm.uuid)).toMatchObject({ vcpus: 2, memory: 4 * GIB, running: true });
      expect(driver.node.volumes.has(running.volumes[0].uuid)).toBe(true);

      const nic = expectResult<{ nic: Nic }>(await as(alice.token).get(`/v1/nic/${running.nics[0].uuid}`)).nic;
      expect(nic.attached_vms.map((v) => v.uuid)).toEqual([vm.uuid]);
    });

    it('updates, stops, starts, gives a console ticket, and deletes a VM, giving everything back', async () => {
      const vm = await settled((await createVm(alice.token, place)).uuid);
      expect(expectResult(await as(alice.token).patch(`/v1/vm/${vm.uuid}`, { name: 'renamed', description: 'd' }))).toEqual({
        vm: 'ok',
      });
      expect(await vmAt(vm.uuid, alice.token)).toMatchObject({ name: 'renamed', description: 'd' });

      expect(expectResult(await as(alice.token).put(`/v1/vm/${vm.uuid}/stop`))).toEqual({ vm: 'ok' });
      expect(await settled(vm.uuid)).toMatchObject({ state: 4, last_operation_name: 'stop', last_operation_state: 1 });
      expect(drivers.get(vm.host_uuid)!.node.domains.get(vm.uuid)?.running).toBe(false);
      expect(expectError(await as(alice.token).put(`/v1/vm/${vm.uuid}/stop`), 400, 'FAILED_PRECONDITION')).toMatch(
        /is stopped; it cannot be stopped/,
      );
      expect(expectError(await as(alice.token).get(`/v1/vm/${vm.uuid}/vnc`), 400, 'FAILED_PRECONDITION')).toMatch(/is stopped/);

      expect(expectResult(await as(alice.token).put(`/v1/vm/${vm.uuid}/start`))).toEqual({ vm: 'ok' });
      expect(await settled(vm.uuid)).toMatchObject({ state: 1, last_operation_name: 'start' });

      const vnc = expectResult<{ vnc: { host: string; port: number; ticket: string; expires_at: string } }>(
        await as(alice.token).get(`/v1/vm/${vm.uuid}/vnc`),
      ).vnc;
      expect(vnc).toMatchObject({
        host: '127.0.0.1',
        port: expect.any(Number),
        ticket: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      });
      expect(vnc.port).toBeGreaterThanOrEqual(5900);
      expect(new Date(vnc.expires_at).getTime() - Date.now()).toBeLessThanOrEqual(5000);
      expectError(await as(bob.token).get(`/v1/vm/${vm.uuid}/vnc`), 404, 'NOT_FOUND');

      const pool = async () =>
        expectResult<{ storage_pool: { used_size: number } }>(await as(admin).get(`${place.path}/storage_pool/${place.pool}`))
          .storage_pool.used_size;
      const usedBefore = await pool();
      expect(expectResult(await as(alice.token).delete(`/v1/vm/${vm.uuid}`))).toEqual({ vm: 'ok' });
      await gone(vm.uuid);
      expect(await pool()).toBe(usedBefore - 10 * GIB);
      expectError(await as(alice.token).get(`/v1/nic/${vm.nics[0].uuid}`), 404, 'NOT_FOUND');
      expect(drivers.get(vm.host_uuid)!.node.domains.has(vm.uuid)).toBe(false);
      const host = await hostAt(place, vm.host_uuid);
      expect(host.vms.map((v) => v.uuid)).not.toContain(vm.uuid);
    });

    it('keeps what a user owns to them: others get 404, read-only administrators read and change nothing', async () => {
      const vm = await settled((await createVm(alice.token, place)).uuid);
      expectError(await as(bob.token).get(`/v1/vm/${vm.uuid}`), 404, 'NOT_FOUND');
      expectError(await as(bob.token).put(`/v1/vm/${vm.uuid}/stop`), 404, 'NOT_FOUND');
      expectError(await as(bob.token).delete(`/v1/vm/${vm.uuid}`), 404, 'NOT_FOUND');
      const bobs = expectResult<Page<Vm>>(await as(bob.token).get('/v1/vm'));
      expect(bobs.elements.map((v) => v.uuid)).not.toContain(vm.uuid);
      const alices = expectResult<Page<Vm>>(await as(alice.token).get(`/v1/vm?uuid=${vm.uuid}`));
      expect(alices).toMatchObject({ total: 1, elements: [{ uuid: vm.uuid, nics: [], volumes: [] }] });
      expect((await vmAt(vm.uuid, reader.token)).uuid).toBe(vm.uuid);
      expectError(await as(reader.token).put(`/v1/vm/${vm.uuid}/stop`), 403, 'PERMISSION_DENIED');
      expectError(await as(reader.token).post('/v1/vm', vmRequest(place)), 403, 'PERMISSION_DENIED');
      expect(
        expectError(
          await as(alice.token).post('/v1/vm', vmRequest(place, { host_uuid: place.nodes[0].uuid })),
          403,
          'PERMISSION_DENIED',
        ),
      ).toMatch(/only administrators/);
      const statistic = expectResult<{ vm_statistic: { total: number; running: number } }>(
        await as(bob.token).get('/v1/vm_statistic'),
      ).vm_statistic;
      expect(statistic).toMatchObject({ total: 0, running: 0 });
    });
  });
});
