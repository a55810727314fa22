import { createHash } from 'node:crypto';
import { Agent } from '../../apps/agent/src/agent';
import { SimDriver } from '../../apps/agent/src/sim-driver';
import { expectResult } from './envelope';
import { eventually } from './eventually';
import type { TestServer } from './test-server';
import { type as, uniqueName } from './users';
import { STANDARD_QOS } from './volume-spec';

/**
 * The place a VM needs, made through the API as an administrator makes it: a cluster whose hosts
 * are sim nodes (the reference agent of apps/agent with the sim driver, over the real agent
 * protocol), a storage pool with a volume spec, an instance spec, a network with a subnet, and a
 * public image. Each e2e file puts together the place it needs from these.
 */

export const GIB = 1024 ** 3;

/** Requests as one caller (`as` in users.ts); here always an administrator's. */
export type Caller = ReturnType<typeof as>;

/** A sim node adopted as a host: its UUID (the host's) and the driver that plays its machine. */
export interface SimHost {
  uuid: string;
  driver: SimDriver;
}

/** A sim node's capacity (8 vCPUs and 16 GiB unless given), how long each of its tasks takes, the task kinds that fail on it. */
export interface SimHostOptions {
  vcpus?: number;
  memory?: number;
  latencyMs?: number;
  fail?: string[];
}

/**
 * The sim nodes a test file starts, by host UUID: to look at what a node holds, to stop one (it
 * falls silent, and its host becomes unreachable), and to stop them all at the end.
 */
export class SimNodes {
  private readonly started: Agent[] = [];
  private readonly byHost = new Map<string, { agent: Agent; driver: SimDriver }>();

  /** `joinToken`: the CHIME_AGENT_JOIN_TOKEN of the servers the nodes enrol with. */
  constructor(private readonly joinToken: string) {}

  /**
   * Starts `count` nodes that enrol with `server`, adopts each as a host of the cluster at
   * `clusterPath`, one after another, then waits until every adoption has succeeded.
   */
  async adopt(
    server: TestServer,
    admin: Caller,
    clusterPath: string,
    count: number,
    options: SimHostOptions = {},
  ): Promise<SimHost[]> {
    const hosts: SimHost[] = [];
    for (let i = 0; i < count; i++) {
      const driver = new SimDriver({
        name: uniqueName('n'),
        vcpus: options.vcpus ?? 8,
        memory: options.memory ?? 16 * GIB,
        latencyMs: options.latencyMs,
        fail: options.fail,
      });
      const agent = new Agent({ server: server.url, joinToken: this.joinToken, driver, watchWait: 20 });
      this.started.push(agent);
      await agent.start();
      this.byHost.set(agent.state.uuid, { agent, driver });
      expectResult(await admin.post(`${clusterPath}/host`, { uuid: agent.state.uuid }));
      hosts.push({ uuid: agent.state.uuid, driver });
    }
    for (const host of hosts) {
      await eventually(
        async () =>
          expectResult<{ host: { last_operation_state: number } }>(await admin.get(`${clusterPath}/host/${host.uuid}`)).host,
        (h) => h.last_operation_state === 1,
      );
    }
    return hosts;
  }

  /** The driver of the node that is host `uuid`: what its machine holds (domains, volumes, images). */
  driver(uuid: string): SimDriver {
    return this.node(uuid).driver;
  }

  /** The agent of the node that is host `uuid`. */
  agent(uuid: string): Agent {
    return this.node(uuid).agent;
  }

  /** Stops every node started since the last call (stopping one that was stopped already does nothing). */
  async stopAll(): Promise<void> {
    await Promise.all(this.started.splice(0).map((agent) => agent.stop()));
  }

  private node(uuid: string): { agent: Agent; driver: SimDriver } {
    const node = this.byHost.get(uuid);
    if (!node) throw new Error(`no sim node is host ${uuid}`);
    return node;
  }
}

/** Creates a cluster in the AZ; returns its UUID and its path, `/v1/az/<az>/cluster/<uuid>`. */
export async function createCluster(admin: Caller, az: string): Promise<{ cluster: string; path: string }> {
  const cluster = expectResult<{ cluster: { uuid: string } }>(await admin.post(`/v1/az/${az}/cluster`, { name: uniqueName('c') }))
    .cluster.uuid;
  return { cluster, path: `/v1/az/${az}/cluster/${cluster}` };
}

