import { Role } from '@chime/contracts';
import { expectError, expectResult, UUID } from './support/envelope';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login, TestUser, as as asCaller, uniqueName } from './support/users';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const MISSING = '00000000-0000-4000-8000-000000000000';

interface Az {
  uuid: string;
  name: string;
  state: number;
}

describe('availability zones and clusters (API.md §4, §5)', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let user: TestUser;
  const unique = uniqueName;
  const as = (token: string) => asCaller(server, token);
  const newAz = async (name = unique('az')): Promise<Az> => expectResult<{ az: Az }>(await as(admin).post('/v1/az', { name })).az;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    user = await createUser(server, admin, Role.User);
  });
  afterAll(() => server?.close());

  it('runs the lifecycle of an AZ and a cluster with the exact shapes', async () => {
    const created = await as(admin).post('/v1/az', { name: 'zone-a', description: 'first zone', parent: 'region-1' });
    const { az } = expectResult<{ az: Az }>(created);
    expect(az).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'zone-a',
      description: 'first zone',
      parent: 'region-1',
      state: 1,
      created_at: expect.stringMatching(ISO),
    });
    expect(expectResult(await as(user.token).get(`/v1/az/${az.uuid}`))).toEqual({ az });

    // The seed's example, verbatim.
    const res = await server.http
      .post(`/v1/az/${az.uuid}/cluster`)
      .set('Content-Type', 'application/json')
      .set('Accept', 'application/json')
      .set(bearer(admin))
      .send('{"name":"mycluster","description":"test cluster","hypervisor_type":"kvm", "arch":"x86_64"}');
    const { cluster } = expectResult<{ cluster: Record<string, unknown> & { uuid: string } }>(res);
    expect(cluster).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'mycluster',
      description: 'test cluster',
      arch: 'x86_64',
      hypervisor_type: 'kvm',
      type: 0,
      state: 1,
      az_uuid: az.uuid,
      az_name: 'zone-a',
      created_at: expect.stringMatching(ISO),
    });
    const path = `/v1/az/${az.uuid}/cluster/${cluster.uuid}`;
    expect(expectResult(await as(reader.token).get(path))).toEqual({ cluster });

    expect(expectResult(await as(admin).patch(path, { description: 'renamed', type: 1 }))).toEqual({ cluster: 'ok' });
    expect(expectResult(await as(admin).put(`${path}/disable`))).toEqual({ cluster: 'ok' });
    expect(expectResult(await as(admin).put(`${path}/disable`))).toEqual({ cluster: 'ok' });
    expect(expectResult(await as(admin).patch(`/v1/az/${az.uuid}`, { name: 'zone-b' }))).toEqual({ az: 'ok' });
    const after = expectResult<{ cluster: Record<string, unknown> }>(await as(admin).get(path)).cluster;
    expect(after).toEqual({ ...cluster, description: 'renamed', type: 1, state: 0, az_name: 'zone-b' });
    expect(expectResult(await as(admin).put(`${path}/enable`))).toEqual({ cluster: 'ok' });

    const list = expectResult<{ elements: unknown[]; size: number; total: number }>(
      await as(user.token).get(`/v1/az/${az.uuid}/cluster`),
    );
    expect(list).toEqual({ elements: [{ ...after, state: 1 }], size: 1, total: 1 });

    expect(expectResult(await as(admin).put(`/v1/az/${az.uuid}/disable`))).toEqual({ az: 'ok' });
    expect(expectResult(await as(admin).put(`/v1/az/${az.uuid}/disable`))).toEqual({ az: 'ok' });
    expect(expectResult<{ az: Az }>(await as(admin).get(`/v1/az/${az.uuid}`)).az.state).toBe(0);
    expect(expectResult(await as(admin).put(`/v1/az/${az.uuid}/enable`))).toEqual({ az: 'ok' });

    expectError(await as(admin).delete(`/v1/az/${az.uuid}`), 400, 'FAILED_PRECONDITION');
    expect(expectResult(await as(admin).delete(path))).toBe(1);
    expectError(await as(admin).get(path), 404, 'NOT_FOUND');
    expect(expectResult(await as(admin).delete(`/v1/az/${az.uuid}`))).toBe(1);
    expectError(await as(admin).get(`/v1/az/${az.uuid}`), 404, 'NOT_FOUND');
  });

  describe('who may do what (API.md §3)', () => {
    it('everyone reads AZs and clusters', async () => {
      const az = await newAz();
      const { cluster } = expectResult<{ cluster: { uuid: string } }>(
        await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: 'c' }),
      );
      for (const token of [user.token, reader.token, admin]) {
        expectResult(await as(token).get('/v1/az'));
        expectResult(await as(token).get(`/v1/az/${az.uuid}`));
        expectResult(await as(token).get(`/v1/az/${az.uuid}/cluster`));
        expectResult(await as(token).get(`/v1/az/${az.uuid}/cluster/${cluster.uuid}`));
      }
    });

    it.each([
      ['user', () => user.token],
      ['read-only administrator', () => reader.token],
    ])('a %s may not change AZs or clusters', async (_, token) => {
      const az = await newAz();
      const { cluster } = expectResult<{ cluster: { uuid: string } }>(
        await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: 'c' }),
      );
      const c = `/v1/az/${az.uuid}/cluster/${cluster.uuid}`;
      const t = token();
      expectError(await as(t).post('/v1/az', { name: unique('az') }), 403, 'PERMISSION_DENIED');
      expectError(await as(t).patch(`/v1/az/${az.uuid}`, { description: 'x' }), 403, 'PERMISSION_DENIED');
      expectError(await as(t).put(`/v1/az/${az.uuid}/disable`), 403, 'PERMISSION_DENIED');
      expectError(await as(t).put(`/v1/az/${az.uuid}/enable`), 403, 'PERMISSION_DENIED');
      expectError(await as(t).delete(`/v1/az/${az.uuid}`), 403, 'PERMISSION_DENIED');
      expectError(await as(t).post(`/v1/az/${az.uuid}/cluster`, { name: 'd' }), 403, 'PERMISSION_DENIED');
      expectError(await as(t).patch(c, { description: 'x' }), 403, 'PERMISSION_DENIED');
      expectError(await as(t).put(`${c}/disable`), 403, 'PERMISSION_DENIED');
      expectError(await as(t).put(`${c}/enable`), 403, 'PERMISSION_DENIED');
      expectError(await as(t).delete(c), 403, 'PERMISSION_DENIED');
      expect(expectResult<{ cluster: { state: number } }>(await as(admin).get(c)).cluster.state).toBe(1);
    });

    it('an administrator (2) changes AZs and clusters like the super administrator', async () => {
      const other = await createUser(server, admin, Role.Admin);
      const { az } = expectResult<{ az: Az }>(await as(other.token).post('/v1/az', { name: unique('az') }));
      const { cluster } = expectResult<{ cluster: { uuid: string } }>(
        await as(other.token).post(`/v1/az/${az.uuid}/cluster`, { name: 'c' }),
      );
      const c = `/v1/az/${az.uuid}/cluster/${cluster.uuid}`;
      expectResult(await as(other.token).patch(c, { name: 'c2' }));
      expectResult(await as(other.token).put(`${c}/disable`));
      expectResult(await as(other.token).delete(c));
      expectResult(await as(other.token).patch(`/v1/az/${az.uuid}`, { description: 'd' }));
      expectResult(await as(other.token).put(`/v1/az/${az.uuid}/disable`));
      expectResult(await as(other.token).delete(`/v1/az/${az.uuid}`));
    });
  });

  describe('rules', () => {
    it('AZ names are unique, whatever their case', async () => {
      const az = await newAz();
      expectError(await as(admin).post('/v1/az', { name: az.name }), 400, 'ALREADY_EXISTS');
      expectError(await as(admin).post('/v1/az', { name: az.name.toUpperCase() }), 400, 'ALREADY_EXISTS');
      const other = await newAz();
      expectError(await as(admin).patch(`/v1/az/${other.uuid}`, { name: az.name }), 400, 'ALREADY_EXISTS');
    });

    it('cluster names are unique within an AZ only', async () => {
      const [a, b] = [await newAz(), await newAz()];
      expectResult(await as(admin).post(`/v1/az/${a.uuid}/cluster`, { name: 'same' }));
      expectError(await as(admin).post(`/v1/az/${a.uuid}/cluster`, { name: 'SAME' }), 400, 'ALREADY_EXISTS');
      expectResult(await as(admin).post(`/v1/az/${b.uuid}/cluster`, { name: 'same' }));
      const { cluster } = expectResult<{ cluster: { uuid: string } }>(
        await as(admin).post(`/v1/az/${a.uuid}/cluster`, { name: 'other' }),
      );
      expectError(await as(admin).patch(`/v1/az/${a.uuid}/cluster/${cluster.uuid}`, { name: 'same' }), 400, 'ALREADY_EXISTS');
    });

    it('a disabled AZ keeps its clusters and accepts no new one', async () => {
      const az = await newAz();
      expectResult(await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: 'kept' }));
      expectResult(await as(admin).put(`/v1/az/${az.uuid}/disable`));
      expectError(await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: 'new' }), 400, 'FAILED_PRECONDITION');
      expect(expectResult<{ total: number }>(await as(admin).get(`/v1/az/${az.uuid}/cluster`)).total).toBe(1);
      expectResult(await as(admin).put(`/v1/az/${az.uuid}/enable`));
      expectResult(await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: 'new' }));
    });

    it('a cluster addressed under the wrong AZ is 404', async () => {
      const [a, b] = [await newAz(), await newAz()];
      const { cluster } = expectResult<{ cluster: { uuid: string } }>(
        await as(admin).post(`/v1/az/${a.uuid}/cluster`, { name: 'c' }),
      );
      const wrong = `/v1/az/${b.uuid}/cluster/${cluster.uuid}`;
      expectError(await as(admin).get(wrong), 404, 'NOT_FOUND');
      expectError(await as(admin).patch(wrong, { description: 'x' }), 404, 'NOT_FOUND');
      expectError(await as(admin).put(`${wrong}/disable`), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(wrong), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`/v1/az/${MISSING}/cluster`), 404, 'NOT_FOUND');
      expectError(await as(admin).post(`/v1/az/${MISSING}/cluster`, { name: 'c' }), 404, 'NOT_FOUND');
    });

    it('unknown AZs are 404 for every operation', async () => {
      expectError(await as(admin).get(`/v1/az/${MISSING}`), 404, 'NOT_FOUND');
      expectError(await as(admin).patch(`/v1/az/${MISSING}`, { name: 'x' }), 404, 'NOT_FOUND');
      expectError(await as(admin).put(`/v1/az/${MISSING}/enable`), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(`/v1/az/${MISSING}`), 404, 'NOT_FOUND');
    });

    it('an AZ holds at most 32 clusters', async () => {
      const az = await newAz();
      for (let i = 0; i < 32; i++) expectResult(await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: `c${i}` }));
      expectError(await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: 'c32' }), 400, 'LIMIT_EXCEEDED');
    });
  });

  describe('bad input', () => {
    let az: Az;
    beforeAll(async () => {
      az = await newAz();
    });

    it.each([
      ['a missing name', {}],
      ['an empty name', { name: '' }],
      ['a blank name', { name: '   ' }],
      ['a name of 65 characters', { name: 'x'.repeat(65) }],
      ['a name that is a number', { name: 42 }],
      ['a description of 257 characters', { name: 'ok', description: 'd'.repeat(257) }],
      ['an unknown field', { name: 'ok', state: 0 }],
    ])('createAz refuses %s', async (_, body) => {
      expectError(await as(admin).post('/v1/az', body), 400, 'INVALID_ARGUMENT');
    });

    it.each([
      ['a missing name', { description: 'x' }],
      ['a name too long', { name: 'x'.repeat(65) }],
      ['a type outside 0–2', { name: 'ok', type: 3 }],
      ['a negative type', { name: 'ok', type: -1 }],
      ['a type as a string', { name: 'ok', type: '1' }],
      ['a fractional type', { name: 'ok', type: 1.5 }],
      ['arch of the wrong type', { name: 'ok', arch: 64 }],
      ['an unknown field', { name: 'ok', az_uuid: MISSING }],
      ['a null name', { name: null }],
    ])('createCluster refuses %s', async (_, body) => {
      expectError(await as(admin).post(`/v1/az/${az.uuid}/cluster`, body), 400, 'INVALID_ARGUMENT');
    });

    it('refuses bad UUIDs in the path', async () => {
      expectError(await as(admin).get('/v1/az/not-a-uuid'), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get('/v1/az/not-a-uuid/cluster'), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get(`/v1/az/${az.uuid}/cluster/123`), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).delete('/v1/az/123'), 400, 'INVALID_ARGUMENT');
    });

    it('refuses bad updates', async () => {
      expectError(await as(admin).patch(`/v1/az/${az.uuid}`, { name: '' }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).patch(`/v1/az/${az.uuid}`, { parent: 'p' }), 400, 'INVALID_ARGUMENT');
      const { cluster } = expectResult<{ cluster: { uuid: string } }>(
        await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: unique('c') }),
      );
      expectError(await as(admin).patch(`/v1/az/${az.uuid}/cluster/${cluster.uuid}`, { type: 5 }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).patch(`/v1/az/${az.uuid}/cluster/${cluster.uuid}`, { state: 0 }), 400, 'INVALID_ARGUMENT');
    });

    it.each(['sort=description', 'sort=uuid', 'order=sideways', 'state=2', 'state=on', 'page=0', 'size=5000', 'colour=red'])(
      'listAz refuses %s',
      async (qs) => {
        expectError(await as(admin).get(`/v1/az?${qs}`), 400, 'INVALID_ARGUMENT');
      },
    );

    it.each(['sort=arch', 'type=3', 'type=x', 'state=-1'])('listCluster refuses %s', async (qs) => {
      expectError(await as(admin).get(`/v1/az/${az.uuid}/cluster?${qs}`), 400, 'INVALID_ARGUMENT');
    });
  });

  describe('lists', () => {
    it('filter, sort and page clusters', async () => {
      const az = await newAz();
      const specs = [
        { name: 'alpha', type: 0, arch: 'x86_64', hypervisor_type: 'kvm' },
        { name: 'Beta', type: 1, arch: 'aarch64', hypervisor_type: 'kvm' },
        { name: 'gamma', type: 2, arch: 'x86_64', hypervisor_type: 'xen' },
        { name: 'alphabet', type: 1, arch: 'x86_64', hypervisor_type: 'kvm' },
      ];
      for (const s of specs) expectResult(await as(admin).post(`/v1/az/${az.uuid}/cluster`, s));
      const names = async (qs: string) =>
        expectResult<{ elements: { name: string }[] }>(await as(user.token).get(`/v1/az/${az.uuid}/cluster?${qs}`)).elements.map(
          (c) => c.name,
        );
      expect(await names('sort=name&order=asc')).toEqual(['alpha', 'alphabet', 'Beta', 'gamma']);
      expect(await names('name=ALPHA&sort=name&order=asc')).toEqual(['alpha', 'alphabet']);
      expect(await names('type=1&sort=name&order=desc')).toEqual(['Beta', 'alphabet']);
      expect(await names('arch=aarch64')).toEqual(['Beta']);
      expect(await names('hypervisor_type=xen')).toEqual(['gamma']);
      expect(await names('name=%25')).toEqual([]);
      expect(await names('name=_')).toEqual([]);
      expect(await names('sort=created_at&order=asc')).toEqual(['alpha', 'Beta', 'gamma', 'alphabet']);
      expect(await names('sort=created_at&order=asc&page=2&size=3')).toEqual(['alphabet']);
      const pastEnd = expectResult(await as(user.token).get(`/v1/az/${az.uuid}/cluster?page=3&size=3`));
      expect(pastEnd).toEqual({ elements: [], size: 0, total: 4 });
    });

    it('filter AZs by name and state', async () => {
      const off = await newAz(unique('offzone'));
      expectResult(await as(admin).put(`/v1/az/${off.uuid}/disable`));
      const list = expectResult<{ elements: Az[]; total: number }>(await as(user.token).get('/v1/az?state=0&size=1000'));
      expect(list.elements.map((a) => a.uuid)).toContain(off.uuid);
      expect(list.elements.every((a) => a.state === 0)).toBe(true);
      const byName = expectResult<{ elements: Az[] }>(await as(user.token).get(`/v1/az?name=${off.name.toUpperCase()}`));
      expect(byName.elements.map((a) => a.uuid)).toEqual([off.uuid]);
    });
  });

  describe('user defaults', () => {
    it('set, read and clear, with the cluster belonging to the AZ', async () => {
      const az = await newAz();
      const other = await newAz();
      const { cluster } = expectResult<{ cluster: { uuid: string } }>(
        await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: 'c' }),
      );
      const path = `/v1/user/${user.uuid}/default`;
      expect(expectResult(await as(user.token).get(path))).toEqual({ default: { az_uuid: null, clusters_uuid: null } });
      expect(expectResult(await as(user.token).patch(path, { az_uuid: az.uuid, clusters_uuid: cluster.uuid }))).toEqual({
        default: 'ok',
      });
      expect(expectResult(await as(user.token).get(path))).toEqual({
        default: { az_uuid: az.uuid, clusters_uuid: cluster.uuid },
      });
      expectError(
        await as(user.token).patch(path, { az_uuid: other.uuid, clusters_uuid: cluster.uuid }),
        400,
        'FAILED_PRECONDITION',
      );
      expectError(await as(user.token).patch(path, { az_uuid: MISSING, clusters_uuid: null }), 400, 'FAILED_PRECONDITION');
      expectError(await as(user.token).patch(path, { az_uuid: null, clusters_uuid: cluster.uuid }), 400, 'INVALID_ARGUMENT');
      expectError(await as(user.token).patch(path, { az_uuid: 'nope', clusters_uuid: null }), 400, 'INVALID_ARGUMENT');
      expectError(await as(user.token).patch(path, { az_uuid: az.uuid }), 400, 'INVALID_ARGUMENT');
      // A deleted cluster no longer reads as a default.
      expectResult(await as(admin).delete(`/v1/az/${az.uuid}/cluster/${cluster.uuid}`));
      expect(expectResult(await as(user.token).get(path))).toEqual({ default: { az_uuid: az.uuid, clusters_uuid: null } });
      expectResult(await as(user.token).patch(path, { az_uuid: null, clusters_uuid: null }));
      expect(expectResult(await as(user.token).get(path))).toEqual({ default: { az_uuid: null, clusters_uuid: null } });
    });

    it("users and read-only administrators use their own; administrators anyone's", async () => {
      const adminUuid = expectResult<{ user: { user_uuid: string } }>(await server.http.post('/v1/auth').send({ token: admin }))
        .user.user_uuid;
      const body = { az_uuid: null, clusters_uuid: null };
      expectError(await as(user.token).get(`/v1/user/${reader.uuid}/default`), 403, 'PERMISSION_DENIED');
      expectError(await as(user.token).patch(`/v1/user/${reader.uuid}/default`, body), 403, 'PERMISSION_DENIED');
      expectError(await as(reader.token).get(`/v1/user/${user.uuid}/default`), 403, 'PERMISSION_DENIED');
      expectError(await as(reader.token).patch(`/v1/user/${user.uuid}/default`, body), 403, 'PERMISSION_DENIED');
      expectResult(await as(reader.token).patch(`/v1/user/${reader.uuid}/default`, body));
      const other = await createUser(server, admin, Role.Admin);
      expectResult(await as(other.token).get(`/v1/user/${user.uuid}/default`));
      expectResult(await as(other.token).patch(`/v1/user/${adminUuid}/default`, body));
      expectResult(await as(admin).patch(`/v1/user/${user.uuid}/default`, body));
    });
  });
});

