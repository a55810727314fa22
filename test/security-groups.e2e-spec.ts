import { Role } from '@chime/contracts';
import { SecurityGroupPort } from '../src/modules/security-groups/security-group.port';
import { verifyReplay } from '../src/replay/verify-replay';
import { expectError, expectResult, UUID } from './support/envelope';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, createUser, login, TestUser, uniqueName } from './support/users';

interface Rule {
  action: string;
  description: string;
  direction: number;
  protocol: string;
  sip: string;
  dip: string;
  sport: string;
  dport: string;
}
interface Group {
  uuid: string;
  name: string;
  description: string;
  user_uuid: string;
  ingress_rules: Rule[];
  egress_rules: Rule[];
  created_at: string;
  updated_at: string;
}
interface Page<T> {
  elements: T[];
  size: number;
  total: number;
}
interface EventView {
  type: string;
  stream_id: string;
  version: number;
  data: Record<string, unknown>;
}

const PATH = '/v1/securitygroup';
const MISSING = '00000000-0000-4000-8000-000000000000';
const SSH = { action: 'ACCEPT', description: 'ssh', direction: 0, protocol: 'tcp', sip: '10.1.2.3/8', dport: '22' };
const ANY_OUT = { action: 'ACCEPT', direction: 1, protocol: 'all' };

