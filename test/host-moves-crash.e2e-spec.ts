import { createHash } from 'node:crypto';
import { createServer } from 'node:net';
import { Agent } from '../apps/agent/src/agent';
import { SimDriver } from '../apps/agent/src/sim-driver';
import { eventually } from './support/eventually';
import { callServer, runVerifyReplay, startServerProcess, ServerProcess } from './support/server-process';
import { createTestDatabase, TestDatabase } from './support/test-database';
import { STANDARD_QOS } from './support/volume-spec';

const JOIN_TOKEN = 'join-token-for-the-host-move-crash-1';
const GIB = 1024 ** 3;
/** Agents take 700 ms per task, so a kill after two migrations lands halfway. */
const VMS = 8;

const simSize = (url: string) => (256 + (createHash('sha256').update(url).digest().readUInt32BE(0) % 3841)) * 2 ** 20;
const IMAGE_URL =
  Array.from({ length: 100 }, (_, i) => `https://mirror.example/host-move-crash-${i}.qcow2`).find((u) => simSize(u) <= 2 * GIB) ??
  '';

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
 * migrateHost of 8 VMs with the server killed (SIGKILL) halfway and started again on the same
 * database: the process manager resumes from its checkpoint — every VM ends on another host
 * exactly once (each migration applied once by its agent, one per VM), host claims exact, the
 * tables equal to the replay of the log. Both databases (the embedded one reopened from its directory).
 */