describe('availability zones and clusters under concurrency', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
  });
  afterAll(() => server?.close());

  const post = (path: string, body: object) => server.http.post(path).set(bearer(admin)).send(body);

  it('two simultaneous creates with one name leave one cluster', async () => {
    const { az } = expectResult<{ az: Az }>(await post('/v1/az', { name: 'race-names' }));
    const results = await Promise.all([1, 2, 3, 4].map(() => post(`/v1/az/${az.uuid}/cluster`, { name: 'twin' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 400, 400, 400]);
    for (const r of results.filter((r) => r.status === 400)) expectError(r, 400, 'ALREADY_EXISTS');
    expect(expectResult<{ total: number }>(await server.http.get(`/v1/az/${az.uuid}/cluster`).set(bearer(admin))).total).toBe(1);
  });

  it('100 parallel createCluster calls into one AZ leave exactly 32', async () => {
    const { az } = expectResult<{ az: Az }>(await post('/v1/az', { name: 'race-limit' }));
    const results = await Promise.all(
      Array.from({ length: 100 }, (_, i) => post(`/v1/az/${az.uuid}/cluster`, { name: `c${i}` })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(32);
    for (const r of results.filter((r) => r.status !== 200)) expectError(r, 400, 'LIMIT_EXCEEDED');
    expect(
      expectResult<{ total: number }>(await server.http.get(`/v1/az/${az.uuid}/cluster?size=100`).set(bearer(admin))).total,
    ).toBe(32);
  });

  it('a deleteAz racing createCluster never leaves a cluster in a deleted AZ', async () => {
    for (let round = 0; round < 10; round++) {
      const { az } = expectResult<{ az: Az }>(await post('/v1/az', { name: `race-delete-${round}` }));
      const [created, deleted] = await Promise.all([
        post(`/v1/az/${az.uuid}/cluster`, { name: 'c' }),
        server.http.delete(`/v1/az/${az.uuid}`).set(bearer(admin)),
      ]);
      const orphans: unknown[] = await server.dataSource.query(
        'SELECT c.uuid FROM clusters c LEFT JOIN availability_zones a ON a.uuid = c.az_uuid WHERE a.uuid IS NULL',
      );
      expect(orphans).toEqual([]);
      if (created.status === 200) {
        expectError(deleted, 400, 'FAILED_PRECONDITION');
      } else {
        expectError(created, 404, 'NOT_FOUND');
        expect(deleted.status).toBe(200);
      }
    }
  });

  it('at most 32 AZs, even when created in parallel', async () => {
    const existing = expectResult<{ total: number }>(await server.http.get('/v1/az').set(bearer(admin))).total;
    const results = await Promise.all(Array.from({ length: 40 }, (_, i) => post('/v1/az', { name: `many-${i}` })));
    expect(results.filter((r) => r.status === 200)).toHaveLength(32 - existing);
    for (const r of results.filter((r) => r.status !== 200)) expectError(r, 400, 'LIMIT_EXCEEDED');
    expect(expectResult<{ total: number }>(await server.http.get('/v1/az').set(bearer(admin))).total).toBe(32);
  });
});
