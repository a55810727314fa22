import { randomUUID } from 'node:crypto';
import type { TestServer } from '../test-server';
import { ADMIN, bearer, createUser, login } from '../users';
import type { RequestPlan } from './request-plan';
import { isObject, isRef, Ref, Value } from './values';

/** Sent where a protected resource would have been: a UUID that names nothing. */
const NOBODY = '00000000-0000-4000-8000-000000000000';

interface Entry {
  id: string;
  /** The resources it lives under, by kind (a cluster's `az`). */
  parents: Record<string, string>;
}

/**
 * The resources that exist during the run, by kind (`az`, `cluster`, `user`, `token`): the seeded
 * fixture, then whatever the fuzzer creates. References in the plans are resolved against it.
 */
export class ResourceRegistry {
  private readonly live = new Map<string, Entry[]>();
  private readonly gone: string[] = [];
  /** The fixture: never deleted, its users never lose their password, role or tokens. */
  readonly protectedIds = new Set<string>();

  add(kind: string, id: string, parents: Record<string, string> = {}, protect = false): void {
    this.live.set(kind, [...(this.live.get(kind) ?? []), { id, parents }]);
    if (protect) this.protectedIds.add(id);
  }

  /** The live resources of a kind, in the order they were added. */
  entries(kind: string): readonly Entry[] {
    return this.live.get(kind) ?? [];
  }

  remove(id: string): void {
    for (const [kind, entries] of this.live)
      this.live.set(
        kind,
        entries.filter((e) => e.id !== id),
      );
    this.gone.push(id);
  }

  /**
   * The plan with every reference replaced by a resource (mostly a live one; sometimes a deleted
   * or an unknown one). References to nested resources are resolved first and their parents are
   * then preferred, so that a cluster is mostly addressed under its own AZ.
   */
  resolve(plan: RequestPlan): RequestPlan {
    const refs: Ref[] = [];
    const collect = (v: Value) => void mapRefs(v, (ref) => (refs.push(ref), ref));
    Object.values(plan.pathParams).forEach(collect);
    plan.query.forEach(([, v]) => collect(v));
    plan.headers.forEach(([, v]) => collect(v));
    if (plan.body !== undefined) collect(plan.body);
    const chosen = new Map<string, string>();
    const resolved = new Map<Ref, string | number>();
    for (const ref of refs.sort((a, b) => this.depth(b.ref) - this.depth(a.ref))) resolved.set(ref, this.pick(ref, chosen));
    const swap = (v: Value) => mapRefs(v, (ref) => resolved.get(ref)!);
    return {
      ...plan,
      pathParams: Object.fromEntries(Object.entries(plan.pathParams).map(([k, v]) => [k, swap(v)])),
      query: plan.query.map(([k, v]) => [k, swap(v)]),
      headers: plan.headers.map(([k, v]) => [k, swap(v)]),
      body: plan.body === undefined ? undefined : swap(plan.body),
    };
  }

  private depth(kind: string): number {
    return Math.max(0, ...(this.live.get(kind) ?? []).map((e) => Object.keys(e.parents).length));
  }

  private pick(ref: Ref, chosen: Map<string, string>): string | number {
    const entries = ref.ref === 'any' ? [...this.live.values()].flat() : (this.live.get(ref.ref) ?? []);
    const roll = ref.pick % 20;
    if (roll === 0 || entries.length === 0) return ref.fallback;
    if (roll === 1 && this.gone.length > 0) return this.gone[Math.floor(ref.pick / 20) % this.gone.length];
    const parent = chosen.get(ref.ref);
    if (parent !== undefined && roll < 19) return parent;
    const entry = entries[Math.floor(ref.pick / 20) % entries.length];
    for (const [kind, id] of Object.entries(entry.parents)) if (!chosen.has(kind)) chosen.set(kind, id);
    return entry.id;
  }

