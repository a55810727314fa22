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
import { expectError, expectResult } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, createUser, login, TestUser, uniqueName } from './support/users';

const JOIN_TOKEN = 'join-token-for-the-host-move-tests-01';

interface Task {
  uuid: string;
  state: number;
  operation_name: string;
  resource_type: string;
  message: string;
}
interface Volume {
  uuid: string;
  root: number;
  state: number;
  host_uuid: string;
}
interface Vm {
  uuid: string;
  host_uuid: string;
  state: number;
  operation: string;
  last_operation_name: string;
  last_operation_state: number;
  volumes: Volume[];
  tasks: Task[];
}
interface Host {
  uuid: string;
  used_vcpus: number;
  used_memory: number;
  operation: string;
  last_operation_name: string;
  last_operation_state: number;
  monitor_state: number;
  tasks: Task[];
}

const IMAGE_URL = smallImageUrl('host-moves');

/**
 * drainHost, migrateHost and rebuildHost against the real server with sim agents: the moves run
 * after the answer (a process manager on the event log), the host shows their progress as a task,
 * and every refusal has its exact status.
 */
describe('host moves: drain, migrate, rebuild', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let alice: TestUser;
  const as = (token: string) => asCaller(server, token);
  const sim = new SimNodes(JOIN_TOKEN);
  let az = '';
  let image = '';

  /** A cluster with `hosts` nodes, a local pool and a Ceph pool (a volume spec each), an instance spec of 2 vCPUs and 4 GiB, a /24. */
  const newPlace = async (hosts: number, options: { vcpus?: number; memory?: number; latencyMs?: number } = {}) => {
    const { cluster, path } = await createCluster(as(admin), az);
    const nodes = (await sim.adopt(server, as(admin), path, hosts, options)).map((node) => node.uuid);
    if (!image) image = await publicImage(as(admin), IMAGE_URL);
    const local = await createVolumeSpec(as(admin), path, 0);
    const ceph = await createVolumeSpec(as(admin), path, 2);
    const instanceSpec = await createInstanceSpec(as(admin), path);
    const subnet = await createSubnet(as(admin), path);
    return { cluster, path, nodes, local, ceph, instanceSpec, subnet };
  };
  type Place = Awaited<ReturnType<typeof newPlace>>;

  /** A running VM pinned to `host`: root volume from the image on the Ceph pool (or local), plus an optional local data volume. */
  const createVm = async (place: Place, host: string, options: { localRoot?: boolean; localData?: boolean } = {}) => {
    const root = options.localRoot ? place.local.volumeSpec : place.ceph.volumeSpec;
    const volumes: object[] = [{ name: 'root', size: 10 * GIB, volume_spec_uuid: root, image_uuid: image }];
    if (options.localData) volumes.push({ name: 'data', size: 5 * GIB, volume_spec_uuid: place.local.volumeSpec });
    const vm = expectResult<{ vm: Vm }>(
      await as(admin).post('/v1/vm', {
        az_uuid: az,
        cluster_uuid: place.cluster,
        host_uuid: host,
        name: uniqueName('vm'),
        instance_spec_uuid: place.instanceSpec,
        nics: [{ name: 'eth0', subnet_uuid: place.subnet }],
        volumes,
      }),
    ).vm;
    return settled(vm.uuid, (v) => v.operation === '' && v.state === 1);
  };
  const vmAt = async (uuid: string) => expectResult<{ vm: Vm }>(await as(admin).get(`/v1/vm/${uuid}`)).vm;
  const settled = (uuid: string, done: (vm: Vm) => boolean = (vm) => vm.operation === '') =>
    eventually(() => vmAt(uuid), done, 30_000);
  const hostAt = async (place: Place, uuid: string) =>
    expectResult<{ host: Host }>(await as(admin).get(`${place.path}/host/${uuid}`)).host;
  /** The host's move task once it ended. */
  const moveEnded = async (place: Place, host: string, operation: string) =>
    (
      await eventually(
        () => hostAt(place, host),
        (h) => h.last_operation_name === operation && h.last_operation_state !== 0,
        60_000,
      )
    ).tasks.find((task) => task.operation_name === operation)!;
  /** What a move's task ended with (its result, in TaskSucceeded/TaskFailed: the task view has no result field). */
  const resultOf = async (taskUuid: string) => {
    const events = await eventually(
      async () =>
        expectResult<{ elements: { type: string; data: { result: Record<string, unknown> } }[] }>(
          await as(admin).get(`/v1/event?stream_id=${taskUuid}`),
        ).elements,
      (list) => list.some((e) => e.type !== 'TaskCreated'),
    );
    return events.find((e) => e.type !== 'TaskCreated')!.data.result;
  };
  /** Each host's claim equals the sum of its VMs'. */
  const expectExactClaims = async (place: Place) => {
    const vms = expectResult<{ elements: Vm[] }>(await as(admin).get(`/v1/vm?cluster_uuid=${place.cluster}&size=1000`)).elements;
    for (const node of place.nodes) {
      const mine = vms.filter((vm) => vm.host_uuid === node && vm.state !== 10);
      expect({ node, used: (await hostAt(place, node)).used_vcpus }).toEqual({ node, used: mine.length * 2 });
    }
  };

  beforeAll(async () => {
    server = await startTestServer({
      env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN, CHIME_HEARTBEAT_INTERVAL: '1', CHIME_HEARTBEAT_MISSES: '2' },
    });
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    alice = await createUser(server, admin, Role.User);
    az = expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: uniqueName('az') })).az.uuid;
  });

  afterAll(async () => {
    await sim.stopAll();
    await server?.close();
  });

  it('drains a host: every running VM stopped, the progress shown while it runs and the counts at the end', async () => {
    const place = await newPlace(2, { latencyMs: 1500 });
    const [a] = place.nodes;
    const vms = await Promise.all([createVm(place, a), createVm(place, a), createVm(place, a)]);
    expect(expectResult(await as(admin).put(`${place.path}/host/${a}/drain`))).toEqual({ host: 'ok' });
    // No new VM goes to a host being drained (its stops take 1.5 s each: it is still draining).
    const pinned = await as(admin).post('/v1/vm', {
      az_uuid: az,
      cluster_uuid: place.cluster,
      host_uuid: a,
      name: uniqueName('vm'),
      instance_spec_uuid: place.instanceSpec,
      nics: [],
      volumes: [{ name: 'root', size: 10 * GIB, volume_spec_uuid: place.ceph.volumeSpec, image_uuid: image }],
    });
    expect(expectError(pinned, 400, 'FAILED_PRECONDITION')).toBe(
      `host ${a} cannot take a VM of 2 vCPUs and 4 GiB: 1 host is excluded (the VM's own host, or being drained, migrated or rebuilt)`,
    );

    const running = await hostAt(place, a);
    expect(running).toMatchObject({ last_operation_name: 'drain', last_operation_state: 0 });
    expect(running.tasks[0]).toMatchObject({ operation_name: 'drain', state: 0, resource_type: 'host' });
    // A second move of the host while this one runs.
    expect(expectError(await as(admin).put(`${place.path}/host/${a}/migrate`, {}), 400, 'FAILED_PRECONDITION')).toMatch(
      /drain of host .* is running already/,
    );
    const task = await moveEnded(place, a, 'drain');
    expect(task).toMatchObject({ state: 1, message: '' });
    expect(await resultOf(task.uuid)).toEqual({ total: 3, stopped: 3, failed: 0, skipped: 0, failures: [], skipped_vms: [] });
    for (const vm of vms) expect(await vmAt(vm.uuid)).toMatchObject({ state: 4, host_uuid: a, last_operation_name: 'stop' });
    expect([...sim.driver(a).node.domains.values()].every((domain) => !domain.running)).toBe(true);
    // The agent was never given the server's own task.
    expect(sim.driver(a).workDone.has(task.uuid)).toBe(false);

    // Draining again: nothing to stop, each VM skipped with why.
    expectResult(await as(admin).put(`${place.path}/host/${a}/drain`));
    const again = await eventually(
      () => hostAt(place, a),
      (h) => h.tasks.filter((t) => t.operation_name === 'drain' && t.state === 1).length === 2,
    );
    const result = (await resultOf(again.tasks[0].uuid)) as { skipped_vms: { vm_uuid: string }[] };
    expect(result).toMatchObject({ stopped: 0, skipped: 3 });
    // In the order the VMs were made (created at once here: any order).
    expect([...result.skipped_vms].sort((x, y) => x.vm_uuid.localeCompare(y.vm_uuid))).toEqual(
      vms.map((vm) => ({ vm_uuid: vm.uuid, message: 'stopped already' })).sort((x, y) => x.vm_uuid.localeCompare(y.vm_uuid)),
    );
    await expectExactClaims(place);
  }, 120_000);

  it('migrates a host: VMs on shared storage to the scheduled hosts, those with local disks left unless asked; to a target', async () => {
    const place = await newPlace(3);
    const [a, b, c] = place.nodes;
    const shared = [await createVm(place, a), await createVm(place, a)];
    const local = await createVm(place, a, { localRoot: true });

    expectResult(await as(admin).put(`${place.path}/host/${a}/migrate`, {}));
    const first = await moveEnded(place, a, 'migrate');
    expect(first).toMatchObject({ state: 1 });
    expect(await resultOf(first.uuid)).toMatchObject({
      total: 3,
      migrated: 2,
      failed: 0,
      skipped: 1,
      skipped_vms: [
        {
          vm_uuid: local.uuid,
          message: expect.stringMatching(/1 volume\(s\) on local storage \(migrate_local_disk_vms is false\)/),
        },
      ],
    });
    for (const vm of shared) expect([b, c]).toContain((await settled(vm.uuid)).host_uuid);
    expect((await vmAt(local.uuid)).host_uuid).toBe(a);

    expectResult(await as(admin).put(`${place.path}/host/${a}/migrate`, { migrate_local_disk_vms: true, target_host_uuid: c }));
    const second = await eventually(
      () => hostAt(place, a),
      (h) => h.tasks.filter((t) => t.operation_name === 'migrate' && t.state !== 0).length === 2,
      60_000,
    );
    expect(await resultOf(second.tasks[0].uuid)).toMatchObject({ total: 1, migrated: 1, failed: 0, skipped: 0 });
    const moved = await settled(local.uuid);
    expect(moved).toMatchObject({ host_uuid: c, state: 1 });
    expect(moved.volumes[0]).toMatchObject({ host_uuid: c });
    expect(sim.driver(a).node.domains.size).toBe(0);
    expect((await hostAt(place, a)).used_vcpus).toBe(0);
    await expectExactClaims(place);
  }, 120_000);

  it('records a step that cannot start as failed with its reason, once: a target without room', async () => {
    const place = await newPlace(2, { vcpus: 4, memory: 8 * GIB });
    const [a, b] = place.nodes;
    const vms = [await createVm(place, a), await createVm(place, a)];
    await createVm(place, b); // b has room for one more
    expectResult(await as(admin).put(`${place.path}/host/${a}/migrate`, { target_host_uuid: b }));
    const task = await moveEnded(place, a, 'migrate');
    expect(task).toMatchObject({ state: 2, message: expect.stringMatching(/^1 of 2 VM\(s\) failed: /) });
    expect(await resultOf(task.uuid)).toMatchObject({
      total: 2,
      migrated: 1,
      failed: 1,
      failures: [{ vm_uuid: vms[1].uuid, message: expect.stringMatching(/cannot take/) }],
    });
    expect((await settled(vms[1].uuid)).host_uuid).toBe(a);
    await expectExactClaims(place);
  }, 120_000);

  it('rebuilds the VMs of an unreachable host elsewhere: shared volumes attached there, a local root made again, local data lost', async () => {
    const place = await newPlace(2);
    const [a, b] = place.nodes;
    const shared = await createVm(place, a);
    const local = await createVm(place, a, { localRoot: true, localData: true });
    expect(expectError(await as(admin).put(`${place.path}/host/${a}/rebuild`, {}), 400, 'FAILED_PRECONDITION')).toMatch(
      /is reachable: its VMs can be migrated/,
    );

    await sim.agent(a).stop();
    await eventually(
      () => hostAt(place, a),
      (h) => h.monitor_state === 0,
      20_000,
    );
    expect(expectError(await as(admin).put(`${place.path}/host/${a}/drain`), 400, 'FAILED_PRECONDITION')).toMatch(/unreachable/);
    expectResult(await as(admin).put(`${place.path}/host/${a}/rebuild`));
    const task = await moveEnded(place, a, 'rebuild');
    expect(task).toMatchObject({ state: 1 });
    expect(await resultOf(task.uuid)).toMatchObject({ total: 2, rebuilt: 2, failed: 0, skipped: 0 });

    const sharedNow = await settled(shared.uuid);
    expect(sharedNow).toMatchObject({ host_uuid: b, state: 1, last_operation_name: 'rebuild', last_operation_state: 1 });
    expect(sharedNow.volumes).toEqual([expect.objectContaining({ uuid: shared.volumes[0].uuid, host_uuid: b, state: 2 })]);
    const localNow = await settled(local.uuid);
    expect(localNow).toMatchObject({ host_uuid: b, state: 1 });
    expect(localNow.volumes).toEqual([expect.objectContaining({ uuid: local.volumes[0].uuid, root: 1, host_uuid: b, state: 2 })]);
    const data = local.volumes.find((volume) => volume.root === 0)!;
    expect(expectResult<{ volume: Volume }>(await as(admin).get(`${place.path}/volume/${data.uuid}`)).volume).toMatchObject({
      state: 10,
      host_uuid: a,
    });
    const domains = sim.driver(b).node.domains;
    expect(domains.get(shared.uuid)).toMatchObject({ running: true });
    expect(domains.get(local.uuid)).toMatchObject({ running: true });
    expect(sim.driver(b).node.volumes.has(local.volumes[0].uuid)).toBe(true);
    // The dead host is told to let them go when it comes back.
    expect(localNow.tasks.map((t) => t.operation_name)).toContain('release');
    await expectExactClaims(place);
    expect((await hostAt(place, a)).used_vcpus).toBe(0);
  }, 120_000);

  describe('refusals', () => {
    let place: Place;
    beforeAll(async () => {
      place = await newPlace(2);
    }, 60_000);

    it('only administrators move hosts', async () => {
      const [a] = place.nodes;
      for (const op of ['drain', 'migrate', 'rebuild']) {
        expectError(await as(alice.token).put(`${place.path}/host/${a}/${op}`, {}), 403, 'PERMISSION_DENIED');
        expectError(await as(reader.token).put(`${place.path}/host/${a}/${op}`, {}), 403, 'PERMISSION_DENIED');
        expectError(await server.http.put(`${place.path}/host/${a}/${op}`).send({}), 401, 'UNAUTHENTICATED');
      }
    });

    it('404 for a host not in that cluster or AZ, or an unknown target', async () => {
      const [a] = place.nodes;
      const other = await newPlace(1);
      const unknown = '00000000-0000-4000-8000-000000000000';
      for (const op of ['drain', 'migrate', 'rebuild']) {
        expectError(await as(admin).put(`${place.path}/host/${unknown}/${op}`, {}), 404, 'NOT_FOUND');
        expectError(await as(admin).put(`${other.path}/host/${a}/${op}`, {}), 404, 'NOT_FOUND');
        expectError(await as(admin).put(`/v1/az/${unknown}/cluster/${place.cluster}/host/${a}/${op}`, {}), 404, 'NOT_FOUND');
        expectError(await as(admin).put(`${place.path}/host/not-a-uuid/${op}`, {}), 400, 'INVALID_ARGUMENT');
      }
      expectError(await as(admin).put(`${place.path}/host/${a}/migrate`, { target_host_uuid: unknown }), 404, 'NOT_FOUND');
      expectError(await as(admin).put(`${place.path}/host/${a}/migrate`, { target_host_uuid: other.nodes[0] }), 404, 'NOT_FOUND');
    });

    it('400 for bad bodies and a target that is the host itself', async () => {
      const [a] = place.nodes;
      expectError(
        await as(admin).put(`${place.path}/host/${a}/migrate`, { migrate_local_disk_vms: 'yes' }),
        400,
        'INVALID_ARGUMENT',
      );
      expectError(await as(admin).put(`${place.path}/host/${a}/migrate`, { target_host_uuid: 'x' }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).put(`${place.path}/host/${a}/migrate`, { other: 1 }), 400, 'INVALID_ARGUMENT');
      expectError(
        await as(admin).put(`${place.path}/host/${a}/rebuild`, { migrate_local_disk_vms: true }),
        400,
        'INVALID_ARGUMENT',
      );
      expect(
        expectError(await as(admin).put(`${place.path}/host/${a}/migrate`, { target_host_uuid: a }), 400, 'FAILED_PRECONDITION'),
      ).toMatch(/itself/);
    });

    it('an empty host: the move ends at once, with nothing to do', async () => {
      const [, b] = place.nodes;
      expectResult(await as(admin).put(`${place.path}/host/${b}/migrate`, {}));
      const task = await moveEnded(place, b, 'migrate');
      expect(task).toMatchObject({ state: 1 });
      expect(await resultOf(task.uuid)).toEqual({ total: 0, migrated: 0, failed: 0, skipped: 0, failures: [], skipped_vms: [] });
    });
  });
});