describe('a host migration across a server crash', () => {
  let database: TestDatabase;
  let env: Record<string, string>;
  let server: ServerProcess | undefined;
  const agents: Agent[] = [];
  const drivers = new Map<string, SimDriver>();

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
    await Promise.all(agents.map((agent) => agent.stop()));
    server?.child.kill('SIGKILL');
    await server?.exited;
    await database?.drop();
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const call = async (method: string, path: string, token?: string, body?: object): Promise<any> => {
    const res = await callServer(server!, method, path, token, body);
    expect({ method, path, status: res.status, body: res.body }).toMatchObject({ status: 200 });
    return res.body.result;
  };

  it('resumes where it was: nothing moved twice, nothing lost', async () => {
    const admin = (await call('POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' })).user.uuid as string;
    const az = (await call('POST', '/v1/az', admin, { name: 'moves' })).az.uuid as string;
    const cluster = (await call('POST', `/v1/az/${az}/cluster`, admin, { name: 'moves' })).cluster.uuid as string;
    const path = `/v1/az/${az}/cluster/${cluster}`;
    const nodes: string[] = [];
    for (let i = 0; i < 3; i++) {
      const driver = new SimDriver({ name: `mover-${i}`, vcpus: 16, memory: 32 * GIB, latencyMs: 700 });
      const agent = new Agent({ server: server!.url, joinToken: JOIN_TOKEN, driver, watchWait: 20 });
      agents.push(agent);
      await agent.start();
      drivers.set(agent.state.uuid, driver);
      await call('POST', `${path}/host`, admin, { uuid: agent.state.uuid });
      nodes.push(agent.state.uuid);
    }
    for (const node of nodes) {
      await eventually(
        async () => (await call('GET', `${path}/host/${node}`, admin)).host,
        (h: { last_operation_state: number }) => h.last_operation_state === 1,
      );
    }
    const image = (await call('POST', '/v1/image/public', admin, { name: 'img', install_url: IMAGE_URL })).image.uuid as string;
    await eventually(
      async () => (await call('GET', `/v1/image/${image}`, admin)).image,
      (i: { state: number }) => i.state === 1,
    );
    const pool = (await call('POST', `${path}/storage_pool`, admin, { name: 'ceph', physical_size: 4096 * GIB, type: 2 }))
      .storage_pool.uuid as string;
    const volumeSpec = (
      await call('POST', '/v1/volume_spec', admin, {
        name: 'vspec',
        storage_pool_uuid: pool,
        ...STANDARD_QOS,
      })
    ).volume_spec.uuid as string;
    await call('POST', `${path}/volume_spec_relation`, admin, { volume_spec_uuid: volumeSpec });
    const spec = (await call('POST', '/v1/instance_spec', admin, { name: 'ispec', vcpus: 2, memory: 4 * GIB })).instance_spec
      .uuid as string;
    await call('POST', `${path}/instance_spec_relation`, admin, { instance_spec_uuid: spec });
    const network = (await call('POST', `${path}/network`, admin, { name: 'net', bridge_name: 'br1', interface_name: 'ens224' }))
      .network.uuid as string;
    const subnet = (
      await call('POST', `${path}/network/${network}/subnet`, admin, {
        name: 'sub',
        cidr: '192.168.231.0/24',
        gateway: '192.168.231.1',
        reserved_ips: '192.168.231.2-192.168.231.9',
      })
    ).subnet.uuid as string;
    const [a] = nodes;
    const vms: string[] = [];
    for (let i = 0; i < VMS; i++) {
      const vm = await call('POST', '/v1/vm', admin, {
        az_uuid: az,
        cluster_uuid: cluster,
        host_uuid: a,
        name: `vm-${i}`,
        instance_spec_uuid: spec,
        nics: [{ name: 'eth0', subnet_uuid: subnet }],
        volumes: [{ name: 'root', size: 10 * GIB, volume_spec_uuid: volumeSpec, image_uuid: image }],
      });
      vms.push(vm.vm.uuid as string);
    }
    for (const uuid of vms) {
      await eventually(
        async () => (await call('GET', `/v1/vm/${uuid}`, admin)).vm,
        (vm: { state: number; operation: string }) => vm.state === 1 && vm.operation === '',
      );
    }

    await call('PUT', `${path}/host/${a}/migrate`, admin, {});
    const migrated = async () => {
      const list = (await call('GET', `/v1/vm?cluster_uuid=${cluster}&size=100`, admin)).elements as { host_uuid: string }[];
      return list.filter((vm) => vm.host_uuid !== a).length;
    };
    await eventually(migrated, (n) => n >= 2, 30_000);
    server!.child.kill('SIGKILL');
    // Halfway: some VMs arrived on the other hosts, not all.
    const arrived = nodes.slice(1).reduce((sum, node) => sum + drivers.get(node)!.node.domains.size, 0);
    expect(arrived).toBeLessThan(VMS);
    expect(await server!.exited).toBe('SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    server = await startServerProcess(env);

    const host = await eventually(
      async () => (await call('GET', `${path}/host/${a}`, admin)).host,
      (h: { last_operation_name: string; last_operation_state: number; tasks: { uuid: string; operation_name: string }[] }) =>
        h.last_operation_name === 'migrate' && h.last_operation_state !== 0,
      90_000,
    );
    expect(host).toMatchObject({ last_operation_state: 1, used_vcpus: 0 });
    const moveTask = host.tasks.find((t) => t.operation_name === 'migrate')!;
    const ended = await eventually(
      async () =>
        (await call('GET', `/v1/event?stream_id=${moveTask.uuid}`, admin)).elements as {
          type: string;
          data: { result: object };
        }[],
      (list) => list.length >= 2,
    );
    expect(ended[1]).toMatchObject({
      type: 'TaskSucceeded',
      data: { result: { total: VMS, migrated: VMS, failed: 0, skipped: 0 } },
    });

    // Every VM on another host, moved by exactly one migration, applied once by its agent.
    const migrateTasks: string[] = [];
    for (const uuid of vms) {
      const vm = (await call('GET', `/v1/vm/${uuid}`, admin)).vm as {
        host_uuid: string;
        state: number;
        operation: string;
        tasks: { uuid: string; operation_name: string; state: number }[];
      };
      expect(vm).toMatchObject({ state: 1, operation: '' });
      expect(nodes.slice(1)).toContain(vm.host_uuid);
      const migrations = vm.tasks.filter((t) => t.operation_name === 'migrate');
      expect(migrations).toEqual([expect.objectContaining({ state: 1 })]);
      migrateTasks.push(migrations[0].uuid);
      expect(drivers.get(vm.host_uuid)!.node.domains.has(uuid)).toBe(true);
    }
    // The old host let every VM go (its vm/release tasks).
    await eventually(
      async () => drivers.get(a)!.node.domains.size,
      (n) => n === 0,
      30_000,
    );
    for (const task of migrateTasks) {
      const applied = [...drivers.values()].reduce((sum, driver) => sum + (driver.workDone.get(task) ?? 0), 0);
      expect({ task, applied }).toEqual({ task, applied: 1 });
    }
    // Host claims exact: each host's used vCPUs are its VMs'.
    const all = (await call('GET', `/v1/vm?cluster_uuid=${cluster}&size=100`, admin)).elements as { host_uuid: string }[];
    for (const node of nodes) {
      const used = (await call('GET', `${path}/host/${node}`, admin)).host.used_vcpus as number;
      expect({ node, used }).toEqual({ node, used: all.filter((vm) => vm.host_uuid === node).length * 2 });
    }

    await Promise.all(agents.map((agent) => agent.stop()));
    server!.child.kill('SIGTERM');
    await server!.exited;
    server = undefined;
    const replay = await runVerifyReplay(env);
    expect({ code: replay.code, output: replay.code === 0 ? '' : replay.output }).toEqual({ code: 0, output: '' });
  }, 240_000);
});
