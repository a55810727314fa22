import { Role } from '@chime/contracts';
import { expectError, expectResult, UUID } from './support/envelope';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login, TestUser, as as asCaller, uniqueName } from './support/users';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const MISSING = '00000000-0000-4000-8000-000000000000';

interface Network {
  uuid: string;
  name: string;
  cluster_name: string;
  vlan_id: string;
}
interface Subnet {
  uuid: string;
  name: string;
  cidr: string;
  gateway: string;
  reserved_ips: string;
  type: number;
}
interface List<T> {
  elements: T[];
  size: number;
  total: number;
}
interface Place {
  az: string;
  cluster: string;
  /** `/v1/az/{az}/cluster/{cluster}/network` */
  networks: string;
}

describe('networks and subnets', () => {
  let server: TestServer;
  let admin: string;
  let reader: TestUser;
  let user: TestUser;
  const unique = uniqueName;
  let bridges = 0;
  const as = (token: string) => asCaller(server, token);

  /** A new cluster, in an AZ shared with a few others (an AZ holds at most 32 clusters, and there are at most 32 AZs). */
  let az = { uuid: '', clusters: Infinity };
  const newPlace = async (): Promise<Place> => {
    if (az.clusters >= 20) {
      az = {
        uuid: expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: unique('az') })).az.uuid,
        clusters: 0,
      };
    }
    az.clusters++;
    const cluster = expectResult<{ cluster: { uuid: string } }>(
      await as(admin).post(`/v1/az/${az.uuid}/cluster`, { name: unique('cluster') }),
    ).cluster.uuid;
    return { az: az.uuid, cluster, networks: `/v1/az/${az.uuid}/cluster/${cluster}/network` };
  };
  const newNetwork = async (place: Place, body: object = {}): Promise<Network & { path: string }> => {
    const name = unique('net');
    const { network } = expectResult<{ network: Network }>(
      await as(admin).post(place.networks, { name, bridge_name: `br${++bridges}`, interface_name: 'ens224', ...body }),
    );
    return { ...network, path: `${place.networks}/${network.uuid}` };
  };
  const newSubnet = async (network: { path: string }, body: object): Promise<Subnet & { path: string }> => {
    const { subnet } = expectResult<{ subnet: Subnet }>(
      await as(admin).post(`${network.path}/subnet`, { name: unique('subnet'), ...body }),
    );
    return { ...subnet, path: `${network.path}/subnet/${subnet.uuid}` };
  };
  // Once the consumers have caught up, every committed event is readable: on a shared PostgreSQL
  // server the log is read below the oldest transaction running anywhere (another test file's).
  const events = async (streamType: string, streamId: string) => {
    await server.caughtUp();
    return expectResult<{ elements: { type: string; version: number; data: unknown; metadata: { path: string } }[] }>(
      await as(admin).get(`/v1/event?stream_type=${streamType}&stream_id=${streamId}&limit=1000`),
    ).elements;
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    user = await createUser(server, admin, Role.User);
  });
  afterAll(() => server?.close());

  it("runs the documented flow with ChimeStack's example bodies and the exact shapes", async () => {
    const place = await newPlace();
    const clusterName = expectResult<{ cluster: { name: string } }>(
      await as(admin).get(`/v1/az/${place.az}/cluster/${place.cluster}`),
    ).cluster.name;

    // createNetwork, the reference's body verbatim.
    const created = await server.http
      .post(place.networks)
      .set(bearer(admin))
      .set('Content-Type', 'application/json')
      .send('{"bridge_name":"br1","description":"default network","interface_name":"ens224","name":"br1","type":0}');
    const { network } = expectResult<{ network: Network }>(created);
    expect(network).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'br1',
      description: 'default network',
      bridge_name: 'br1',
      interface_name: 'ens224',
      type: 0,
      vlan_id: '',
      state: 1,
      az_uuid: place.az,
      cluster_uuid: place.cluster,
      cluster_name: clusterName,
      created_at: expect.stringMatching(ISO),
    });
    const networkPath = `${place.networks}/${network.uuid}`;
    expect(expectResult(await as(user.token).get(networkPath))).toEqual({ network });
    expect(expectResult(await as(reader.token).get(place.networks))).toEqual({ elements: [network], size: 1, total: 1 });

    // updateNetwork, the reference's body verbatim (an unchanged name resent).
    expect(expectResult(await as(admin).patch(networkPath, { description: 'a network example', name: 'br1' }))).toEqual({
      network: 'ok',
    });
    // The view shows the cluster's current name.
    expectResult(await as(admin).patch(`/v1/az/${place.az}/cluster/${place.cluster}`, { name: 'renamed-cluster' }));
    const updated = { ...network, description: 'a network example', cluster_name: 'renamed-cluster' };
    expect(expectResult(await as(admin).get(networkPath))).toEqual({ network: updated });

    // createSubnet, the reference's body verbatim: its cidr names a host, the subnet is its network.
    const subnetBody = {
      cidr: '192.168.231.1/24',
      description: 'a subnet example',
      gateway: '192.168.231.2',
      name: 'subnet1',
      reserved_ips: '192.168.231.254,192.168.231.1-192.168.231.100',
    };
    const { subnet } = expectResult<{ subnet: Subnet }>(await as(admin).post(`${networkPath}/subnet`, subnetBody));
    expect(subnet).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'subnet1',
      description: 'a subnet example',
      cidr: '192.168.231.0/24',
      gateway: '192.168.231.2',
      reserved_ips: '192.168.231.254,192.168.231.1-192.168.231.100',
      type: 0,
      state: 1,
      network_uuid: network.uuid,
      network_name: 'br1',
      created_at: expect.stringMatching(ISO),
    });
    const subnetPath = `${networkPath}/subnet/${subnet.uuid}`;
    expect(expectResult(await as(user.token).get(subnetPath))).toEqual({ subnet });

    // updateSubnet, the reference's body verbatim: everything resent, only the description differs.
    expect(expectResult(await as(admin).patch(subnetPath, { ...subnetBody, description: 'changed' }))).toEqual({
      subnet: 'ok',
    });
    // An IPv6 subnet beside it, written canonically.
    const v6 = await newSubnet(
      { path: networkPath },
      { cidr: '2001:DB8:0:0::/64', gateway: '2001:db8::1', reserved_ips: '2001:db8::2-2001:db8::ff' },
    );
    expect(v6).toMatchObject({
      cidr: '2001:db8::/64',
      gateway: '2001:db8::1',
      reserved_ips: '2001:db8::2-2001:db8::ff',
      type: 1,
    });
    const { path: _v6Path, ...v6View } = v6;
    expect(expectResult(await as(reader.token).get(`${networkPath}/subnet?sort=created_at&order=asc`))).toEqual({
      elements: [{ ...subnet, description: 'changed' }, v6View],
      size: 2,
      total: 2,
    });

    // Neither the network nor the cluster can go while they hold something.
    expect(expectError(await as(admin).delete(networkPath), 400, 'FAILED_PRECONDITION')).toBe(
      'the network still holds subnets; delete them first',
    );
    expect(expectError(await as(admin).delete(`/v1/az/${place.az}/cluster/${place.cluster}`), 400, 'FAILED_PRECONDITION')).toBe(
      'the cluster still holds networks; delete them first',
    );
    expect(expectResult(await as(admin).delete(subnetPath))).toBe(1);
    expect(expectResult(await as(admin).delete(v6.path))).toBe(1);
    expectError(await as(admin).get(subnetPath), 404, 'NOT_FOUND');
    expect(expectResult(await as(admin).delete(networkPath))).toBe(1);
    expectError(await as(admin).get(networkPath), 404, 'NOT_FOUND');
    expect(expectResult(await as(admin).delete(`/v1/az/${place.az}/cluster/${place.cluster}`))).toBe(1);

    // Every change is in the event log, with the request that caused it.
    expect((await events('network', network.uuid)).map((e) => [e.type, e.version])).toEqual([
      ['NetworkCreated', 1],
      ['NetworkUpdated', 2],
      ['NetworkDeleted', 3],
    ]);
    const subnetEvents = await events('subnet', subnet.uuid);
    expect(subnetEvents.map((e) => e.type)).toEqual(['SubnetCreated', 'SubnetUpdated', 'SubnetDeleted']);
    expect(subnetEvents[1].data).toEqual({ uuid: subnet.uuid, changes: { description: 'changed' } });
    expect(subnetEvents[0].metadata.path).toBe(`${networkPath}/subnet`);

    // … and in the operation log, one entry per request.
    await server.caughtUp();
    const entries = expectResult<List<{ method: string; input: string; outcome: string }>>(
      await as(admin).get(`/v1/operation_log?path=${encodeURIComponent(`${networkPath}/subnet`)}`),
    ).elements;
    expect(entries.map((e) => [e.method, e.outcome])).toEqual([
      ['POST', 'success'],
      ['POST', 'success'],
    ]);
    expect(entries.map((e) => JSON.parse(e.input))).toContainEqual(subnetBody);
    const networkEntries = expectResult<List<{ method: string; outcome: string }>>(
      await as(admin).get(`/v1/operation_log?path=${encodeURIComponent(networkPath)}`),
    ).elements;
    // The refused delete changed nothing; it is in the audit trail as a failed attempt.
    expect(networkEntries.map((e) => `${e.method} ${e.outcome}`).sort()).toEqual([
      'DELETE failed',
      'DELETE success',
      'PATCH success',
    ]);
  });

  it('VLAN and VXLAN networks carry their id in vlan_id, shown as a string', async () => {
    const place = await newPlace();
    const vlan = await newNetwork(place, { type: 1, vlan_id: 100 });
    expect(vlan).toMatchObject({ type: 1, vlan_id: '100' });
    expect(await newNetwork(place, { type: 1, vlan_id: 4094 })).toMatchObject({ vlan_id: '4094' });
    expect(await newNetwork(place, { type: 2, vlan_id: 16_777_215 })).toMatchObject({ type: 2, vlan_id: '16777215' });
    // null means "not given" (README): a classical network with vlan_id null has none.
    expect(await newNetwork(place, { type: 0, vlan_id: null })).toMatchObject({ type: 0, vlan_id: '' });
    const types = async (qs: string) =>
      expectResult<List<{ type: number; vlan_id: string }>>(await as(user.token).get(`${place.networks}?${qs}`)).elements.map(
        (n) => `${n.type}:${n.vlan_id}`,
      );
    expect(await types('type=1&sort=created_at&order=asc')).toEqual(['1:100', '1:4094']);
    expect(await types('type=2')).toEqual(['2:16777215']);
  });

  describe('who may do what', () => {
    it('everyone reads; users and read-only administrators may not write', async () => {
      const place = await newPlace();
      const network = await newNetwork(place);
      const subnet = await newSubnet(network, { cidr: '10.0.0.0/24' });
      for (const token of [user.token, reader.token, admin]) {
        expectResult(await as(token).get(place.networks));
        expectResult(await as(token).get(network.path));
        expectResult(await as(token).get(`${network.path}/subnet`));
        expectResult(await as(token).get(subnet.path));
      }
      for (const token of [user.token, reader.token]) {
        const body = { name: 'x', bridge_name: 'brx', interface_name: 'ens1' };
        expectError(await as(token).post(place.networks, body), 403, 'PERMISSION_DENIED');
        expectError(await as(token).patch(network.path, { description: 'x' }), 403, 'PERMISSION_DENIED');
        expectError(await as(token).delete(network.path), 403, 'PERMISSION_DENIED');
        expectError(await as(token).post(`${network.path}/subnet`, { name: 's', cidr: '10.1.0.0/24' }), 403, 'PERMISSION_DENIED');
        expectError(await as(token).patch(subnet.path, { description: 'x' }), 403, 'PERMISSION_DENIED');
        expectError(await as(token).delete(subnet.path), 403, 'PERMISSION_DENIED');
      }
      expect(expectResult<List<unknown>>(await as(admin).get(place.networks)).total).toBe(1);
      expect(expectResult<{ subnet: { description: string } }>(await as(admin).get(subnet.path)).subnet.description).toBe('');
      await server.caughtUp();
      const denied = expectResult<List<{ outcome: string; user_uuid: string }>>(
        await as(admin).get(`/v1/operation_log?path=${encodeURIComponent(subnet.path)}&method=DELETE`),
      ).elements;
      expect(denied.map((e) => [e.outcome, e.user_uuid]).sort()).toEqual(
        [
          ['denied', user.uuid],
          ['denied', reader.uuid],
        ].sort(),
      );
    });

    it('an administrator (2) writes networks and subnets', async () => {
      const other = await createUser(server, admin, Role.Admin);
      const place = await newPlace();
      const { network } = expectResult<{ network: Network }>(
        await as(other.token).post(place.networks, { name: 'n', bridge_name: 'brn', interface_name: 'ens1' }),
      );
      const path = `${place.networks}/${network.uuid}`;
      const { subnet } = expectResult<{ subnet: Subnet }>(
        await as(other.token).post(`${path}/subnet`, { name: 's', cidr: '10.0.0.0/8' }),
      );
      expectResult(await as(other.token).patch(`${path}/subnet/${subnet.uuid}`, { gateway: '10.0.0.1' }));
      expectResult(await as(other.token).patch(path, { name: 'n2' }));
      expectResult(await as(other.token).delete(`${path}/subnet/${subnet.uuid}`));
      expectResult(await as(other.token).delete(path));
    });
  });

  describe('network rules', () => {
    let place: Place;
    beforeAll(async () => {
      place = await newPlace();
    });

    const valid = { name: 'ok', bridge_name: 'brok', interface_name: 'ens224' };
    it.each([
      ['a missing name', { bridge_name: 'b', interface_name: 'i' }, /name/],
      ['a missing bridge_name', { name: 'n', interface_name: 'i' }, /bridge_name/],
      ['a missing interface_name', { name: 'n', bridge_name: 'b' }, /interface_name/],
      ['a blank name', { ...valid, name: '  ' }, /name/],
      ['a bridge_name of 16 characters', { ...valid, bridge_name: 'b'.repeat(16) }, /bridge_name/],
      ['a bridge_name with a slash', { ...valid, bridge_name: 'br/1' }, /bridge_name/],
      ['an interface_name with a blank', { ...valid, interface_name: 'ens 224' }, /interface_name/],
      ['an interface_name starting with a dash', { ...valid, interface_name: '-ens' }, /interface_name/],
      ['a type outside 0–2', { ...valid, type: 3 }, /type/],
      ['a type as a string', { ...valid, type: '1' }, /type/],
      ['a vlan network without vlan_id', { ...valid, type: 1 }, /^vlan_id is required for a vlan network/],
      ['a vxlan network without vlan_id', { ...valid, type: 2 }, /^vlan_id is required for a vxlan network/],
      ['vlan_id 0', { ...valid, type: 1, vlan_id: 0 }, /^vlan_id must be at least 1$/],
      ['vlan_id 4095 on a vlan network', { ...valid, type: 1, vlan_id: 4095 }, /^vlan_id of a vlan network must be 1 to 4094$/],
      ['a VNI of 2^24', { ...valid, type: 2, vlan_id: 16_777_216 }, /^vlan_id must be at most 16777215$/],
      ['a vlan_id on a classical network', { ...valid, vlan_id: 100 }, /^vlan_id must be left out for a classical network/],
      ['a fractional vlan_id', { ...valid, type: 1, vlan_id: 1.5 }, /vlan_id must be an integer/],
      ['a vlan_id as a string', { ...valid, type: 1, vlan_id: '100' }, /vlan_id must be an integer/],
      ['an unknown field', { ...valid, state: 0 }, /unknown field state/],
    ])('createNetwork refuses %s', async (_, body, message) => {
      expect(expectError(await as(admin).post(place.networks, body), 400, 'INVALID_ARGUMENT')).toMatch(message);
    });

    it('updateNetwork changes name and description only', async () => {
      const network = await newNetwork(place);
      for (const body of [{ bridge_name: 'brz' }, { type: 1 }, { vlan_id: 5 }, { interface_name: 'eth0' }, { name: '' }]) {
        expectError(await as(admin).patch(network.path, body), 400, 'INVALID_ARGUMENT');
      }
      expect(expectResult(await as(admin).patch(network.path, { name: null, description: 'd' }))).toEqual({ network: 'ok' });
      expect(expectResult<{ network: Network }>(await as(admin).get(network.path)).network).toMatchObject({
        name: network.name,
        description: 'd',
      });
    });

    it('names (regardless of case), bridges and segments are unique within a cluster, and only there', async () => {
      const here = await newPlace();
      const first = await newNetwork(here, { name: 'Prod', bridge_name: 'br0', type: 1, vlan_id: 10, interface_name: 'eth0' });
      const taken = (body: object) =>
        as(admin).post(here.networks, { name: unique('n'), bridge_name: unique('b'), interface_name: 'eth9', ...body });
      expect(expectError(await taken({ name: 'PROD' }), 400, 'ALREADY_EXISTS')).toBe(
        'a network with this name already exists in the cluster',
      );
      expect(expectError(await taken({ bridge_name: 'br0' }), 400, 'ALREADY_EXISTS')).toBe(
        'a network with this bridge_name already exists in the cluster',
      );
      expectError(await taken({ type: 1, vlan_id: 10, interface_name: 'eth0' }), 400, 'ALREADY_EXISTS');
      expectResult(await taken({ type: 1, vlan_id: 10, interface_name: 'eth1' }));
      expectResult(await taken({ type: 2, vlan_id: 10 }));
      expectError(await taken({ type: 2, vlan_id: 10, interface_name: 'eth5' }), 400, 'ALREADY_EXISTS');
      const second = await newNetwork(here);
      expectError(await as(admin).patch(second.path, { name: 'prod' }), 400, 'ALREADY_EXISTS');
      // Another cluster may use all of them again.
      const there = await newPlace();
      expectResult(
        await as(admin).post(there.networks, { name: 'prod', bridge_name: 'br0', type: 1, vlan_id: 10, interface_name: 'eth0' }),
      );
      expect(first.name).toBe('Prod');
    });

    it('a disabled cluster takes no new network and no new subnet', async () => {
      const here = await newPlace();
      const network = await newNetwork(here);
      expectResult(await as(admin).put(`/v1/az/${here.az}/cluster/${here.cluster}/disable`));
      expectError(
        await as(admin).post(here.networks, { name: 'n', bridge_name: 'brn', interface_name: 'e' }),
        400,
        'FAILED_PRECONDITION',
      );
      expectError(await as(admin).post(`${network.path}/subnet`, { name: 's', cidr: '10.0.0.0/24' }), 400, 'FAILED_PRECONDITION');
      expectResult(await as(admin).patch(network.path, { description: 'still editable' }));
      expectResult(await as(admin).put(`/v1/az/${here.az}/cluster/${here.cluster}/enable`));
      expectResult(await as(admin).post(`${network.path}/subnet`, { name: 's', cidr: '10.0.0.0/24' }));
    });

    it('anything addressed under the wrong parent is 404; a malformed UUID is 400', async () => {
      const [a, b] = [await newPlace(), await newPlace()];
      const network = await newNetwork(a);
      const subnet = await newSubnet(network, { cidr: '10.0.0.0/24' });
      const otherNetwork = await newNetwork(a);
      const wrongCluster = `${b.networks}/${network.uuid}`;
      const otherAz = expectResult<{ az: { uuid: string } }>(await as(admin).post('/v1/az', { name: unique('az') })).az.uuid;
      const wrongAz = `/v1/az/${otherAz}/cluster/${a.cluster}/network`;
      expectError(await as(admin).get(wrongCluster), 404, 'NOT_FOUND');
      expectError(await as(admin).patch(wrongCluster, { description: 'x' }), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(wrongCluster), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`${wrongCluster}/subnet`), 404, 'NOT_FOUND');
      expectError(await as(admin).post(`${wrongCluster}/subnet`, { name: 's', cidr: '10.1.0.0/24' }), 404, 'NOT_FOUND');
      expectError(await as(admin).get(wrongAz), 404, 'NOT_FOUND');
      expectError(await as(admin).post(wrongAz, { name: 'n', bridge_name: 'b', interface_name: 'i' }), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`${wrongAz}/${network.uuid}`), 404, 'NOT_FOUND');
      const wrongNetwork = `${otherNetwork.path}/subnet/${subnet.uuid}`;
      expectError(await as(admin).get(wrongNetwork), 404, 'NOT_FOUND');
      expectError(await as(admin).patch(wrongNetwork, { description: 'x' }), 404, 'NOT_FOUND');
      expectError(await as(admin).delete(wrongNetwork), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`${a.networks}/${MISSING}`), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`${network.path}/subnet/${MISSING}`), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`/v1/az/${a.az}/cluster/${MISSING}/network`), 404, 'NOT_FOUND');
      expectError(await as(admin).get(`${a.networks}/not-a-uuid`), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get(`${network.path}/subnet/123`), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).get(`/v1/az/${a.az}/cluster/x/network`), 400, 'INVALID_ARGUMENT');
    });

    it('lists filter, sort and page networks; bad queries are 400', async () => {
      const here = await newPlace();
      await newNetwork(here, { name: 'alpha', bridge_name: 'bra', interface_name: 'eth0' });
      await newNetwork(here, { name: 'Beta', bridge_name: 'brb', interface_name: 'eth1', type: 1, vlan_id: 7 });
      await newNetwork(here, { name: 'alphabet', bridge_name: 'brc', interface_name: 'eth0', type: 2, vlan_id: 7 });
      const names = async (qs: string) =>
        expectResult<List<{ name: string }>>(await as(user.token).get(`${here.networks}?${qs}`)).elements.map((n) => n.name);
      expect(await names('sort=name&order=asc')).toEqual(['alpha', 'alphabet', 'Beta']);
      expect(await names('name=ALPHA&sort=name&order=desc')).toEqual(['alphabet', 'alpha']);
      expect(await names('interface_name=eth0&sort=name&order=asc')).toEqual(['alpha', 'alphabet']);
      expect(await names('bridge_name=brb')).toEqual(['Beta']);
      expect(await names('type=0')).toEqual(['alpha']);
      expect(await names('state=1&sort=created_at&order=asc&page=2&size=2')).toEqual(['alphabet']);
      for (const qs of ['type=3', 'sort=vlan_id', 'state=2', 'colour=red', 'size=0']) {
        expectError(await as(user.token).get(`${here.networks}?${qs}`), 400, 'INVALID_ARGUMENT');
      }
    });

    it('a cluster holds at most 32 networks', async () => {
      const here = await newPlace();
      for (let i = 0; i < 32; i++) await newNetwork(here);
      expect(
        expectError(
          await as(admin).post(here.networks, { name: 'n33', bridge_name: 'br33x', interface_name: 'e' }),
          400,
          'LIMIT_EXCEEDED',
        ),
      ).toBe('at most 32 networks in one cluster');
    });
  });

  describe('subnet rules', () => {
    let v4: { path: string };
    let v6: { path: string };
    beforeAll(async () => {
      const place = await newPlace();
      v4 = await newNetwork(place);
      v6 = await newNetwork(place);
    });

    it.each([
      ['a missing cidr', { name: 's' }, /cidr must be a string/],
      ['a cidr that is a number', { name: 's', cidr: 24 }, /cidr must be a string/],
      ['a cidr without a prefix', { name: 's', cidr: '10.0.0.0' }, /^cidr "10.0.0.0" is not a CIDR/],
      ['a prefix of 33', { name: 's', cidr: '10.0.0.0/33' }, /^cidr "10.0.0.0\/33" is not a CIDR/],
      ['a short IPv4 form', { name: 's', cidr: '10.1/16' }, /^cidr "10.1\/16" is not a CIDR/],
      ['an octal-looking octet', { name: 's', cidr: '010.0.0.0/8' }, /^cidr "010.0.0.0\/8" is not a CIDR/],
      ['words', { name: 's', cidr: 'my network' }, /^cidr "my network" is not a CIDR/],
      [
        'a gateway outside the cidr',
        { name: 's', cidr: '10.0.0.0/24', gateway: '10.0.1.1' },
        /^gateway 10.0.1.1 is outside the cidr 10.0.0.0\/24$/,
      ],
      [
        'the network address as gateway',
        { name: 's', cidr: '10.0.0.0/24', gateway: '10.0.0.0' },
        /^gateway 10.0.0.0 is the network address of 10.0.0.0\/24$/,
      ],
      [
        'the broadcast address as gateway',
        { name: 's', cidr: '10.0.0.0/24', gateway: '10.0.0.255' },
        /^gateway 10.0.0.255 is the broadcast address/,
      ],
      [
        'an IPv6 gateway in an IPv4 subnet',
        { name: 's', cidr: '10.0.0.0/24', gateway: '2001:db8::1' },
        /^gateway 2001:db8::1 is an IPv6 address, the cidr is IPv4$/,
      ],
      [
        'a gateway that is no address',
        { name: 's', cidr: '10.0.0.0/24', gateway: 'router' },
        /^gateway "router" is not an IP address$/,
      ],
      ['a gateway that is not a string', { name: 's', cidr: '10.0.0.0/24', gateway: 1 }, /gateway must be a string/],
      [
        'a reserved address outside',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.5,10.0.9.9' },
        /^reserved_ips entry 10.0.9.9 is outside the cidr 10.0.0.0\/24$/,
      ],
      [
        'a reserved range leaving the cidr',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.200-10.0.1.10' },
        /^reserved_ips entry 10.0.1.10 is outside/,
      ],
      [
        'a range that runs backwards',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.100-10.0.0.1' },
        /^reserved_ips range 10.0.0.100-10.0.0.1 runs backwards$/,
      ],
      [
        'mixed IP versions in a range',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.1-::1' },
        /^reserved_ips entry ::1 is an IPv6 address, the cidr is IPv4$/,
      ],
      [
        'an empty entry',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.1,,10.0.0.2' },
        /^reserved_ips has an empty entry/,
      ],
      ['a trailing comma', { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.1,' }, /^reserved_ips has an empty entry/],
      [
        'a range of three',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.1-10.0.0.2-10.0.0.3' },
        /is not an address or a range a-b$/,
      ],
      [
        'an open range',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '10.0.0.1-' },
        /^reserved_ips entry "" is not an IP address$/,
      ],
      [
        'reserved_ips of 4097 characters',
        { name: 's', cidr: '10.0.0.0/24', reserved_ips: '1'.repeat(4097) },
        /reserved_ips must be shorter than or equal to 4096/,
      ],
      ['an unknown field', { name: 's', cidr: '10.0.0.0/24', vlan_id: 1 }, /unknown field vlan_id/],
    ])('IPv4: createSubnet refuses %s', async (_, body, message) => {
      expect(expectError(await as(admin).post(`${v4.path}/subnet`, body), 400, 'INVALID_ARGUMENT')).toMatch(message);
    });

    it.each([
      ['a prefix of 129', { cidr: '2001:db8::/129' }, /^cidr "2001:db8::\/129" is not a CIDR/],
      ['a zone id', { cidr: 'fe80::%eth0/64' }, /^cidr "fe80::%eth0\/64" is not a CIDR/],
      [
        'a gateway outside',
        { cidr: '2001:db8::/64', gateway: '2001:db8:1::1' },
        /^gateway 2001:db8:1::1 is outside the cidr 2001:db8::\/64$/,
      ],
      [
        'an IPv4 gateway',
        { cidr: '2001:db8::/64', gateway: '10.0.0.1' },
        /^gateway 10.0.0.1 is an IPv4 address, the cidr is IPv6$/,
      ],
      [
        'a range that runs backwards',
        { cidr: '2001:db8::/64', reserved_ips: '2001:db8::ff-2001:db8::a' },
        /^reserved_ips range 2001:db8::ff-2001:db8::a runs backwards$/,
      ],
      [
        'an IPv4 reserved address',
        { cidr: '2001:db8::/64', reserved_ips: '2001:db8::5,10.0.0.1' },
        /^reserved_ips entry 10.0.0.1 is an IPv4 address, the cidr is IPv6$/,
      ],
      [
        'a reserved address outside',
        { cidr: '2001:db8::/64', reserved_ips: '2001:db9::1' },
        /^reserved_ips entry 2001:db9::1 is outside/,
      ],
    ])('IPv6: createSubnet refuses %s', async (_, body, message) => {
      expect(expectError(await as(admin).post(`${v6.path}/subnet`, { name: 's', ...body }), 400, 'INVALID_ARGUMENT')).toMatch(
        message,
      );
    });

    it('accepts the edge cases, written canonically', async () => {
      const network = await newNetwork(await newPlace());
      const cases: [object, Partial<Subnet>][] = [
        [
          { cidr: '10.1.0.0/24', reserved_ips: '' },
          { cidr: '10.1.0.0/24', gateway: '', reserved_ips: '' },
        ],
        [
          { cidr: '10.2.0.9/24', gateway: '', reserved_ips: ' 10.2.0.5 - 10.2.0.5 , 10.2.0.255 ' },
          { cidr: '10.2.0.0/24', reserved_ips: '10.2.0.5-10.2.0.5,10.2.0.255' },
        ],
        [
          { cidr: '10.3.0.0/31', gateway: '10.3.0.0' },
          { cidr: '10.3.0.0/31', gateway: '10.3.0.0' },
        ],
        [
          { cidr: '10.4.0.7/32', gateway: '10.4.0.7' },
          { cidr: '10.4.0.7/32', gateway: '10.4.0.7' },
        ],
        [
          { cidr: '2001:0DB8:0000::1/48', gateway: '2001:db8::', reserved_ips: '2001:db8:0:0:0:0:0:a' },
          { cidr: '2001:db8::/48', gateway: '2001:db8::', reserved_ips: '2001:db8::a', type: 1 },
        ],
        [{ cidr: '::ffff:10.9.0.0/120' }, { cidr: '::ffff:a09:0/120', type: 1 }],
      ];
      for (const [body, expected] of cases) expect(await newSubnet(network, body)).toMatchObject(expected);
    });

    it('subnets of one network do not overlap, in either IP version; other networks may reuse a range', async () => {
      const place = await newPlace();
      const network = await newNetwork(place);
      const first = await newSubnet(network, { cidr: '10.0.0.0/24' });
      await newSubnet(network, { cidr: '2001:db8::/64' });
      const refused = async (cidr: string) =>
        expectError(await as(admin).post(`${network.path}/subnet`, { name: unique('s'), cidr }), 400, 'ALREADY_EXISTS');
      expect(await refused('10.0.0.128/25')).toMatch(
        /^cidr 10.0.0.128\/25 overlaps subnet "subnet-\d+-[a-z0-9]+" \(10.0.0.0\/24\) of the network$/,
      );
      await refused('10.0.0.0/16');
      await refused('10.0.0.77/24');
      await refused('2001:db8::/48');
      await refused('2001:db8::8000/120');
      await newSubnet(network, { cidr: '10.0.1.0/24' });
      await newSubnet(network, { cidr: '2001:db8:0:1::/64' });
      await newSubnet(await newNetwork(place), { cidr: '10.0.0.0/24' });
      // Names are unique within a network regardless of case.
      expect(
        expectError(
          await as(admin).post(`${network.path}/subnet`, { name: first.name.toUpperCase(), cidr: '10.9.0.0/24' }),
          400,
          'ALREADY_EXISTS',
        ),
      ).toBe('a subnet with this name already exists in the network');
    });

    it('an update keeps every rule: the new cidr must hold the gateway and reserved addresses, and overlap nothing', async () => {
      const network = await newNetwork(await newPlace());
      const subnet = await newSubnet(network, { cidr: '10.0.1.0/24', gateway: '10.0.1.1', reserved_ips: '10.0.1.2-10.0.1.9' });
      await newSubnet(network, { cidr: '10.0.2.0/24' });
      expect(expectError(await as(admin).patch(subnet.path, { cidr: '10.0.3.0/24' }), 400, 'INVALID_ARGUMENT')).toBe(
        'gateway 10.0.1.1 is outside the cidr 10.0.3.0/24',
      );
      expect(expectError(await as(admin).patch(subnet.path, { cidr: '10.0.3.0/24', gateway: '' }), 400, 'INVALID_ARGUMENT')).toBe(
        'reserved_ips entry 10.0.1.2 is outside the cidr 10.0.3.0/24',
      );
      expect(
        expectError(await as(admin).patch(subnet.path, { cidr: '10.0.0.0/22', gateway: '10.0.0.1' }), 400, 'ALREADY_EXISTS'),
      ).toMatch(/overlaps subnet/);
      expectError(await as(admin).patch(subnet.path, { gateway: '10.0.1.255' }), 400, 'INVALID_ARGUMENT');
      expectError(await as(admin).patch(subnet.path, { cidr: '2001:db8::/64' }), 400, 'INVALID_ARGUMENT');
      // Its own range is no overlap; a resent cidr in another spelling is no change.
      expectResult(await as(admin).patch(subnet.path, { cidr: '10.0.1.77/24', name: subnet.name }));
      expectResult(
        await as(admin).patch(subnet.path, { cidr: '10.0.3.5/24', gateway: '10.0.3.1', reserved_ips: '10.0.3.250-10.0.3.254' }),
      );
      expect(expectResult<{ subnet: Subnet }>(await as(admin).get(subnet.path)).subnet).toMatchObject({
        cidr: '10.0.3.0/24',
        gateway: '10.0.3.1',
        reserved_ips: '10.0.3.250-10.0.3.254',
        type: 0,
      });
      // Moving to IPv6 changes the type with it.
      expectResult(await as(admin).patch(subnet.path, { cidr: '2001:db8::/64', gateway: '', reserved_ips: '' }));
      expect(expectResult<{ subnet: Subnet }>(await as(admin).get(subnet.path)).subnet).toMatchObject({
        cidr: '2001:db8::/64',
        type: 1,
      });
      const changes = (await events('subnet', subnet.uuid)).map((e) => (e.data as { changes?: object }).changes);
      expect(changes).toEqual([
        undefined,
        {},
        { cidr: '10.0.3.0/24', gateway: '10.0.3.1', reserved_ips: '10.0.3.250-10.0.3.254' },
        { cidr: '2001:db8::/64', gateway: '', reserved_ips: '', type: 1 },
      ]);
    });

    it('lists filter subnets by IP version (type) and name; bad queries are 400', async () => {
      const network = await newNetwork(await newPlace());
      await newSubnet(network, { name: 'v4-a', cidr: '10.0.0.0/24' });
      await newSubnet(network, { name: 'v6-a', cidr: '2001:db8::/64' });
      await newSubnet(network, { name: 'v4-b', cidr: '10.0.1.0/24' });
      const names = async (qs: string) =>
        expectResult<List<{ name: string }>>(await as(user.token).get(`${network.path}/subnet?${qs}`)).elements.map(
          (s) => s.name,
        );
      expect(await names('type=0&sort=name&order=asc')).toEqual(['v4-a', 'v4-b']);
      expect(await names('type=1')).toEqual(['v6-a']);
      expect(await names('name=A&sort=type&order=desc')).toEqual(['v6-a', 'v4-a']);
      for (const qs of ['type=2', 'sort=cidr', 'network_uuid=x']) {
        expectError(await as(user.token).get(`${network.path}/subnet?${qs}`), 400, 'INVALID_ARGUMENT');
      }
    });

    it('a network holds at most 32 subnets', async () => {
      const network = await newNetwork(await newPlace());
      for (let i = 0; i < 32; i++) await newSubnet(network, { cidr: `10.${i}.0.0/16` });
      expect(
        expectError(
          await as(admin).post(`${network.path}/subnet`, { name: 'one-more', cidr: '10.200.0.0/16' }),
          400,
          'LIMIT_EXCEEDED',
        ),
      ).toBe('at most 32 subnets in one network');
    });
  });

  describe('under concurrency', () => {
    it('20 concurrent overlapping createSubnet: exactly one wins, the others are ALREADY_EXISTS', async () => {
      const network = await newNetwork(await newPlace());
      // Every one of them holds 10.50.0.0, so any two overlap.
      const cidrs = Array.from({ length: 20 }, (_, i) => `10.50.0.0/${12 + (i % 12)}`);
      const results = await Promise.all(
        cidrs.map((cidr, i) => as(admin).post(`${network.path}/subnet`, { name: `race-${i}`, cidr })),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(1);
      for (const r of results.filter((r) => r.status !== 200)) expectError(r, 400, 'ALREADY_EXISTS');
      expect(expectResult<List<unknown>>(await as(admin).get(`${network.path}/subnet`)).total).toBe(1);
    });

    it('40 concurrent non-overlapping createSubnet into one network leave exactly 32', async () => {
      const network = await newNetwork(await newPlace());
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          as(admin).post(`${network.path}/subnet`, { name: `s${i}`, cidr: `172.16.${i}.0/24` }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(32);
      for (const r of results.filter((r) => r.status !== 200)) expectError(r, 400, 'LIMIT_EXCEEDED');
      expect(expectResult<List<unknown>>(await as(admin).get(`${network.path}/subnet?size=100`)).total).toBe(32);
    });

    it('40 concurrent createNetwork into one cluster leave exactly 32', async () => {
      const place = await newPlace();
      const results = await Promise.all(
        Array.from({ length: 40 }, (_, i) =>
          as(admin).post(place.networks, { name: `n${i}`, bridge_name: `br${i}`, interface_name: 'e' }),
        ),
      );
      expect(results.filter((r) => r.status === 200)).toHaveLength(32);
      for (const r of results.filter((r) => r.status !== 200)) expectError(r, 400, 'LIMIT_EXCEEDED');
    });

    it('createNetwork racing deleteCluster never leaves a network in a deleted cluster', async () => {
      for (let round = 0; round < 10; round++) {
        const place = await newPlace();
        const [created, deleted] = await Promise.all([
          as(admin).post(place.networks, { name: 'n', bridge_name: 'br0', interface_name: 'e' }),
          as(admin).delete(`/v1/az/${place.az}/cluster/${place.cluster}`),
        ]);
        const orphans: unknown[] = await server.dataSource.query(
          'SELECT n.uuid FROM networks n LEFT JOIN clusters c ON c.uuid = n.cluster_uuid WHERE c.uuid IS NULL',
        );
        expect(orphans).toEqual([]);
        if (created.status === 200) {
          expectError(deleted, 400, 'FAILED_PRECONDITION');
        } else {
          expectError(created, 404, 'NOT_FOUND');
          expect(expectResult(deleted)).toBe(1);
        }
      }
    });

    it('createSubnet racing deleteNetwork never leaves a subnet in a deleted network', async () => {
      for (let round = 0; round < 10; round++) {
        const network = await newNetwork(await newPlace());
        const [created, deleted] = await Promise.all([
          as(admin).post(`${network.path}/subnet`, { name: 's', cidr: '10.0.0.0/24' }),
          as(admin).delete(network.path),
        ]);
        const orphans: unknown[] = await server.dataSource.query(
          'SELECT s.uuid FROM subnets s LEFT JOIN networks n ON n.uuid = s.network_uuid WHERE n.uuid IS NULL',
        );
        expect(orphans).toEqual([]);
        if (created.status === 200) {
          expectError(deleted, 400, 'FAILED_PRECONDITION');
        } else {
          expectError(created, 404, 'NOT_FOUND');
          expect(expectResult(deleted)).toBe(1);
        }
      }
    });
  });
});
