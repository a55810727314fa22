import { randomUUID } from 'node:crypto';
import { Role, type EventView, type OperationLogView } from '@chime/contracts';
import { DomainEvent, SERVER_ORIGIN, StoredEvent, Transaction } from '@chime/event-log';
import { ClusterDeletedConsumer } from '../src/modules/instance-specs/cluster-deleted.consumer';
import { expectError, expectResult, UUID } from './support/envelope';
import { verifyReplay } from '../src/replay/verify-replay';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login, TestUser, as as asCaller, uniqueName } from './support/users';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const MISSING = '00000000-0000-4000-8000-000000000000';
const GIB = 2 ** 30;
const TIB16 = 16 * 2 ** 40;

interface Spec {
  uuid: string;
  name: string;
  description: string;
  vcpus: number;
  memory: number;
  type: number;
  state: number;
  cluster_count: number;
  created_at: string;
}
interface Page<T> {
  elements: T[];
  size: number;
  total: number;
}

describe('instance specifications and their registration in clusters', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let user: TestUser;
  const unique = uniqueName;
  const as = (token: string) => asCaller(server, token);
  const newSpec = async (body: object = {}): Promise<Spec> =>
    expectResult<{ instance_spec: Spec }>(
      await as(admin).post('/v1/instance_spec', { name: unique('spec'), vcpus: 1, memory: GIB, ...body }),
    ).instance_spec;
  const getSpec = async (uuid: string): Promise<Spec> =>
    expectResult<{ instance_spec: Spec }>(await as(admin).get(`/v1/instance_spec/${uuid}`)).instance_spec;
  const newAz = async (): Promise<string> =>
    expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: unique('az') })).az.uuid;
  /** Clusters go into a shared AZ (32 AZs of 32 clusters at most), or into `az`. */
  let sharedAz: { uuid: string; clusters: number } | undefined;
  const newCluster = async (az?: string): Promise<{ az: string; cluster: string; path: string }> => {
    if (!az) {
      if (!sharedAz || sharedAz.clusters === 32) sharedAz = { uuid: await newAz(), clusters: 0 };
      sharedAz.clusters++;
      az = sharedAz.uuid;
    }
    const cluster = expectResult<{ cluster: { uuid: string } }>(
      await as(admin).post(`/v1/az/${az}/cluster`, { name: unique('c') }),
    ).cluster.uuid;
    return { az, cluster, path: `/v1/az/${az}/cluster/${cluster}` };
  };
  const registrations = (clusterPath: string) => `${clusterPath}/instance_spec_relation`;
  const register = (clusterPath: string, spec: string) =>
    as(admin).post(registrations(clusterPath), { instance_spec_uuid: spec });
  // Once the consumers have caught up, every committed event is readable (see networks.e2e-spec.ts).
  const events = async (qs: string): Promise<EventView[]> => {
    await server.caughtUp();
    return expectResult<{ elements: EventView[] }>(await as(admin).get(`/v1/event?limit=1000&${qs}`)).elements;
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    user = await createUser(server, admin, Role.User);
  });
  afterAll(() => server?.close());

  it('runs the lifecycle of a spec and its registration with the exact shapes, events and operation log', async () => {
    // ChimeStack's example, verbatim.
    const created = await server.http
      .post('/v1/instance_spec')
      .set('Content-Type', 'application/json')
      .set(bearer(admin))
      .send('{"description":"an instance specification example","memory":4294967296,"name":"Small","type":0,"vcpus":2}');
    const spec = expectResult<{ instance_spec: Spec }>(created).instance_spec;
    expect(spec).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'Small',
      description: 'an instance specification example',
      vcpus: 2,
      memory: 4294967296,
      type: 0,
      state: 1,
      cluster_count: 0,
      created_at: expect.stringMatching(ISO),
    });
    const path = `/v1/instance_spec/${spec.uuid}`;
    expect(expectResult(await as(user.token).get(path))).toEqual({ instance_spec: spec });
    expect(expectResult(await as(reader.token).get('/v1/instance_spec?name=small'))).toEqual({
      elements: [spec],
      size: 1,
      total: 1,
    });

    const { az, cluster, path: clusterPath } = await newCluster();
    const registered = await register(clusterPath, spec.uuid);
    const { cluster_instance_spec_relation: relation } = expectResult<{
      cluster_instance_spec_relation: { created_at: string };
    }>(registered);
    expect(relation).toEqual({ cluster_uuid: cluster, instance_spec_uuid: spec.uuid, created_at: expect.stringMatching(ISO) });
    expect(expectResult(await as(user.token).get(registrations(clusterPath)))).toEqual({
      elements: [
        {
          cluster_uuid: cluster,
          created_at: relation.created_at,
          instance_spec_name: 'Small',
          instance_spec_uuid: spec.uuid,
          memory: 4294967296,
          vcpus: 2,
        },
      ],
      size: 1,
      total: 1,
    });
    expect(await getSpec(spec.uuid)).toEqual({ ...spec, cluster_count: 1 });

    // Nulls and resent values change nothing; the rest does.
    const updated = await as(admin).patch(path, { name: null, description: 'renamed', vcpus: 4, memory: 8 * GIB, type: 0 });
    expect(expectResult(updated)).toEqual({ instance_spec: 'ok' });
    const after = await getSpec(spec.uuid);
    expect(after).toEqual({ ...spec, description: 'renamed', vcpus: 4, memory: 8 * GIB, cluster_count: 1 });
    expect(expectResult<Page<{ vcpus: number }>>(await as(admin).get(registrations(clusterPath))).elements[0].vcpus).toBe(4);

    const refused = expectError(await as(admin).delete(path), 400, 'FAILED_PRECONDITION');
    expect(refused).toContain('1 cluster');
    const unregistered = await as(admin).delete(`${registrations(clusterPath)}/${spec.uuid}`);
    expect(expectResult(unregistered)).toBe(1);
    expectError(await as(admin).delete(`${registrations(clusterPath)}/${spec.uuid}`), 404, 'NOT_FOUND');
    expect(expectResult(await as(admin).get(registrations(clusterPath)))).toEqual({ elements: [], size: 0, total: 0 });
    expect((await getSpec(spec.uuid)).cluster_count).toBe(0);
    const deleted = await as(admin).delete(path);
    expect(expectResult(deleted)).toBe(1);
    expectError(await as(admin).get(path), 404, 'NOT_FOUND');
    expectError(await as(admin).delete(path), 404, 'NOT_FOUND');

    // Once the consumers have every event, listEvent shows them all too (both read below the same horizon).
    await server.caughtUp();
    const stream = await events(`stream_type=instance_spec&stream_id=${spec.uuid}`);
    expect(stream.map((e) => [e.version, e.type, e.data])).toEqual([
      [
        1,
        'InstanceSpecCreated',
        {
          uuid: spec.uuid,
          name: 'Small',
          description: 'an instance specification example',
          vcpus: 2,
          memory: 4294967296,
          type: 0,
          state: 1,
          created_at: spec.created_at,
        },
      ],
      [2, 'InstanceSpecRegistered', { uuid: spec.uuid, cluster_uuid: cluster, created_at: relation.created_at }],
      [3, 'InstanceSpecUpdated', { uuid: spec.uuid, changes: { description: 'renamed', vcpus: 4, memory: 8 * GIB } }],
      [4, 'InstanceSpecUnregistered', { uuid: spec.uuid, cluster_uuid: cluster }],
      [5, 'InstanceSpecDeleted', { uuid: spec.uuid }],
    ]);
    const requests = [created, registered, updated, unregistered, deleted].map((res) => res.body.requestId as string);
    expect(stream.map((e) => e.metadata.request_id)).toEqual(requests);

    const log = expectResult<Page<OperationLogView>>(await as(admin).get('/v1/operation_log?size=1000')).elements;
    const entry = (requestId: string) => log.find((e) => e.request_id === requestId);
    expect([created, registered, updated, unregistered, deleted].map((res) => entry(res.body.requestId))).toEqual([
      expect.objectContaining({ method: 'POST', path: '/v1/instance_spec', outcome: 'success', user_name: 'admin' }),
      expect.objectContaining({
        method: 'POST',
        path: `/v1/az/${az}/cluster/${cluster}/instance_spec_relation`,
        input: JSON.stringify({ instance_spec_uuid: spec.uuid }),
      }),
      expect.objectContaining({ method: 'PATCH', path }),
      expect.objectContaining({ method: 'DELETE', path: `/v1/az/${az}/cluster/${cluster}/instance_spec_relation/${spec.uuid}` }),
      expect.objectContaining({ method: 'DELETE', path }),
    ]);
  });

  describe('who may do what', () => {
    it('everyone reads specs and registrations', async () => {
      const spec = await newSpec();
      const { path } = await newCluster();
      expectResult(await register(path, spec.uuid));
      for (const token of [user.token, reader.token, admin]) {
        expect(expectResult<Page<Spec>>(await as(token).get(`/v1/instance_spec?name=${spec.name}`)).total).toBe(1);
        expectResult(await as(token).get(`/v1/instance_spec/${spec.uuid}`));
        expect(expectResult<Page<unknown>>(await as(token).get(registrations(path))).total).toBe(1);
      }
    });

    it.each([
      ['user', () => user.token],
      ['read-only administrator', () => reader.token],
    ])('a %s may not change specs or registrations', async (_, token) => {
      const spec = await newSpec();
      const other = await newSpec();
      const { path } = await newCluster();
      expectResult(await register(path, spec.uuid));
      const t = token();
      const body = { name: unique('spec'), vcpus: 1, memory: GIB };
      expectError(await as(t).post('/v1/instance_spec', body), 403, 'PERMISSION_DENIED');
      expectError(await as(t).patch(`/v1/instance_spec/${spec.uuid}`, { vcpus: 8 }), 403, 'PERMISSION_DENIED');
      expectError(await as(t).delete(`/v1/instance_spec/${other.uuid}`), 403, 'PERMISSION_DENIED');
      expectError(await as(t).post(registrations(path), { instance_spec_uuid: other.uuid }), 403, 'PERMISSION_DENIED');
      expectError(await as(t).delete(`${registrations(path)}/${spec.uuid}`), 403, 'PERMISSION_DENIED');
      expect(await getSpec(spec.uuid)).toEqual({ ...spec, cluster_count: 1 });
      expect(await getSpec(other.uuid)).toEqual(other);
    });

    it('an administrator (2) writes like the super administrator', async () => {
      const other = await createUser(server, admin, Role.Admin);
      const spec = expectResult<{ instance_spec: Spec }>(
        await as(other.token).post('/v1/instance_spec', { name: unique('spec'), vcpus: 2, memory: GIB }),
      ).instance_spec;
      const { path } = await newCluster();
      expectResult(await as(other.token).patch(`/v1/instance_spec/${spec.uuid}`, { type: 1 }));
      expectResult(await as(other.token).post(registrations(path), { instance_spec_uuid: spec.uuid }));
      expectResult(await as(other.token).delete(`${registrations(path)}/${spec.uuid}`));
      expectResult(await as(other.token).delete(`/v1/instance_spec/${spec.uuid}`));
    });
  });

  describe('rules', () => {
    it('names are unique, whatever their case', async () => {
      const spec = await newSpec();
      expectError(await as(admin).post('/v1/instance_spec', { name: spec.name, vcpus: 1, memory: GIB }), 400, 'ALREADY_EXISTS');
      const upper = { name: spec.name.toUpperCase(), vcpus: 2, memory: 2 * GIB };
      expectError(await as(admin).post('/v1/instance_spec', upper), 400, 'ALREADY_EXISTS');
      const other = await newSpec();
      expectError(await as(admin).patch(`/v1/instance_spec/${other.uuid}`, { name: spec.name }), 400, 'ALREADY_EXISTS');
      // Resending its own name is no rename.
      expectResult(await as(admin).patch(`/v1/instance_spec/${spec.uuid}`, { name: spec.name, vcpus: 3 }));
    });

    it('defaults type to 0 and description to empty; takes 16 TiB of memory and 1024 vCPUs exactly', async () => {
      const spec = await newSpec({ vcpus: 1024, memory: TIB16 });
      expect(spec).toMatchObject({ type: 0, description: '', vcpus: 1024, memory: TIB16 });
      expect(await getSpec(spec.uuid)).toEqual(spec);
      expect((await newSpec({ type: 1 })).type).toBe(1);
      expect((await newSpec({ type: null, description: null })).type).toBe(0);
    });

    it('registering a spec twice in one cluster is ALREADY_EXISTS; in another cluster it is fine', async () => {
      const spec = await newSpec();
      const [a, b] = [await newCluster(), await newCluster()];
      expectResult(await register(a.path, spec.uuid));
      expectError(await register(a.path, spec.uuid), 400, 'ALREADY_EXISTS');
      expectResult(await register(b.path, spec.uuid));
      expect((await getSpec(spec.uuid)).cluster_count).toBe(2);
      const message = expectError(await as(admin).delete(`/v1/instance_spec/${spec.uuid}`), 400, 'FAILED_PRECONDITION');
      expect(message).toContain('2 clusters');
    });

    it('a cluster holds at most 32 specs', async () => {
      const { path } = await newCluster();
      for (let i = 0; i < 32; i++) expectResult(await register(path, (await newSpec()).uuid));
      const spare = await newSpec();
      expectError(await register(path, spare.uuid), 400, 'LIMIT_EXCEEDED');
      expect(expectResult<Page<unknown>>(await as(admin).get(`${registrations(path)}?size=100`)).total).toBe(32);
      expect((await getSpec(spare.uuid)).cluster_count).toBe(0);
    });

    it('a disabled cluster takes no new spec, but may lose one', async () => {
      const [kept, extra] = [await newSpec(), await newSpec()];
      const { path } = await newCluster();
      expectResult(await register(path, kept.uuid));
      expectResult(await as(admin).put(`${path}/disable`));
      expectError(await register(path, extra.uuid), 400, 'FAILED_PRECONDITION');
      expect(expectResult<Page<unknown>>(await as(admin).get(registrations(path))).total).toBe(1);
      expect(expectResult(await as(admin).delete(`${registrations(path)}/${kept.uuid}`))).toBe(1);
    });

    it('unknown specs, clusters, and clusters under the wrong AZ are 404', async () => {
      const spec = await newSpec();
      const [a, b] = [await newCluster(), await newCluster(await newAz())];
      expectResult(await register(a.path, spec.uuid));
      const wrong = `/v1/az/${b.az}/cluster/${a.cluster}`;
      expectError(await as(admin).get(registrations(wrong)), 404, 'NOT_FOUND');
      expectError(await register(wrong, spec.uuid), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(`${registrations(wrong)}/${spec.uuid}`), 404, 'NOT_FOUND');
      const missingCluster = `/v1/az/${a.az}/cluster/${MISSING}`;
      expectError(await as(admin).get(registrations(missingCluster)), 404, 'NOT_FOUND');
      expectError(await register(missingCluster, spec.uuid), 404, 'NOT_FOUND');
      expectError(await register(a.path, MISSING), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(`${registrations(a.path)}/${MISSING}`), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(`${registrations(b.path)}/${spec.uuid}`), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`/v1/instance_spec/${MISSING}`), 404, 'NOT_FOUND');
      expectError(await as(admin).patch(`/v1/instance_spec/${MISSING}`, { vcpus: 2 }), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(`/v1/instance_spec/${MISSING}`), 404, 'NOT_FOUND');
      expect((await getSpec(spec.uuid)).cluster_count).toBe(1);
    });
  });

  describe('bad input', () => {
    it.each([
      ['vcpus 0', { vcpus: 0 }],
      ['vcpus -1', { vcpus: -1 }],
      ['vcpus 1.5', { vcpus: 1.5 }],
      ['vcpus "2"', { vcpus: '2' }],
      ['vcpus above 1024', { vcpus: 1025 }],
      ['no vcpus', { vcpus: undefined }],
      ['memory 0', { memory: 0 }],
      ['memory above 16 TiB', { memory: TIB16 + 1 }],
      ['memory 1e20', { memory: 1e20 }],
      ['memory "1024"', { memory: '1024' }],
      ['memory 0.5', { memory: 0.5 }],
      ['no memory', { memory: undefined }],
      ['type 2', { type: 2 }],
      ['type -1', { type: -1 }],
      ['type "1"', { type: '1' }],
      ['an unknown field', { state: 1 }],
      ['a null name', { name: null }],
      ['no name', { name: undefined }],
      ['a blank name', { name: '  ' }],
      ['a name of 65 characters', { name: 'x'.repeat(65) }],
      ['a description of 257 characters', { description: 'd'.repeat(257) }],
    ])('createInstanceSpec refuses %s', async (_, body) => {
      const res = await as(admin).post('/v1/instance_spec', { name: unique('bad'), vcpus: 2, memory: GIB, ...body });
      expectError(res, 400, 'INVALID_ARGUMENT');
    });

    it('createInstanceSpec refuses a body that is not an object', async () => {
      const res = await server.http
        .post('/v1/instance_spec')
        .set(bearer(admin))
        .set('Content-Type', 'application/json')
        .send('[1]');
      expectError(res, 400, 'INVALID_ARGUMENT');
    });

    it.each([
      ['vcpus 0', { vcpus: 0 }],
      ['memory too large', { memory: TIB16 * 2 }],
      ['type 2', { type: 2 }],
      ['an empty name', { name: '' }],
      ['an unknown field', { cluster_count: 3 }],
    ])('updateInstanceSpec refuses %s', async (_, body) => {
      const spec = await newSpec();
      expectError(await as(admin).patch(`/v1/instance_spec/${spec.uuid}`, body), 400, 'INVALID_ARGUMENT');
      expect(await getSpec(spec.uuid)).toEqual(spec);
    });

    it.each([
      ['no instance_spec_uuid', {}],
      ['an instance_spec_uuid that is no UUID', { instance_spec_uuid: 'small' }],
      ['an instance_spec_uuid that is a number', { instance_spec_uuid: 7 }],
      ['an unknown field', { instance_spec_uuid: MISSING, cluster_uuid: MISSING }],
    ])('createClusterInstanceSpecRelation refuses %s', async (_, body) => {
      const { path } = await newCluster();
      expectError(await as(admin).post(registrations(path), body), 400, 'INVALID_ARGUMENT');
    });

    it.each(['sort=description', 'sort=state', 'order=up', 'type=2', 'type=x', 'page=0', 'size=1001', 'colour=red'])(
      'listInstanceSpec refuses %s',
      async (qs) => {
        expectError(await as(admin).get(`/v1/instance_spec?${qs}`), 400, 'INVALID_ARGUMENT');
      },
    );

    it.each(['sort=type', 'sort=cluster_count', 'type=0', 'page=-1'])(
      'listClusterInstanceSpecRelation refuses %s',
      async (qs) => {
        const { path } = await newCluster();
        expectError(await as(admin).get(`${registrations(path)}?${qs}`), 400, 'INVALID_ARGUMENT');
      },
    );

    it('refuses bad UUIDs in the path', async () => {
      const { az, path } = await newCluster();
      expectError(await as(admin).get('/v1/instance_spec/small'), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).patch('/v1/instance_spec/123', { vcpus: 2 }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).delete('/v1/instance_spec/123'), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get(`/v1/az/${az}/cluster/x/instance_spec_relation`), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).delete(`${registrations(path)}/x`), 400, 'INVALID_ARGUMENT');
    });
  });

  describe('lists', () => {
    it('filter, sort and page specs', async () => {
      const tag = unique('list');
      const made = [
        { name: `${tag}-alpha`, vcpus: 4, memory: 8 * GIB, type: 0 },
        { name: `${tag}-Beta`, vcpus: 1, memory: 16 * GIB, type: 1 },
        { name: `${tag}-gamma`, vcpus: 2, memory: 2 * GIB, type: 1 },
      ];
      for (const body of made) expectResult(await as(admin).post('/v1/instance_spec', body));
      const names = async (qs: string) =>
        expectResult<Page<Spec>>(await as(user.token).get(`/v1/instance_spec?name=${tag}&${qs}`)).elements.map((s) =>
          s.name.slice(tag.length + 1),
        );
      expect(await names('sort=name&order=asc')).toEqual(['alpha', 'Beta', 'gamma']);
      expect(await names('sort=vcpus&order=desc')).toEqual(['alpha', 'gamma', 'Beta']);
      expect(await names('sort=memory&order=asc')).toEqual(['gamma', 'alpha', 'Beta']);
      expect(await names('sort=created_at&order=asc')).toEqual(['alpha', 'Beta', 'gamma']);
      expect(await names('type=1&sort=name&order=asc')).toEqual(['Beta', 'gamma']);
      expect(await names('sort=name&order=asc&page=2&size=2')).toEqual(['gamma']);
      expect(await names('sort=cluster_count')).toHaveLength(3);
      const pastEnd = expectResult(await as(user.token).get(`/v1/instance_spec?name=${tag}&page=3&size=2`));
      expect(pastEnd).toEqual({ elements: [], size: 0, total: 3 });
      const wildcard = expectResult<Page<Spec>>(await as(user.token).get(`/v1/instance_spec?name=${tag}%25`));
      expect(wildcard.total).toBe(0); // % and _ are matched literally
    });

    it("filter, sort and page a cluster's specs", async () => {
      const { path } = await newCluster();
      const tag = unique('rel');
      for (const body of [
        { name: `${tag}-small`, vcpus: 1, memory: GIB },
        { name: `${tag}-LARGE`, vcpus: 8, memory: 32 * GIB },
        { name: `${tag}-medium`, vcpus: 4, memory: 8 * GIB },
      ]) {
        expectResult(await register(path, (await newSpec(body)).uuid));
      }
      expectResult(await register(path, (await newSpec({ name: unique('unrelated') })).uuid));
      const names = async (qs: string) =>
        expectResult<Page<{ instance_spec_name: string }>>(await as(user.token).get(`${registrations(path)}?${qs}`)).elements.map(
          (r) => r.instance_spec_name.replace(`${tag}-`, ''),
        );
      expect(await names(`name=${tag}&sort=name&order=asc`)).toEqual(['LARGE', 'medium', 'small']);
      expect(await names(`name=${tag.toUpperCase()}&sort=vcpus&order=asc`)).toEqual(['small', 'medium', 'LARGE']);
      expect(await names(`name=${tag}&sort=memory&order=desc`)).toEqual(['LARGE', 'medium', 'small']);
      expect(await names(`name=${tag}&sort=created_at&order=asc&size=2&page=2`)).toEqual(['medium']);
      expect(expectResult<Page<unknown>>(await as(user.token).get(registrations(path))).total).toBe(4);
    });
  });

  describe('when a cluster is deleted', () => {
    it('its registrations go, through the consumer, with causation and the same request id', async () => {
      const [a, b, c] = [await newSpec(), await newSpec(), await newSpec()];
      const doomed = await newCluster();
      const kept = await newCluster();
      for (const spec of [a, b, c]) expectResult(await register(doomed.path, spec.uuid));
      expectResult(await register(kept.path, a.uuid));
      expect((await getSpec(a.uuid)).cluster_count).toBe(2);
      // The cluster goes at once; its registrations follow.
      expect(expectResult(await as(admin).delete(doomed.path))).toBe(1);
      await server.caughtUp();

      expect((await getSpec(a.uuid)).cluster_count).toBe(1);
      expect((await getSpec(b.uuid)).cluster_count).toBe(0);
      expect((await getSpec(c.uuid)).cluster_count).toBe(0);
      const left: unknown[] = await server.dataSource.query('SELECT 1 FROM cluster_instance_specs WHERE cluster_uuid = $1', [
        doomed.cluster,
      ]);
      expect(left).toEqual([]);
      expectError(await as(admin).get(registrations(doomed.path)), 404, 'NOT_FOUND');
      expect(expectResult<Page<{ instance_spec_uuid: string }>>(await as(admin).get(registrations(kept.path))).elements).toEqual([
        expect.objectContaining({ instance_spec_uuid: a.uuid }),
      ]);

      const [clusterDeleted] = await events(`stream_type=cluster&stream_id=${doomed.cluster}&type=ClusterDeleted`);
      const reactions = (await events('stream_type=instance_spec&type=InstanceSpecUnregistered')).filter(
        (e) => e.data.cluster_uuid === doomed.cluster,
      );
      expect(reactions.map((e) => e.stream_id).sort()).toEqual([a.uuid, b.uuid, c.uuid].sort());
      for (const event of reactions) {
        expect(event.position).toBeGreaterThan(clusterDeleted.position);
        expect(event.metadata).toMatchObject({
          causation_position: clusterDeleted.position,
          causation_consumer: 'instance-specs-cluster-deleted',
          request_id: clusterDeleted.metadata.request_id,
          user_name: 'admin',
        });
      }

      // Free again: b and c delete; a is still in the kept cluster.
      expect(expectResult(await as(admin).delete(`/v1/instance_spec/${b.uuid}`))).toBe(1);
      expect(expectResult(await as(admin).delete(`/v1/instance_spec/${c.uuid}`))).toBe(1);
      expectError(await as(admin).delete(`/v1/instance_spec/${a.uuid}`), 400, 'FAILED_PRECONDITION');
    });

    it('clusters deleted together: each unregistration carries its own deletion as cause', async () => {
      const [a, b] = [await newSpec(), await newSpec()];
      const clusters = [await newCluster(), await newCluster(), await newCluster()];
      for (const [cluster, spec] of [
        [0, a],
        [0, b],
        [1, a],
        [2, b],
      ] as const) {
        expectResult(await register(clusters[cluster].path, spec.uuid));
      }
      const deletions = await Promise.all(clusters.map(({ path }) => as(admin).delete(path)));
      for (const deletion of deletions) expect(expectResult(deletion)).toBe(1);
      await server.caughtUp();

      expect((await getSpec(a.uuid)).cluster_count).toBe(0);
      expect((await getSpec(b.uuid)).cluster_count).toBe(0);
      const reactions = await events('stream_type=instance_spec&type=InstanceSpecUnregistered');
      for (const [i, { cluster }] of clusters.entries()) {
        const [deleted] = await events(`stream_type=cluster&stream_id=${cluster}&type=ClusterDeleted`);
        expect(deleted.metadata.request_id).toBe(deletions[i].body.requestId);
        const mine = reactions.filter((e) => e.data.cluster_uuid === cluster);
        expect(mine.map((e) => e.stream_id).sort()).toEqual((i === 0 ? [a.uuid, b.uuid] : i === 1 ? [a.uuid] : [b.uuid]).sort());
        for (const event of mine) {
          expect(event.metadata).toMatchObject({ causation_position: deleted.position, request_id: deleted.metadata.request_id });
        }
      }
    });

    it("the consumer's batch takes every cluster's registrations in one query, each reaction tied to its own event", async () => {
      // Called directly, so the batch path runs whatever the timing: clusters c0 and c1 in one batch, c2 not.
      const [a, b] = [await newSpec(), await newSpec()];
      const clusters = [await newCluster(), await newCluster(), await newCluster()];
      for (const [cluster, spec] of [
        [0, b],
        [0, a],
        [1, a],
        [2, a],
      ] as const) {
        expectResult(await register(clusters[cluster].path, spec.uuid));
      }
      await server.caughtUp();
      const batch: StoredEvent[] = clusters.slice(0, 2).map(({ az, cluster }, i) => ({
        position: 1e12 + i,
        transactionId: '1',
        streamType: 'cluster',
        streamId: cluster,
        version: 2,
        type: 'ClusterDeleted',
        data: { uuid: cluster, az_uuid: az },
        metadata: { ...SERVER_ORIGIN, request_id: randomUUID() },
        createdAt: new Date(),
      }));
      const queries: string[] = [];
      await server.dataSource.transaction(async (manager) => {
        const spy = jest.spyOn(manager.queryRunner!, 'query');
        const appended: DomainEvent[] = [];
        const reactingTo = (event: StoredEvent) =>
          new Transaction(manager, { ...event.metadata, causation_position: event.position }, appended);
        await server.app.get(ClusterDeletedConsumer).handleBatch(batch, manager, reactingTo);
        queries.push(...spy.mock.calls.map(([sql]) => (typeof sql === 'string' ? sql : (sql as { text: string }).text)));
        spy.mockRestore();
      });
      expect(queries.filter((sql) => /FROM "cluster_instance_specs"/.test(sql) && /^SELECT/.test(sql))).toHaveLength(1);

      expect((await getSpec(a.uuid)).cluster_count).toBe(1);
      expect((await getSpec(b.uuid)).cluster_count).toBe(0);
      expect(expectResult<Page<unknown>>(await as(admin).get(registrations(clusters[2].path))).total).toBe(1);
      const reactions = await events('stream_type=instance_spec&type=InstanceSpecUnregistered');
      for (const [i, event] of batch.entries()) {
        const mine = reactions.filter((e) => e.data.cluster_uuid === clusters[i].cluster);
        expect(mine.map((e) => e.stream_id).sort()).toEqual((i === 0 ? [a.uuid, b.uuid] : [a.uuid]).sort());
        for (const reaction of mine) {
          expect(reaction.metadata).toMatchObject({ causation_position: event.position, request_id: event.metadata.request_id });
        }
      }
      // a left c0 before c1: the log's order of the deletions.
      const ofA = reactions.filter((e) => e.stream_id === a.uuid).map((e) => e.data.cluster_uuid);
      expect(ofA).toEqual([clusters[0].cluster, clusters[1].cluster]);
    });

    it('a cluster without specs deletes as before', async () => {
      const { path, cluster } = await newCluster();
      expect(expectResult(await as(admin).delete(path))).toBe(1);
      await server.caughtUp();
      expect(await events(`stream_type=cluster&stream_id=${cluster}&type=ClusterDeleted`)).toHaveLength(1);
    });
  });

  it('the replay check sees a drifted cluster_count and a lost registration', async () => {
    const spec = await newSpec();
    const { path, cluster } = await newCluster();
    expectResult(await register(path, spec.uuid));
    await server.caughtUp();
    expect(await verifyReplay(server.dataSource)).toEqual([]);
    await server.dataSource.query('UPDATE instance_specs SET cluster_count = 2 WHERE uuid = $1', [spec.uuid]);
    expect(await verifyReplay(server.dataSource)).toEqual([expect.stringContaining(`instance_spec/${spec.uuid}: live`)]);
    await server.dataSource.query('UPDATE instance_specs SET cluster_count = 1 WHERE uuid = $1', [spec.uuid]);
    const [row]: { created_at: Date }[] = await server.dataSource.query(
      'SELECT created_at FROM cluster_instance_specs WHERE instance_spec_uuid = $1',
      [spec.uuid],
    );
    await server.dataSource.query('DELETE FROM cluster_instance_specs WHERE instance_spec_uuid = $1', [spec.uuid]);
    expect(await verifyReplay(server.dataSource)).toEqual([expect.stringContaining(`instance_spec/${spec.uuid}: live`)]);
    await server.dataSource.query('INSERT INTO cluster_instance_specs VALUES ($1, $2, $3)', [cluster, spec.uuid, row.created_at]);
    expect(await verifyReplay(server.dataSource)).toEqual([]);
  });

  describe('under concurrency', () => {
    it('100 parallel registrations into one cluster leave exactly 32', async () => {
      const { path } = await newCluster();
      const specs: Spec[] = [];
      for (let i = 0; i < 50; i++) specs.push(await newSpec());
      // Each spec twice: the second of a registered spec is ALREADY_EXISTS, any past the 32nd LIMIT_EXCEEDED.
      const attempts = [...specs, ...specs].map((spec) => spec.uuid);
      const results = await Promise.all(attempts.map((uuid) => register(path, uuid)));
      const won = new Set(attempts.filter((_, i) => results[i].status === 200));
      expect(results.filter((r) => r.status === 200)).toHaveLength(32);
      expect(won.size).toBe(32);
      results.forEach((res, i) => {
        if (res.status !== 200) expectError(res, 400, won.has(attempts[i]) ? 'ALREADY_EXISTS' : 'LIMIT_EXCEEDED');
      });
      const listed = expectResult<Page<{ instance_spec_uuid: string }>>(await as(admin).get(`${registrations(path)}?size=100`));
      expect(new Set(listed.elements.map((r) => r.instance_spec_uuid))).toEqual(won);
      for (const spec of specs) expect((await getSpec(spec.uuid)).cluster_count).toBe(won.has(spec.uuid) ? 1 : 0);
    });

    it('one spec registered into 10 clusters in parallel counts 10', async () => {
      const spec = await newSpec();
      const clusters = [];
      for (let i = 0; i < 10; i++) clusters.push(await newCluster());
      const results = await Promise.all(clusters.map((c) => register(c.path, spec.uuid)));
      results.forEach((res) => expectResult(res));
      expect((await getSpec(spec.uuid)).cluster_count).toBe(10);
    });

    it('a deleteInstanceSpec racing a registration never leaves a registration of a deleted spec', async () => {
      const { path } = await newCluster();
      for (let round = 0; round < 10; round++) {
        const spec = await newSpec();
        const [registered, deleted] = await Promise.all([
          register(path, spec.uuid),
          as(admin).delete(`/v1/instance_spec/${spec.uuid}`),
        ]);
        const orphans: unknown[] = await server.dataSource.query(
          'SELECT 1 FROM cluster_instance_specs r LEFT JOIN instance_specs s ON s.uuid = r.instance_spec_uuid WHERE s.uuid IS NULL',
        );
        expect(orphans).toEqual([]);
        if (registered.status === 200) {
          expectError(deleted, 400, 'FAILED_PRECONDITION');
          expectResult(await as(admin).delete(`${registrations(path)}/${spec.uuid}`));
        } else {
          expectError(registered, 404, 'NOT_FOUND');
          expect(expectResult(deleted)).toBe(1);
        }
      }
    });

    it('a deleteCluster racing registrations leaves no registration in the deleted cluster', async () => {
      const specs: Spec[] = [];
      for (let i = 0; i < 5; i++) specs.push(await newSpec());
      const { path, cluster } = await newCluster();
      const [deleted, ...registered] = await Promise.all([
        as(admin).delete(path),
        ...specs.map((spec) => register(path, spec.uuid)),
      ]);
      expect(expectResult(deleted)).toBe(1);
      for (const res of registered) if (res.status !== 200) expectError(res, 404, 'NOT_FOUND');
      await server.caughtUp();
      const left: unknown[] = await server.dataSource.query('SELECT 1 FROM cluster_instance_specs WHERE cluster_uuid = $1', [
        cluster,
      ]);
      expect(left).toEqual([]);
      for (const spec of specs) expect((await getSpec(spec.uuid)).cluster_count).toBe(0);
    });
  });
});