/** Security groups against the real server: the five operations, their refusals, roles, the limit, events. */
describe('security groups', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let alice: TestUser;
  let bob: TestUser;
  const as = (token: string) => asCaller(server, token);
  const create = async (token: string, body: object = {}) =>
    expectResult<{ securitygroup: Group }>(
      await as(token).post(PATH, { name: uniqueName('sg'), ingress_rules: [], egress_rules: [], ...body }),
    ).securitygroup;
  const get = async (uuid: string, token = admin) =>
    expectResult<{ securitygroup: Group }>(await as(token).get(`${PATH}/${uuid}`)).securitygroup;
  const events = async (qs: string): Promise<EventView[]> => {
    await server.caughtUp();
    return expectResult<{ elements: EventView[] }>(await as(admin).get(`/v1/event?limit=1000&${qs}`)).elements;
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    alice = await createUser(server, admin, Role.User);
    bob = await createUser(server, admin, Role.User);
  });

  afterAll(async () => {
    await server?.close();
  });

  it('creates, reads, lists, updates and deletes a group, and appends its events', async () => {
    const group = await create(alice.token, {
      name: 'Web',
      description: 'web servers',
      ingress_rules: [SSH, { action: 'REJECT', direction: 0, protocol: 'icmp', sip: '2001:db8::1/64', dip: '' }],
      egress_rules: [ANY_OUT],
    });
    expect(group).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'Web',
      description: 'web servers',
      user_uuid: alice.uuid,
      ingress_rules: [
        { action: 'ACCEPT', description: 'ssh', direction: 0, protocol: 'tcp', sip: '10.0.0.0/8', dip: '', sport: '', dport: '22:22' },
        { action: 'REJECT', description: '', direction: 0, protocol: 'icmp', sip: '2001:db8::/64', dip: '', sport: '', dport: '' },
      ],
      egress_rules: [{ action: 'ACCEPT', description: '', direction: 1, protocol: 'all', sip: '', dip: '', sport: '', dport: '' }],
      created_at: expect.any(String),
      updated_at: group.created_at,
    });
    expect(await get(group.uuid, alice.token)).toEqual(group);

    const list = expectResult<Page<Group>>(await as(alice.token).get(`${PATH}?name=we&uuid=${group.uuid}&sort=name&order=asc`));
    expect(list).toEqual({ elements: [group], size: 1, total: 1 });

    expect(
      expectResult(
        await as(alice.token).patch(`${PATH}/${group.uuid}`, {
          description: 'still web',
          egress_rules: [{ action: 'REJECT', direction: 1, protocol: 'udp', dip: '192.168.1.9/24', dport: '53:53' }],
        }),
      ),
    ).toEqual({ securitygroup: 'ok' });
    const updated = await get(group.uuid, alice.token);
    expect(updated).toMatchObject({
      name: 'Web',
      description: 'still web',
      ingress_rules: group.ingress_rules,
      egress_rules: [{ action: 'REJECT', description: '', direction: 1, protocol: 'udp', sip: '', dip: '192.168.1.0/24', sport: '', dport: '53:53' }],
    });
    expect(updated.updated_at > group.updated_at).toBe(true);

    // Resending what is stored (a single port as its range, a CIDR as given) changes nothing.
    expectResult(await as(alice.token).patch(`${PATH}/${group.uuid}`, { name: 'Web', ingress_rules: [SSH, group.ingress_rules[1]] }));
    expect(await get(group.uuid)).toEqual(updated);

    expect(expectResult(await as(alice.token).delete(`${PATH}/${group.uuid}`))).toBe(1);
    expectError(await as(alice.token).get(`${PATH}/${group.uuid}`), 404, 'NOT_FOUND');
    expectError(await as(alice.token).delete(`${PATH}/${group.uuid}`), 404, 'NOT_FOUND');

    const log = await events(`stream_type=security_group&stream_id=${group.uuid}`);
    expect(log.map((e) => [e.type, e.version])).toEqual([
      ['SecurityGroupCreated', 1],
      ['SecurityGroupUpdated', 2],
      ['SecurityGroupUpdated', 3],
      ['SecurityGroupDeleted', 4],
    ]);
    expect(log[0].data).toEqual(group);
    expect(log[1].data).toEqual({
      uuid: group.uuid,
      changes: { description: 'still web', egress_rules: updated.egress_rules },
      updated_at: updated.updated_at,
    });
    expect(log[2].data).toEqual({ uuid: group.uuid, changes: {}, updated_at: updated.updated_at });
  });

  it('refuses bad input with 400 INVALID_ARGUMENT naming the field', async () => {
    const base = { name: 'x', ingress_rules: [], egress_rules: [] };
    const bad: [object, string][] = [
      [{ ingress_rules: [], egress_rules: [] }, 'name'],
      [{ name: 'x', egress_rules: [] }, 'ingress_rules'],
      [{ name: 'x', ingress_rules: [] }, 'egress_rules'],
      [{ ...base, name: '' }, 'name'],
      [{ ...base, name: 'n'.repeat(65) }, 'name'],
      [{ ...base, description: 'd'.repeat(257) }, 'description'],
      [{ ...base, ingress_rules: {} }, 'ingress_rules'],
      [{ ...base, ingress_rules: ['tcp'] }, 'ingress_rules'],
      [{ ...base, ingress_rules: Array(65).fill(SSH) }, 'ingress_rules'],
      [{ ...base, ingress_rules: [{ ...SSH, extra: 1 }] }, 'unknown field ingress_rules.0.extra'],
      [{ ...base, ingress_rules: [{ ...SSH, action: undefined }] }, 'ingress_rules.0.action'],
      [{ ...base, ingress_rules: [{ ...SSH, action: 'accept' }] }, 'ingress_rules.0.action must be ACCEPT or REJECT'],
      [{ ...base, ingress_rules: [{ ...SSH, protocol: 'gre' }] }, 'ingress_rules.0.protocol must be one of tcp, udp, icmp, all'],
      [{ ...base, ingress_rules: [{ ...SSH, direction: '0' }] }, 'ingress_rules.0.direction'],
      [{ ...base, ingress_rules: [{ ...SSH, direction: 1 }] }, 'ingress_rules.0.direction must be 0 (ingress) in ingress_rules'],
      [{ ...base, egress_rules: [{ ...ANY_OUT, direction: 0 }] }, 'egress_rules.0.direction must be 1 (egress) in egress_rules'],
      [{ ...base, ingress_rules: [{ ...SSH, sip: '10.0.0.1' }] }, 'ingress_rules.0.sip must be a CIDR'],
      [{ ...base, ingress_rules: [{ ...SSH, dip: '300.0.0.0/8' }] }, 'ingress_rules.0.dip must be a CIDR'],
      [{ ...base, ingress_rules: [{ ...SSH, dip: '2001:db8::/64' }] }, 'must be of one IP version'],
      [{ ...base, ingress_rules: [{ ...SSH, sport: 80 }] }, 'ingress_rules.0.sport'],
      [{ ...base, ingress_rules: [{ ...SSH, dport: '0:80' }] }, 'ingress_rules.0.dport must be a port range'],
      [{ ...base, ingress_rules: [{ ...SSH, dport: '90:80' }] }, 'ingress_rules.0.dport must be a port range'],
      [{ ...base, ingress_rules: [{ ...SSH, dport: '1:70000' }] }, 'ingress_rules.0.dport must be a port range'],
      [{ ...base, egress_rules: [{ ...ANY_OUT, dport: '80' }] }, 'egress_rules.0: ports are only meaningful for tcp and udp'],
      [{ ...base, ingress_rules: [{ ...SSH, protocol: 'icmp' }] }, 'ingress_rules.0: ports are only meaningful for tcp and udp'],
    ];
    for (const [body, field] of bad) {
      expect(expectError(await as(alice.token).post(PATH, body), 400, 'INVALID_ARGUMENT')).toContain(field);
    }
    const group = await create(alice.token);
    for (const [body, field] of bad.slice(3)) {
      expect(expectError(await as(alice.token).patch(`${PATH}/${group.uuid}`, body), 400, 'INVALID_ARGUMENT')).toContain(field);
    }
    expectError(await as(alice.token).get(`${PATH}/not-a-uuid`), 400, 'INVALID_ARGUMENT');
    expectError(await as(alice.token).get(`${PATH}?sort=description`), 400, 'INVALID_ARGUMENT');
    expectError(await as(alice.token).get(`${PATH}?uuid=x`), 400, 'INVALID_ARGUMENT');
    expectError(await as(alice.token).get(`${PATH}?user_uuid=${alice.uuid}`), 400, 'INVALID_ARGUMENT');
    expectError(await as(alice.token).get(`${PATH}/${MISSING}`), 404, 'NOT_FOUND');
    expectError(await as(alice.token).patch(`${PATH}/${MISSING}`, { name: 'x' }), 404, 'NOT_FOUND');
    expectError(await asCaller(server, 'nope').get(PATH), 401, 'UNAUTHENTICATED');
    expect(await get(group.uuid)).toEqual(group);
  });

  it('keeps names unique per user regardless of case', async () => {
    const name = uniqueName('Dup');
    const mine = await create(alice.token, { name });
    expect(expectError(await as(alice.token).post(PATH, { name: name.toUpperCase(), ingress_rules: [], egress_rules: [] }), 400, 'ALREADY_EXISTS')).toMatch(/security group/);
    await create(bob.token, { name: name.toLowerCase() });
    const other = await create(alice.token);
    expectError(await as(alice.token).patch(`${PATH}/${other.uuid}`, { name: name.toLowerCase() }), 400, 'ALREADY_EXISTS');
    expectResult(await as(alice.token).patch(`${PATH}/${mine.uuid}`, { name: name.toLowerCase() }));
  });

  it('lets users see and change only their own, read-only administrators read all, administrators all', async () => {
    const alices = await create(alice.token);
    const bobs = await create(bob.token);
    // Bob's group does not exist for Alice.
    expectError(await as(alice.token).get(`${PATH}/${bobs.uuid}`), 404, 'NOT_FOUND');
    expectError(await as(alice.token).patch(`${PATH}/${bobs.uuid}`, { description: 'x' }), 404, 'NOT_FOUND');
    expectError(await as(alice.token).delete(`${PATH}/${bobs.uuid}`), 404, 'NOT_FOUND');
    const listed = expectResult<Page<Group>>(await as(alice.token).get(`${PATH}?size=1000`));
    expect(listed.elements.every((g) => g.user_uuid === alice.uuid)).toBe(true);
    expect(listed.elements.map((g) => g.uuid)).toContain(alices.uuid);
    expect(expectResult<Page<Group>>(await as(alice.token).get(`${PATH}?uuid=${bobs.uuid}`)).total).toBe(0);

    // Read-only administrators read everyone's and change nothing.
    expect(await get(bobs.uuid, reader.token)).toEqual(bobs);
    const all = expectResult<Page<Group>>(await as(reader.token).get(`${PATH}?size=1000`));
    expect(all.elements.map((g) => g.uuid)).toEqual(expect.arrayContaining([alices.uuid, bobs.uuid]));
    expectError(await as(reader.token).post(PATH, { name: 'r', ingress_rules: [], egress_rules: [] }), 403, 'PERMISSION_DENIED');
    expectError(await as(reader.token).patch(`${PATH}/${bobs.uuid}`, { description: 'x' }), 403, 'PERMISSION_DENIED');
    expectError(await as(reader.token).delete(`${PATH}/${bobs.uuid}`), 403, 'PERMISSION_DENIED');
    expectError(await as(reader.token).delete(`${PATH}/${MISSING}`), 404, 'NOT_FOUND');

    // Administrators change anyone's; what they create is their own.
    expectResult(await as(admin).patch(`${PATH}/${bobs.uuid}`, { description: 'by admin' }));
    expect(await get(bobs.uuid, bob.token)).toMatchObject({ description: 'by admin', user_uuid: bob.uuid });
    const admins = await create(admin);
    expectError(await as(bob.token).get(`${PATH}/${admins.uuid}`), 404, 'NOT_FOUND');
    expect(expectResult(await as(admin).delete(`${PATH}/${bobs.uuid}`))).toBe(1);
    expect(expectResult(await as(admin).delete(`${PATH}/${admins.uuid}`))).toBe(1);
  });

  it('holds 16 groups per user, also against 30 concurrent creations', async () => {
    const carol = await createUser(server, admin, Role.User);
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) => as(carol.token).post(PATH, { name: `g${i}`, ingress_rules: [], egress_rules: [] })),
    );
    const created = results.filter((res) => res.status === 200);
    expect(created).toHaveLength(16);
    for (const res of results.filter((r) => r.status !== 200)) {
      expect(expectError(res, 400, 'LIMIT_EXCEEDED')).toBe('at most 16 security groups per user');
    }
    expect(expectResult<Page<Group>>(await as(carol.token).get(PATH)).total).toBe(16);
    // Someone else's groups do not count; a deletion frees a place.
    await create(alice.token);
    expectError(await as(carol.token).post(PATH, { name: 'more', ingress_rules: [], egress_rules: [] }), 400, 'LIMIT_EXCEEDED');
    expectResult(await as(carol.token).delete(`${PATH}/${(created[0].body as { result: { securitygroup: Group } }).result.securitygroup.uuid}`));
    await create(carol.token, { name: 'more' });
  });

  it('gives NICs usable groups through SecurityGroupPort', async () => {
    const port = server.app.get(SecurityGroupPort);
    const group = await create(alice.token, { ingress_rules: [SSH], egress_rules: [ANY_OUT] });
    const aliceActor = { uuid: alice.uuid, name: alice.name, role: Role.User };
    const bobActor = { uuid: bob.uuid, name: bob.name, role: Role.User };
    const usable = await server.dataSource.transaction((m) => port.usable(m, group.uuid, aliceActor));
    expect(usable).toEqual({ uuid: group.uuid, name: group.name, ingress_rules: group.ingress_rules, egress_rules: group.egress_rules });
    await expect(server.dataSource.transaction((m) => port.usable(m, group.uuid, bobActor))).rejects.toMatchObject({ status: 'NOT_FOUND' });
    await expect(server.dataSource.transaction((m) => port.usable(m, MISSING, aliceActor))).rejects.toMatchObject({ status: 'NOT_FOUND' });
    await expect(server.dataSource.transaction((m) => port.usable(m, 'x', aliceActor))).rejects.toMatchObject({ status: 'NOT_FOUND' });
    const adminActor = { uuid: 'a', name: 'admin', role: Role.Admin };
    expect((await server.dataSource.transaction((m) => port.usable(m, group.uuid, adminActor))).uuid).toBe(group.uuid);
    const found = await port.byUuids(server.dataSource.manager, [group.uuid, MISSING, group.uuid]);
    expect([...found.keys()]).toEqual([group.uuid]);
    expect(found.get(group.uuid)).toEqual(usable);
  });

  it('replays to the same tables', async () => {
    await server.caughtUp();
    expect(await verifyReplay(server.dataSource)).toEqual([]);
  });
});