  /**
   * Turns a request that would break the fixture for the rest of the run into a harmless one:
   * deleting a fixture resource, changing a fixture user's password or role (which revokes or
   * changes its tokens), logging out a fixture token. Returns what it changed, if anything.
   */
  defuse(plan: RequestPlan): string | undefined {
    const { method, path } = plan.operation;
    const last = /\{(\w+)\}$/.exec(path)?.[1];
    const target = last === undefined ? undefined : plan.pathParams[last];
    const isProtected = (v: Value | undefined) => typeof v === 'string' && this.protectedIds.has(v);
    if (method === 'DELETE' && last && isProtected(target)) {
      plan.pathParams[last] = NOBODY;
      return `deletes ${NOBODY} instead of a fixture resource`;
    }
    const wait = plan.query.findIndex(([k, v]) => k === 'wait' && typeof v === 'number' && v > 0);
    if (wait >= 0) {
      // A watch that finds nothing holds its answer for `wait` seconds (up to 30): answer at once, so
      // that the run stays short (the watch itself is tested in hosts.e2e-spec.ts).
      plan.query[wait] = ['wait', 0];
      return 'asks for a watch answered at once';
    }
    const members = plan.body !== undefined && isObject(plan.body) ? plan.body.object : [];
    if (path.endsWith('/agent/enrol') && members.some(([k, v]) => k === 'uuid' && isProtected(v))) {
      plan.body = { object: members.map(([k, v]) => [k, k === 'uuid' && isProtected(v) ? NOBODY : v]) };
      return "enrols another node than a fixture node (enrolling again would revoke the fixture's credential)";
    }
    const resource = plan.operation.parameters.find((p) => p.name === last)?.resource;
    if (method === 'PATCH' && resource === 'user' && isProtected(target)) {
      const kept = members.filter(([k]) => k !== 'password' && k !== 'role');
      if (kept.length === members.length) return undefined;
      plan.body = { object: kept };
      return 'leaves out password and role of a fixture user';
    }
    if (path.endsWith('/logout') && members.some(([k, v]) => k === 'token' && isProtected(v))) {
      plan.body = { object: members.map(([k, v]) => [k, k === 'token' && isProtected(v) ? NOBODY : v]) };
      return 'logs out an unknown token instead of a fixture token';
    }
    return undefined;
  }

  /** Registers what a successful request created (`result.<collection>.uuid`) or deleted. */
  learn(plan: RequestPlan, result: unknown): void {
    const { method, path, parameters } = plan.operation;
    const params = parameters.filter((p) => p.in === 'path');
    if (method === 'POST') {
      const collection = path.split('/').pop()!;
      const created = (result as Record<string, { uuid?: unknown }> | null)?.[collection]?.uuid;
      if (typeof created !== 'string') return;
      const parents = Object.fromEntries(
        params.filter((p) => p.resource).map((p) => [p.resource!, String(plan.pathParams[p.name])]),
      );
      this.add(collection, created, parents);
    } else if (method === 'DELETE' && params.length > 0) {
      this.remove(String(plan.pathParams[params[params.length - 1].name]));
    }
  }
}

function mapRefs(value: Value, f: (ref: Ref) => Value): Value {
  if (value === null || typeof value !== 'object') return value;
  if (isRef(value)) return f(value);
  if ('object' in value) return { object: value.object.map(([k, v]) => [k, mapRefs(v, f)]) };
  if ('array' in value) return { array: value.array.map((v) => mapRefs(v, f)) };
  return value;
}

export interface FuzzFixture {
  registry: ResourceRegistry;
  /** A valid token for each role, 0 to 3. */
  tokens: string[];
  /** A token that was logged out. */
  revokedToken: string;
  /** Valid credentials of the other security schemes: node agents' (`agentCredential`). */
  schemeTokens: Record<string, string[]>;
}

/**
 * A few AZs with clusters, a user of each role with a token (the super administrator is `admin`),
 * and, when the server takes agents (`joinToken`), two enrolled nodes: one a host of the first
 * cluster with a task, one a client; images: a public one and one of the user (role 0), in its bucket;
 * and storage: a pool and a registered spec in the first cluster, the user's volume on the host with a snapshot;
 * and a security group of the user; a network and subnet of the first cluster with a NIC of the user;
 * an instance spec registered in the first cluster and a VM of the user on the host.
 */