/**
 * The first of `https://mirror.example/<prefix>-<n>.qcow2` whose image the sim nodes report at
 * 2 GiB or less (sim-images.ts sizes an image from its URL's SHA-256: 256 MiB to 4 GiB), so a root
 * volume of 10 GiB can be made from it. A prefix of its own keeps each file's images apart.
 */
export function smallImageUrl(prefix: string): string {
  const simSize = (url: string) => (256 + (createHash('sha256').update(url).digest().readUInt32BE(0) % 3841)) * 2 ** 20;
  const url = Array.from({ length: 100 }, (_, i) => `https://mirror.example/${prefix}-${i}.qcow2`).find(
    (u) => simSize(u) <= 2 * GIB,
  );
  if (!url) throw new Error(`no image URL of prefix ${prefix} is of 2 GiB or less`);
  return url;
}

/** Creates a public image from `url` and waits until a node has fetched it (state 1); returns its UUID. */
export async function publicImage(admin: Caller, url: string): Promise<string> {
  const created = expectResult<{ image: { uuid: string } }>(
    await admin.post('/v1/image/public', { name: uniqueName('img'), install_url: url }),
  ).image;
  await eventually(
    async () => expectResult<{ image: { state: number } }>(await admin.get(`/v1/image/${created.uuid}`)).image,
    (i) => i.state === 1,
  );
  return created.uuid;
}

/**
 * A storage pool of 4 TiB in the cluster at `clusterPath` (of `type` when given: 0 local, 2 Ceph;
 * the server's default otherwise) and a volume spec of it, registered in the cluster.
 */
export async function createVolumeSpec(
  admin: Caller,
  clusterPath: string,
  type?: number,
): Promise<{ pool: string; volumeSpec: string }> {
  const pool = expectResult<{ storage_pool: { uuid: string } }>(
    await admin.post(`${clusterPath}/storage_pool`, {
      name: uniqueName('pool'),
      physical_size: 4096 * GIB,
      ...(type === undefined ? {} : { type }),
    }),
  ).storage_pool.uuid;
  const volumeSpec = expectResult<{ volume_spec: { uuid: string } }>(
    await admin.post('/v1/volume_spec', {
      name: uniqueName('vspec'),
      storage_pool_uuid: pool,
      ...STANDARD_QOS,
    }),
  ).volume_spec.uuid;
  expectResult(await admin.post(`${clusterPath}/volume_spec_relation`, { volume_spec_uuid: volumeSpec }));
  return { pool, volumeSpec };
}

/** An instance spec of 2 vCPUs and 4 GiB, registered in the cluster at `clusterPath`; returns its UUID. */
export async function createInstanceSpec(admin: Caller, clusterPath: string): Promise<string> {
  const instanceSpec = expectResult<{ instance_spec: { uuid: string } }>(
    await admin.post('/v1/instance_spec', { name: uniqueName('ispec'), vcpus: 2, memory: 4 * GIB }),
  ).instance_spec.uuid;
  expectResult(await admin.post(`${clusterPath}/instance_spec_relation`, { instance_spec_uuid: instanceSpec }));
  return instanceSpec;
}

/**
 * A network of the cluster at `clusterPath` (bridge br1 on ens224) with a subnet 192.168.231.0/24:
 * gateway .1 and .2–.9 reserved, so the first address handed out is 192.168.231.10. Returns the subnet's UUID.
 */
export async function createSubnet(admin: Caller, clusterPath: string): Promise<string> {
  const network = expectResult<{ network: { uuid: string } }>(
    await admin.post(`${clusterPath}/network`, { name: uniqueName('net'), bridge_name: 'br1', interface_name: 'ens224' }),
  ).network.uuid;
  return expectResult<{ subnet: { uuid: string } }>(
    await admin.post(`${clusterPath}/network/${network}/subnet`, {
      name: uniqueName('sub'),
      cidr: '192.168.231.0/24',
      gateway: '192.168.231.1',
      reserved_ips: '192.168.231.2-192.168.231.9',
    }),
  ).subnet.uuid;
}
