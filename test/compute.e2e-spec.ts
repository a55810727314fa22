import { Role } from '@chime/contracts';
import {
  createCluster,
  createInstanceSpec,
  createSubnet,
  createVolumeSpec,
  GIB,
  publicImage,
  SimNodes,
  smallImageUrl,
} from './support/compute-place';
import { expectError, expectResult, UUID } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, createUser, login, TestUser, uniqueName } from './support/users';

const JOIN_TOKEN = 'join-token-for-the-compute-tests-001';

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
  vm_count: number;
  vms: { uuid: string }[];
}

const IMAGE_URL = smallImageUrl('compute');

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
  const sim = new SimNodes(JOIN_TOKEN);
  let az = '';
  let image = '';

  /** A cluster with `hosts` nodes of 8 vCPUs and 16 GiB, a pool, a registered volume spec and instance spec, a /24. */
  const newPlace = async (hosts: number, options: { vcpus?: number; memory?: number; fail?: string[] } = {}) => {
    const { cluster, path } = await createCluster(as(admin), az);
    const nodes = await sim.adopt(server, as(admin), path, hosts, options);
    if (!image) image = await publicImage(as(admin), IMAGE_URL);
    const { pool, volumeSpec } = await createVolumeSpec(as(admin), path);
    const instanceSpec = await createInstanceSpec(as(admin), path);
    const subnet = await createSubnet(as(admin), path);
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

  /** A server with its users and an AZ (one per inner describe: they need different heartbeat settings). */
  const setUp = async (env: Record<string, string>) => {
    server = await startTestServer({ env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_VNC_TICKET_TTL: '5', ...env } });
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    alice = await createUser(server, admin, Role.User);
    bob = await createUser(server, admin, Role.User);
    az = expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: uniqueName('az') })).az.uuid;
    image = '';
  };
  const tearDown = async () => {
    await sim.stopAll();
    await server?.close();
  };

  // Heartbeats as by default (every 15 s, unreachable after 3 missed): the 200 concurrent creations
  // below keep a busy 2-core machine's embedded database from taking heartbeats for seconds (they
  // queue behind the creations' statements), and a host falsely found unreachable takes no VMs.
  describe('on a server at ease', () => {
    beforeAll(() => setUp({ CHIME_HEARTBEAT_INTERVAL: '15', CHIME_HEARTBEAT_MISSES: '3' }));
    afterAll(tearDown);

    describe('the lifecycle', () => {
      let place: Place;
      beforeAll(async () => {
        place = await newPlace(2);
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
        expect(host).toMatchObject({ used_vcpus: 2, used_memory: 4 * GIB, vm_count: 1 });
        expect(host.vms.map((v) => v.uuid)).toEqual([vm.uuid]);
        const listed = expectResult<Page<Host>>(await as(admin).get(`${place.path}/host?uuid=${vm.host_uuid}`));
        expect(listed.elements).toEqual([expect.objectContaining({ vm_count: 1, vms: [] })]);
        const driver = sim.driver(vm.host_uuid);
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
        expect(sim.driver(vm.host_uuid).node.domains.get(vm.uuid)?.running).toBe(false);
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
        // The console proxy on the VM's host redeems the ticket through its agent, once; no other node can.
        const redeem = (hostUuid: string, ticket: string) =>
          server.http
            .post('/v1/agent/vnc_ticket')
            .set({ Authorization: `Bearer ${sim.agent(hostUuid).state.credential}` })
            .send({ ticket });
        const otherHost = place.nodes.find((n) => n.uuid !== vm.host_uuid)!.uuid;
        expectError(await redeem(otherHost, vnc.ticket), 404, 'NOT_FOUND');
        expect(expectResult(await redeem(vm.host_uuid, vnc.ticket))).toEqual({ vnc: { vm_uuid: vm.uuid, port: vnc.port } });
        expectError(await redeem(vm.host_uuid, vnc.ticket), 404, 'NOT_FOUND');
        expectError(
          await server.http
            .post('/v1/agent/vnc_ticket')
            .set({ Authorization: `Bearer ${alice.token}` })
            .send({ ticket: vnc.ticket }),
          401,
          'UNAUTHENTICATED',
        );
        // A ticket is good for CHIME_VNC_TICKET_TTL seconds (5 here), then never.
        const late = expectResult<{ vnc: { ticket: string } }>(await as(reader.token).get(`/v1/vm/${vm.uuid}/vnc`)).vnc;
        await new Promise((resolve) => setTimeout(resolve, 5200));
        expectError(await redeem(vm.host_uuid, late.ticket), 404, 'NOT_FOUND');

        const pool = async () =>
          expectResult<{ storage_pool: { used_size: number } }>(await as(admin).get(`${place.path}/storage_pool/${place.pool}`))
            .storage_pool.used_size;
        const usedBefore = await pool();
        expect(expectResult(await as(alice.token).delete(`/v1/vm/${vm.uuid}`))).toEqual({ vm: 'ok' });
        await gone(vm.uuid);
        expect(await pool()).toBe(usedBefore - 10 * GIB);
        expectError(await as(alice.token).get(`/v1/nic/${vm.nics[0].uuid}`), 404, 'NOT_FOUND');
        expect(sim.driver(vm.host_uuid).node.domains.has(vm.uuid)).toBe(false);
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

    describe('placement', () => {
      it('claims hosts atomically: 200 concurrent creations that only fit 50 → exactly 50 placed, no host over its total', async () => {
        // 5 hosts of 20 vCPUs and 40 GiB: 10 VMs of 2 vCPUs and 4 GiB each.
        const place = await newPlace(5, { vcpus: 20, memory: 40 * GIB });
        const subnet = expectResult<{ subnet: { uuid: string } }>(
          await as(admin)
            .post(`${place.path}/network`, { name: uniqueName('net'), bridge_name: 'br2', interface_name: 'ens225' })
            .then(async (res) => {
              const network = expectResult<{ network: { uuid: string } }>(res).network.uuid;
              return as(admin).post(`${place.path}/network/${network}/subnet`, { name: uniqueName('sub'), cidr: '10.20.0.0/22' });
            }),
        ).subnet.uuid;
        const responses = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            as(i % 2 ? alice.token : bob.token).post(
              '/v1/vm',
              vmRequest(place, { nics: [{ name: 'eth0', subnet_uuid: subnet }] }),
            ),
          ),
        );
        const placed = responses.filter((res) => res.status === 200);
        const refused = responses.filter((res) => res.status !== 200);
        expect(placed).toHaveLength(50);
        for (const res of refused) {
          expect(expectError(res, 400, 'FAILED_PRECONDITION')).toMatch(
            new RegExp(
              `^no host in cluster ${place.cluster} can take a VM of 2 vCPUs and 4 GiB: 5 hosts have fewer than 2 vCPUs free`,
            ),
          );
        }
        for (const node of place.nodes) {
          const host = await hostAt(place, node.uuid);
          expect(host.used_vcpus).toBeLessThanOrEqual(host.total_vcpus);
          expect(host.used_memory).toBeLessThanOrEqual(host.total_memory);
          expect(host).toMatchObject({ used_vcpus: 20, used_memory: 40 * GIB });
          expect(host.vms).toHaveLength(10);
        }
        const vms = placed.map((res) => expectResult<{ vm: Vm }>(res).vm);
        const addresses = new Set(vms.map((vm) => vm.nics[0].ip));
        expect(addresses.size).toBe(50);
        await Promise.all(vms.map((vm) => settled(vm.uuid, (v) => v.state === 1)));
        // The refused creations left nothing: only the placed VMs' NICs hold addresses in the subnet.
        const nics = expectResult<Page<Nic>>(await as(admin).get(`/v1/nic?subnet_uuid=${subnet}&size=1000`));
        expect(nics.total).toBe(50);
      });

      it('puts a VM where an administrator pins it, still checked for room, and says why nothing fits', async () => {
        // Room for one VM of 4 GiB each (memory is not over-committed by default).
        const place = await newPlace(2, { vcpus: 4, memory: 4 * GIB });
        const [first, second] = place.nodes;
        const vm = await createVm(admin, place, { host_uuid: second.uuid });
        expect(vm.host_uuid).toBe(second.uuid);
        expect(
          expectError(await as(admin).post('/v1/vm', vmRequest(place, { host_uuid: second.uuid })), 400, 'FAILED_PRECONDITION'),
        ).toBe(`host ${second.uuid} cannot take a VM of 2 vCPUs and 4 GiB: 1 host has less than 4 GiB of memory free`);
        const other = await newPlace(1);
        expect(
          expectError(
            await as(admin).post('/v1/vm', vmRequest(place, { host_uuid: other.nodes[0].uuid })),
            400,
            'FAILED_PRECONDITION',
          ),
        ).toBe(`host ${other.nodes[0].uuid} is not a host of cluster ${place.cluster}`);
        expect((await createVm(admin, place)).host_uuid).toBe(first.uuid);
        expect(expectError(await as(admin).post('/v1/vm', vmRequest(place)), 400, 'FAILED_PRECONDITION')).toBe(
          `no host in cluster ${place.cluster} can take a VM of 2 vCPUs and 4 GiB: 2 hosts have less than 4 GiB of memory free`,
        );
        expectResult(await as(admin).put(`${place.path}/host/${first.uuid}/disable`));
        expect(expectError(await as(admin).post('/v1/vm', vmRequest(place)), 400, 'FAILED_PRECONDITION')).toBe(
          `no host in cluster ${place.cluster} can take a VM of 2 vCPUs and 4 GiB: 1 host is disabled or suspended; 1 host has less than 4 GiB of memory free`,
        );
        expectResult(await as(admin).delete(`/v1/vm/${(await settled(vm.uuid)).uuid}`));
        await gone(vm.uuid);
        expect((await createVm(admin, place)).host_uuid).toBe(second.uuid);
      });

      it('a failed creation task leaves the VM failed with nothing claimed; deleting it is immediate', async () => {
        const place = await newPlace(1, { fail: ['vm/create'] });
        const vm = await createVm(alice.token, place);
        const failed = await settled(vm.uuid);
        expect(failed).toMatchObject({ state: 10, last_operation_state: 2 });
        expect(failed.volumes).toEqual([expect.objectContaining({ state: 10 })]);
        expect(failed.nics).toEqual([]);
        expect(await hostAt(place, vm.host_uuid)).toMatchObject({ used_vcpus: 0, used_memory: 0 });
        const pool = expectResult<{ storage_pool: { used_size: number } }>(
          await as(admin).get(`${place.path}/storage_pool/${place.pool}`),
        ).storage_pool;
        expect(pool.used_size).toBe(0);
        expectError(await as(alice.token).put(`/v1/vm/${vm.uuid}/start`), 400, 'FAILED_PRECONDITION');
        expect(expectResult(await as(alice.token).delete(`/v1/vm/${vm.uuid}`))).toEqual({ vm: 'ok' });
        expectError(await as(alice.token).get(`/v1/vm/${vm.uuid}`), 404, 'NOT_FOUND');
      });
    });

    describe('devices and moves', () => {
      let place: Place;
      beforeAll(async () => {
        place = await newPlace(2);
      });

      it('attaches and detaches a volume and a NIC through the agent, and keeps the root volume and primary NIC', async () => {
        const vm = await settled((await createVm(alice.token, place)).uuid);
        const driver = sim.driver(vm.host_uuid);
        const volume = expectResult<{ volume: Volume }>(
          await as(alice.token).post(`${place.path}/volume`, {
            name: 'data',
            size: 2 * GIB,
            volume_spec_uuid: place.volumeSpec,
            host_uuid: vm.host_uuid,
          }),
        ).volume;
        await eventually(
          async () => expectResult<{ volume: Volume }>(await as(alice.token).get(`${place.path}/volume/${volume.uuid}`)).volume,
          (v) => v.state === 1,
        );
        expect(expectResult(await as(alice.token).put(`/v1/vm/${vm.uuid}/attach_disk`, { volume_uuid: volume.uuid }))).toEqual({
          vm: 'ok',
        });
        const attached = await settled(vm.uuid);
        expect(attached.volumes.map((v) => [v.uuid, v.state])).toEqual([
          [vm.volumes[0].uuid, 2],
          [volume.uuid, 2],
        ]);
        expect(driver.node.domains.get(vm.uuid)?.disks.get(volume.uuid)).toBe('vdb');
        const seen = expectResult<{ volume: { attached_vms: { uuid: string }[] } }>(
          await as(alice.token).get(`${place.path}/volume/${volume.uuid}`),
        ).volume;
        expect(seen.attached_vms.map((v) => v.uuid)).toEqual([vm.uuid]);
        expect(attached.volumes.every((v) => (v as unknown as { attached_vms: unknown[] }).attached_vms.length === 0)).toBe(true);
        expect(
          expectError(
            await as(alice.token).put(`/v1/vm/${vm.uuid}/attach_disk`, { volume_uuid: volume.uuid }),
            400,
            'FAILED_PRECONDITION',
          ),
        ).toMatch(/attached to VM .* already/);
        expect(
          expectError(
            await as(alice.token).put(`/v1/vm/${vm.uuid}/detach_disk`, { volume_uuid: vm.volumes[0].uuid }),
            400,
            'FAILED_PRECONDITION',
          ),
        ).toMatch(/is the root volume/);
        expect(
          expectError(await as(alice.token).delete(`${place.path}/volume/${volume.uuid}`), 400, 'FAILED_PRECONDITION'),
        ).toMatch(/attached|in use/);
        expectResult(await as(alice.token).put(`/v1/vm/${vm.uuid}/detach_disk`, { volume_uuid: volume.uuid }));
        expect((await settled(vm.uuid)).volumes.map((v) => v.uuid)).toEqual([vm.volumes[0].uuid]);
        expect(
          expectResult<{ volume: Volume }>(await as(alice.token).get(`${place.path}/volume/${volume.uuid}`)).volume.state,
        ).toBe(1);
        // Bob's volume is not Alice's to attach.
        const bobs = expectResult<{ volume: Volume }>(
          await as(bob.token).post(`${place.path}/volume`, {
            name: 'bobs',
            size: GIB,
            volume_spec_uuid: place.volumeSpec,
            host_uuid: vm.host_uuid,
          }),
        ).volume;
        expectError(await as(alice.token).put(`/v1/vm/${vm.uuid}/attach_disk`, { volume_uuid: bobs.uuid }), 404, 'NOT_FOUND');

        const nic = expectResult<{ nic: Nic }>(
          await as(alice.token).post('/v1/nic', { name: 'eth1', subnet_uuid: place.subnet }),
        ).nic;
        expectResult(await as(alice.token).put(`/v1/vm/${vm.uuid}/attach_nic`, { nic_uuid: nic.uuid }));
        const withNic = await settled(vm.uuid);
        expect(withNic.nics.map((n) => n.uuid)).toContain(nic.uuid);
        expect(driver.node.domains.get(vm.uuid)?.nics.has(nic.uuid)).toBe(true);
        expect(
          expectError(
            await as(alice.token).put(`/v1/vm/${vm.uuid}/detach_nic`, { nic_uuid: vm.nics[0].uuid }),
            400,
            'FAILED_PRECONDITION',
          ),
        ).toMatch(/primary NIC/);
        expectResult(await as(alice.token).put(`/v1/vm/${vm.uuid}/detach_nic`, { nic_uuid: nic.uuid }));
        expect((await settled(vm.uuid)).nics.map((n) => n.uuid)).toEqual([vm.nics[0].uuid]);
        expect(expectResult<{ nic: Nic }>(await as(alice.token).get(`/v1/nic/${nic.uuid}`)).nic.state).toBe(1);
      });

      it('migrates a VM to another host with its local disks, moving the claim; only administrators', async () => {
        const vm = await settled((await createVm(alice.token, place)).uuid);
        const from = vm.host_uuid;
        const to = place.nodes.find((n) => n.uuid !== from)!.uuid;
        expectError(await as(alice.token).put(`/v1/vm/${vm.uuid}/migrate`, { target_host_uuid: to }), 403, 'PERMISSION_DENIED');
        expect(
          expectError(await as(admin).put(`/v1/vm/${vm.uuid}/migrate`, { target_host_uuid: to }), 400, 'FAILED_PRECONDITION'),
        ).toMatch(/local storage; set migrate_local_disks/);
        expect(
          expectError(
            await as(admin).put(`/v1/vm/${vm.uuid}/migrate`, { target_host_uuid: from, migrate_local_disks: true }),
            400,
            'FAILED_PRECONDITION',
          ),
        ).toMatch(/runs on host .* already/);
        const before = { from: (await hostAt(place, from)).used_vcpus, to: (await hostAt(place, to)).used_vcpus };
        expect(expectResult(await as(admin).put(`/v1/vm/${vm.uuid}/migrate`, { migrate_local_disks: true }))).toEqual({
          vm: 'ok',
        });
        const moved = await settled(vm.uuid);
        expect(moved).toMatchObject({ host_uuid: to, state: 1, last_operation_name: 'migrate', last_operation_state: 1 });
        expect(moved.volumes[0].host_uuid).toBe(to);
        expect(await hostAt(place, from)).toMatchObject({ used_vcpus: before.from - 2 });
        expect(await hostAt(place, to)).toMatchObject({ used_vcpus: before.to + 2 });
        expect(sim.driver(to).node.domains.get(vm.uuid)?.running).toBe(true);
        await eventually(
          async () => sim.driver(from).node.domains.has(vm.uuid),
          (present) => !present,
        );
      });

      it('does nothing to the VMs of a suspended host', async () => {
        const vm = await settled((await createVm(alice.token, place)).uuid);
        expectResult(await as(admin).put(`${place.path}/host/${vm.host_uuid}/suspend`));
        expect(expectError(await as(alice.token).put(`/v1/vm/${vm.uuid}/stop`), 400, 'FAILED_PRECONDITION')).toMatch(/suspended/);
        expectResult(await as(admin).put(`${place.path}/host/${vm.host_uuid}/enable`));
        expectResult(await as(alice.token).put(`/v1/vm/${vm.uuid}/stop`));
        expect(await settled(vm.uuid)).toMatchObject({ state: 4 });
      });

      it('refuses bad input with the exact status and envelope', async () => {
        const bad = async (body: object, message: RegExp | string, status = 400, code = 'INVALID_ARGUMENT') => {
          const text = expectError(await as(alice.token).post('/v1/vm', body), status, code);
          if (typeof message === 'string') expect(text).toBe(message);
          else expect(text).toMatch(message);
        };
        await bad({ ...vmRequest(place), nics: 'eth0' }, /nics must be an array/);
        await bad(
          { ...vmRequest(place), volumes: [] },
          'volumes: a VM needs a root volume made from an image, or a bootable cdrom',
        );
        await bad(
          { ...vmRequest(place), volumes: [{ name: 'r', size: 10 * GIB, volume_spec_uuid: place.volumeSpec }] },
          'volumes: the root volume needs an image_uuid to be made from',
        );
        await bad(
          {
            ...vmRequest(place),
            volumes: [
              { name: 'a', size: 10 * GIB, volume_spec_uuid: place.volumeSpec, image_uuid: image, root: 1 },
              { name: 'b', size: 10 * GIB, volume_spec_uuid: place.volumeSpec, image_uuid: image, root: 1 },
            ],
          },
          'volumes: at most one volume is the root (root: 1)',
        );
        await bad({ ...vmRequest(place), instance_spec_uuid: 'nope' }, /instance_spec_uuid must be a UUID/);
        await bad({ ...vmRequest(place), name: '' }, /name/);
        await bad(
          { ...vmRequest(place), nics: Array.from({ length: 17 }, () => ({ name: 'n', subnet_uuid: place.subnet })) },
          /at most 16/,
        );
        await bad(
          { ...vmRequest(place), instance_spec_uuid: '00000000-0000-4000-8000-000000000000' },
          /instance specification .* not found/,
          404,
          'NOT_FOUND',
        );
        await bad({ ...vmRequest(place), cluster_uuid: '00000000-0000-4000-8000-000000000000' }, /not found/, 404, 'NOT_FOUND');
        const spec = expectResult<{ instance_spec: { uuid: string } }>(
          await as(admin).post('/v1/instance_spec', { name: uniqueName('ispec'), vcpus: 1, memory: GIB }),
        ).instance_spec.uuid;
        await bad({ ...vmRequest(place), instance_spec_uuid: spec }, /is not registered in cluster/, 400, 'FAILED_PRECONDITION');
        expectError(await as(alice.token).get('/v1/vm/not-a-uuid'), 400, 'INVALID_ARGUMENT');
        expectError(await as(alice.token).get('/v1/vm/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND');
        expectError(await as(alice.token).get('/v1/vm?state=3'), 400, 'INVALID_ARGUMENT');
        expectError(
          await as(alice.token).put('/v1/vm/00000000-0000-4000-8000-000000000000/attach_disk', {}),
          400,
          'INVALID_ARGUMENT',
        );
        expectError(
          await as(alice.token).delete('/v1/vm/00000000-0000-4000-8000-000000000000?force_del=maybe'),
          400,
          'INVALID_ARGUMENT',
        );
      });
    });
  });

  // Heartbeats every second, a node unreachable after 2 missed: one is found unreachable in seconds.
  describe('with a node that stops answering', () => {
    beforeAll(() => setUp({ CHIME_HEARTBEAT_INTERVAL: '1', CHIME_HEARTBEAT_MISSES: '2' }));
    afterAll(tearDown);

    it('a host that goes unreachable keeps its VMs, takes no new ones, and their operations wait for it', async () => {
      const lonely = await newPlace(2);
      const vm = await settled((await createVm(alice.token, lonely)).uuid);
      await sim.agent(vm.host_uuid).stop();
      await eventually(
        async () =>
          expectResult<{ host: { monitor_state: number } }>(await as(admin).get(`${lonely.path}/host/${vm.host_uuid}`)).host,
        (h) => h.monitor_state === 0,
      );
      expect(await vmAt(vm.uuid)).toMatchObject({ state: 1, host_uuid: vm.host_uuid });
      expect(expectError(await as(alice.token).put(`/v1/vm/${vm.uuid}/stop`), 400, 'FAILED_PRECONDITION')).toMatch(
        /is on host .*, which is unreachable/,
      );
      const other = lonely.nodes.find((n) => n.uuid !== vm.host_uuid)!.uuid;
      expect((await createVm(alice.token, lonely)).host_uuid).toBe(other);
      expect(
        expectError(await as(admin).post('/v1/vm', vmRequest(lonely, { host_uuid: vm.host_uuid })), 400, 'FAILED_PRECONDITION'),
      ).toBe(`host ${vm.host_uuid} cannot take a VM of 2 vCPUs and 4 GiB: 1 host is unreachable`);
      expect(expectError(await as(admin).delete(`${lonely.path}/host/${vm.host_uuid}`), 400, 'FAILED_PRECONDITION')).toMatch(
        /VMs|placed/,
      );
    });
  });
});