export async function createFixture(server: TestServer, joinToken?: string): Promise<FuzzFixture> {
  const registry = new ResourceRegistry();
  const adminToken = await login(server, ADMIN.name, ADMIN.password);
  const users = [];
  for (const role of [0, 1, 2] as const) users.push(await createUser(server, adminToken, role, 'fuzz'));
  const [{ uuid: adminUuid }] = await server.dataSource.query(`SELECT uuid FROM users WHERE name = 'admin'`);
  for (const { uuid } of users) registry.add('user', uuid, {}, true);
  registry.add('user', adminUuid, {}, true);
  const tokens = [...users.map((u) => u.token), adminToken];
  tokens.forEach((token) => registry.add('token', token, {}, true));

  const revokedToken = await login(server, users[0].name, users[0].password);
  await server.http.post('/v1/logout').send({ token: revokedToken }).expect(200);

  for (let a = 0; a < 3; a++) {
    const az = await server.http
      .post('/v1/az')
      .set(bearer(adminToken))
      .send({ name: `fuzz-az-${a}` })
      .expect(200);
    const azUuid = az.body.result.az.uuid as string;
    registry.add('az', azUuid, {}, true);
    for (let c = 0; c < 2; c++) {
      const cluster = await server.http
        .post(`/v1/az/${azUuid}/cluster`)
        .set(bearer(adminToken))
        .send({ name: `fuzz-cluster-${c}` })
        .expect(200);
      registry.add('cluster', cluster.body.result.cluster.uuid as string, { az: azUuid }, true);
    }
  }
  // A security group of the user (role 0), with a rule in each list.
  const group = await server.http
    .post('/v1/securitygroup')
    .set(bearer(tokens[0]))
    .send({
      name: 'fuzz-sg',
      ingress_rules: [{ action: 'ACCEPT', direction: 0, protocol: 'tcp', sip: '10.0.0.0/8', dport: '22:22' }],
      egress_rules: [{ action: 'ACCEPT', direction: 1, protocol: 'all' }],
    })
    .expect(200);
  registry.add('securitygroup', group.body.result.securitygroup.uuid as string, {}, true);
  // createNic's `sg_uuid` refers to kind `sg`.
  registry.add('sg', group.body.result.securitygroup.uuid as string, {}, true);
  // A network with a subnet in the first cluster, and a NIC of the user there with its security group.
  {
    const [first] = registry.entries('cluster');
    const networks = `/v1/az/${first.parents.az}/cluster/${first.id}/network`;
    const send = async (path: string, body: object, token = adminToken) =>
      (await server.http.post(path).set(bearer(token)).send(body).expect(200)).body.result;
    const network = (await send(networks, { name: 'fuzz-net', bridge_name: 'br-fuzz', interface_name: 'eth0' })).network;
    const place = { az: first.parents.az, cluster: first.id };
    registry.add('network', network.uuid as string, place, true);
    const subnet = (
      await send(`${networks}/${network.uuid}/subnet`, { name: 'fuzz-subnet', cidr: '10.77.0.0/16', gateway: '10.77.0.1' })
    ).subnet;
    registry.add('subnet', subnet.uuid as string, { ...place, network: network.uuid as string }, true);
    const nic = (
      await send('/v1/nic', { name: 'fuzz-nic', subnet_uuid: subnet.uuid, sg_uuid: group.body.result.securitygroup.uuid }, tokens[0])
    ).nic;
    registry.add('nic', nic.uuid as string, {}, true);
  }
  const schemeTokens: Record<string, string[]> = {};
  if (joinToken !== undefined) {
    registry.add('join_token', joinToken, {}, true);
    const credentials: string[] = [];
    for (const name of ['fuzz-node-0', 'fuzz-node-1']) {
      const uuid = randomUUID();
      const facts = { name, manage_ip: '10.9.0.1', physical_vcpus: 16, physical_memory: 2 ** 35 };
      const enrolled = await server.http
        .post('/v1/agent/enrol')
        .send({ join_token: joinToken, uuid, ...facts })
        .expect(200);
      credentials.push(enrolled.body.result.agent.credential as string);
      registry.add('client', uuid, {}, true);
    }
    const [host] = registry.entries('client');
    const [cluster] = registry.entries('cluster');
    const path = `/v1/az/${cluster.parents.az}/cluster/${cluster.id}/host`;
    const created = await server.http.post(path).set(bearer(adminToken)).send({ uuid: host.id }).expect(200);
    registry.add('host', host.id, { az: cluster.parents.az, cluster: cluster.id }, true);
    registry.add('task', created.body.result.host.operation as string, {}, true);
    schemeTokens.agentCredential = credentials;
    // Images need a host to fetch them: a public image, fetched (its task reported done with the node's
    // credential), so volumes can be made from it; and a user's (with the user's bucket), still being
    // fetched (state 0): no agent runs.
    registry.add('imagebucket', 'public', {}, true);
    const image = (name: string) => ({ name, install_url: `https://mirror.example/${name}.qcow2` });
    const publicImage = await server.http.post('/v1/image/public').set(bearer(adminToken)).send(image('fuzz-public')).expect(200);
    registry.add('image', publicImage.body.result.image.uuid as string, {}, true);
    await server.http
      .put(`/v1/agent/task/${publicImage.body.result.image.operation as string}`)
      .set(bearer(credentials[0]))
      .send({ state: 1, result: { size: 2 ** 30, checksum: 'sha256:fuzz' } })
      .expect(200);
    const userImage = await server.http.post('/v1/image/user').set(bearer(tokens[0])).send(image('fuzz-user')).expect(200);
    registry.add('image', userImage.body.result.image.uuid as string, {}, true);
    registry.add('imagebucket', users[0].uuid, {}, true);

    // Storage: a pool of the first cluster, a spec registered there, and a volume of the user on the
    // host with a snapshot; their tasks are reported done with the node's credential (no agent runs).
    const clusterPath = `/v1/az/${cluster.parents.az}/cluster/${cluster.id}`;
    const owned = { az: cluster.parents.az, cluster: cluster.id };
    const post = async (path: string, body: object, token = adminToken) =>
      (await server.http.post(path).set(bearer(token)).send(body).expect(200)).body.result;
    const done = async (task: string) =>
      server.http.put(`/v1/agent/task/${task}`).set(bearer(credentials[0])).send({ state: 1 }).expect(200);
    const pool = (await post(`${clusterPath}/storage_pool`, { name: 'fuzz-pool', physical_size: 2 ** 40 })).storage_pool;
    registry.add('storage_pool', pool.uuid as string, owned, true);
    const spec = (
      await post('/v1/volume_spec', {
        name: 'fuzz-spec',
        storage_pool_uuid: pool.uuid,
        min_iops: 100,
        max_iops: 1000,
        step_iops: 10,
        min_throughput: 0,
        max_throughput: 2 ** 27,
        step_throughput: 2 ** 20,
      })
    ).volume_spec;
    registry.add('volume_spec', spec.uuid as string, {}, true);
    await post(`${clusterPath}/volume_spec_relation`, { volume_spec_uuid: spec.uuid });
    registry.add('volume_spec_relation', spec.uuid as string, owned, true);
    const volume = (
      await post(
        `${clusterPath}/volume`,
        { name: 'fuzz-volume', size: 2 ** 30, volume_spec_uuid: spec.uuid, host_uuid: host.id },
        tokens[0],
      )
    ).volume;
    registry.add('volume', volume.uuid as string, owned, true);
    const tasksOf = async (path: string) =>
      (await server.http.get(path).set(bearer(adminToken)).expect(200)).body.result as Record<
        string,
        { tasks: { uuid: string }[] }
      >;
    await done((await tasksOf(`${clusterPath}/volume/${volume.uuid}`)).volume.tasks[0].uuid);
    await server.caughtUp(); // the volume is available once the consumer has taken the outcome
    const snapshot = (await post(`/v1/volume/${volume.uuid}/snapshot`, { name: 'fuzz-snapshot' }, tokens[0])).snapshot;
    registry.add('snapshot', snapshot.uuid as string, { volume: volume.uuid as string }, true);
    await done((await tasksOf(`/v1/volume/${volume.uuid}/snapshot/${snapshot.uuid}`)).snapshot.tasks[0].uuid);
    // Compute: an instance spec registered in the first cluster, and a VM of the user made from the
    // public image with a NIC in the subnet; its creation reported done with the node's credential.
    const instanceSpec = (await post('/v1/instance_spec', { name: 'fuzz-ispec', vcpus: 1, memory: 2 ** 30 })).instance_spec;
    registry.add('instance_spec', instanceSpec.uuid as string, {}, true);
    await post(`${clusterPath}/instance_spec_relation`, { instance_spec_uuid: instanceSpec.uuid });
    registry.add('instance_spec_relation', instanceSpec.uuid as string, owned, true);
    const [subnet] = registry.entries('subnet');
    const vm = (
      await post(
        '/v1/vm',
        {
          az_uuid: cluster.parents.az,
          cluster_uuid: cluster.id,
          name: 'fuzz-vm',
          instance_spec_uuid: instanceSpec.uuid,
          nics: [{ name: 'eth0', subnet_uuid: subnet.id }],
          volumes: [
            { name: 'fuzz-root', size: 2 ** 31, volume_spec_uuid: spec.uuid, image_uuid: publicImage.body.result.image.uuid },
          ],
        },
        tokens[0],
      )
    ).vm;
    registry.add('vm', vm.uuid as string, {}, true);
    await done((await tasksOf(`/v1/vm/${vm.uuid}`)).vm.tasks[0].uuid);
    // The consumers take the reported outcomes (the image fetched, …) before the run: no change of state
    // may come after it starts but a request's.
    await server.caughtUp();
  }
  return { registry, tokens, revokedToken, schemeTokens };
}
