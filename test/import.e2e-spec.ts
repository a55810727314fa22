import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { ImportRefused, runImport, type ImportOptions, type ImportOutcome } from '../src/import/run-import';
import { UserEntity } from '../src/modules/identity/user.entity';
import { verifyReplay } from '../src/replay/verify-replay';
import {
  AZ,
  CLUSTER,
  GIB,
  IMAGE,
  NETWORK,
  NIC,
  NODE,
  PASSWORDS,
  POOL,
  SNAPSHOT,
  SPEC,
  SUBNET,
  T,
  USER,
  VOLUME,
  VM,
  VOLUME_SPEC,
  seedChimeStack,
} from './support/chimestack-fixture';
import { bcryptHash, createChimeStackSource, type ChimeStackSource } from './support/chimestack-source';
import { expectError, expectResult } from './support/envelope';
import { createTestDatabase } from './support/test-database';
import { startTestServer, type TestServer } from './support/test-server';
import { ADMIN, as, bearer, login } from './support/users';

const ISO = (mysql: string) => `${mysql.replace(' ', 'T')}.000Z`;
const JOIN_TOKEN = 'join-token-for-the-import-tests-0123';

/** A node's agent enrolling (again) with the uuid it keeps, as POST /v1/agent/enrol takes it. */
function enrol(server: TestServer, uuid: string, facts: { name: string; manage_ip: string } & Record<string, unknown>) {
  return server.http
    .post('/v1/agent/enrol')
    .send({ join_token: JOIN_TOKEN, uuid, physical_vcpus: 4, physical_memory: 4 * GIB, ...facts });
}

/** Every table a module owns, as rows: "nothing changed" compares these before and after. */
async function snapshot(server: TestServer): Promise<unknown> {
  const tables = [
    'users',
    'availability_zones',
    'clusters',
    'instance_specs',
    'cluster_instance_specs',
    'networks',
    'subnets',
    'clients',
    'hosts',
    'storage_pools',
    'volume_specs',
    'cluster_volume_specs',
    'volumes',
    'snapshots',
    'nics',
    'vms',
    'vm_volumes',
  ];
  const rows: Record<string, unknown> = {};
  for (const table of tables) rows[table] = await server.dataSource.query(`SELECT * FROM ${table} ORDER BY 1`);
  const [{ count }] = await server.dataSource.query('SELECT count(*)::int AS count FROM event_log');
  return { rows, events: count };
}

describe('import from ChimeStack (npm run import)', () => {
  let server: TestServer;
  let source: ChimeStackSource;
  const importInto = (options: Partial<ImportOptions> = {}) => runImport(server.dataSource, { from: source.url, ...options });

  beforeEach(async () => {
    [server, source] = await Promise.all([
      startTestServer({ env: { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN } }),
      createChimeStackSource(),
    ]);
  });
  afterEach(async () => {
    await Promise.all([server.close(), source.drop()]);
  });

  describe('a full installation', () => {
    let outcome: ImportOutcome;
    let admin: string;

    beforeEach(async () => {
      await seedChimeStack(source);
      outcome = await importInto();
      await server.caughtUp();
      admin = await login(server, 'admin', PASSWORDS.admin.password);
    });

    it('reports counts per table, the skipped rows with why, and the renamed ones', () => {
      expect(outcome.written).toBe(true);
      expect(Object.fromEntries(outcome.report.imported)).toEqual({
        t_az: 2,
        t_cluster: 4,
        t_user: 4,
        t_user_default: 2,
        t_instance_spec: 2,
        r_cluster_instance_spec: 3,
        t_network: 2,
        t_subnet: 2,
        t_nic: 2,
        t_client: 5,
        t_host: 3,
        t_host_inventory: 3,
        t_image_bucket: 2,
        t_image: 3,
        t_storage_pool: 2,
        t_storage_pool_inventory: 2,
        t_volume_spec: 3,
        r_cluster_volume_spec: 2,
        t_volume: 4,
        t_snapshot: 2,
        t_vm: 3,
        r_vm_volume: 2,
        r_vm_nic: 1,
      });
      expect(outcome.report.skipped).toEqual(
        expect.arrayContaining([
          { table: 't_az', uuid: AZ.old, reason: 'deleted in ChimeStack (state 4)' },
          { table: 't_cluster', uuid: CLUSTER.ghost, reason: `its az ${AZ.old} is skipped` },
          { table: 't_cluster', uuid: CLUSTER.gone, reason: 'deleted in ChimeStack (state 4)' },
          { table: 't_user', uuid: USER.gone, reason: 'deleted in ChimeStack (state 4); this server has no disabled users' },
          {
            table: 't_user',
            uuid: USER.locked,
            reason: 'not available in ChimeStack (state 0); this server has no disabled users',
          },
          { table: 't_user_default', uuid: USER.gone, reason: 'its user is not imported' },
          { table: 't_instance_spec', uuid: SPEC.old, reason: 'deleted in ChimeStack (state 4)' },
          { table: 't_nic', uuid: NIC.deleted, reason: 'deleted in ChimeStack (state 4)' },
          { table: 't_nic', uuid: NIC.orphan, reason: `its user ${USER.gone} is not imported` },
          {
            table: 'r_cluster_instance_spec',
            uuid: `${CLUSTER.ghost}/${SPEC.large}`,
            reason: `its cluster ${CLUSTER.ghost} is skipped`,
          },
          {
            table: 'r_cluster_instance_spec',
            uuid: `${CLUSTER.main}/${SPEC.old}`,
            reason: `its instance_spec ${SPEC.old} is skipped`,
          },
          {
            table: 't_network',
            uuid: NETWORK.azWide,
            reason: 'in no cluster (cluster_uuid NULL); networks here belong to a cluster',
          },
          {
            table: 't_host',
            uuid: NODE.retired,
            reason: 'deleted in ChimeStack (state 4); its node comes in as a client not adopted',
          },
          { table: 't_host_inventory', uuid: NODE.retired, reason: 'its host is skipped' },
          { table: 't_host', uuid: NODE.ghost, reason: `its cluster ${CLUSTER.ghost} is skipped` },
          { table: 't_image_bucket', uuid: USER.gone, reason: `its user ${USER.gone} is not imported` },
          { table: 't_image', uuid: IMAGE.deleted1, reason: 'deleted in ChimeStack (state 5)' },
          { table: 't_image', uuid: IMAGE.deleted2, reason: 'deleted in ChimeStack (state 5)' },
          { table: 't_image', uuid: IMAGE.orphan, reason: `its image_bucket ${USER.gone} is skipped` },
          { table: 't_storage_pool', uuid: POOL.gone, reason: 'deleted in ChimeStack (state 4)' },
          { table: 't_storage_pool_inventory', uuid: POOL.gone, reason: 'its storage pool is skipped' },
          { table: 't_volume_spec', uuid: VOLUME_SPEC.old, reason: 'deleted in ChimeStack (state 4)' },
          {
            table: 'r_cluster_volume_spec',
            uuid: `${CLUSTER.main}/${VOLUME_SPEC.ceph}`,
            reason: 'its volume spec is not available in ChimeStack',
          },
          {
            table: 'r_cluster_volume_spec',
            uuid: `${CLUSTER.main}/${VOLUME_SPEC.old}`,
            reason: `its volume_spec ${VOLUME_SPEC.old} is skipped`,
          },
          { table: 't_volume', uuid: VOLUME.deleted, reason: 'deleted in ChimeStack (state 5)' },
          { table: 't_volume', uuid: VOLUME.retired, reason: `its host ${NODE.retired} is skipped` },
          { table: 't_snapshot', uuid: SNAPSHOT.deleted, reason: 'deleted in ChimeStack (state 5)' },
          { table: 't_snapshot', uuid: SNAPSHOT.ofDeleted, reason: `its volume ${VOLUME.deleted} is skipped` },
          { table: 't_vm', uuid: VM.deleted, reason: 'deleted in ChimeStack (state 5)' },
          { table: 't_vm', uuid: VM.onRetired, reason: `its host ${NODE.retired} is skipped` },
          { table: 't_vm', uuid: VM.orphan, reason: `its user ${USER.gone} is not imported` },
          { table: 'r_vm_volume', uuid: `${VM.dev}/${VOLUME.creating}`, reason: 'not attached (state 4)' },
          { table: 'r_vm_nic', uuid: `${VM.deleted}/${NIC.spare}`, reason: `its vm ${VM.deleted} is skipped` },
        ]),
      );
      expect(outcome.report.skipped).toHaveLength(33);
      expect(outcome.report.renamed).toEqual([
        { table: 't_cluster', uuid: CLUSTER.web2, from: 'web', to: 'web-2', why: 'name already used in its scope' },
        { table: 't_cluster', uuid: CLUSTER.web3, from: 'WEB', to: 'WEB-3', why: 'name already used in its scope' },
        {
          table: 't_storage_pool',
          uuid: POOL.ceph,
          from: 'local storage',
          to: 'local storage-2',
          why: 'name already used in its scope',
        },
        {
          table: 't_volume_spec',
          uuid: VOLUME_SPEC.ceph,
          from: 'standard(local)',
          to: 'standard(local)-2',
          why: 'name already used in its scope',
        },
      ]);
      expect(outcome.report.problems).toEqual([]);
      expect(outcome.report.notes).toEqual([
        `t_user_default ${USER.dev}: default AZ ${AZ.old} is not imported, so no default is set`,
        `t_nic ${NIC.primary}: in use in ChimeStack (state 2): comes in attached to no VM (state 1); attaching it is the compute import`,
        `t_host ${NODE.web}: named "web-old-name", its node "web-node": a host takes its node's name`,
        `t_host ${NODE.lost} ("lost-node"): no t_client row; its node is made from the host (its name, no addresses, no size until its agent enrols)`,
        `t_image ${IMAGE.devFetching}: being fetched in ChimeStack (state 0); no fetch runs here, so it comes in failed (10): delete it and register it again`,
        // capacity()'s nudge gives 2 bytes more than ChimeStack's total of 1,900 GiB.
        `t_volume_spec ${VOLUME_SPEC.ceph}: suspended in ChimeStack (state 2); specs here have no such state: it comes in for its volumes, registered in no cluster, so no new volume gets it`,
        `t_volume ${VOLUME.creating}: being created in ChimeStack (state 0); no task runs here, so it comes in failed (10), claiming nothing: delete it and create it again`,
        `t_volume ${VOLUME.creating}: "Creating#req-1" was under way in ChimeStack; nothing runs after an import, cleared`,
        `t_volume ${VOLUME.ceph}: reserved in ChimeStack (state 3); it comes in available (1)`,
        `t_volume ${VOLUME.ceph}: made from image ${IMAGE.deleted1}, which is not imported (deleted in ChimeStack?); it comes in made from no image`,
        `t_snapshot ${SNAPSHOT.taking}: being taken in ChimeStack (state 0); no task runs here, so it comes in failed (10): delete it and take it again`,
        `t_snapshot ${SNAPSHOT.taking}: "Creating#req-2" was under way in ChimeStack; nothing runs after an import, cleared`,
        `t_storage_pool_inventory ${POOL.local}: used_size ${70 * GIB} here (what its imported volumes that are not failed claim), 0 in ChimeStack`,
        `t_vm ${VM.dev}: "Stopping#req-3" was under way in ChimeStack; nothing runs after an import, it comes in idle`,
        `t_host ${NODE.chime1}: its claims are what its imported VMs that are not failed claim: 3 vCPUs, ${5 * GIB} bytes of memory`,
      ]);
    });

    it('lets every user log in with the old password, with the right role, and re-hashes it with argon2id', async () => {
      for (const user of Object.values(PASSWORDS)) {
        const before = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ uuid: user.uuid });
        // admin logged in once already (beforeEach).
        if (user !== PASSWORDS.admin) expect(before.passwordHash).toMatch(/^\$2[aby]\$/);
        const token = await login(server, user.name, user.password);
        const auth = expectResult<{ user: { user_uuid: string; name: string; role: number } }>(
          await server.http.post('/v1/auth').send({ token }),
        );
        expect(auth.user).toMatchObject({ user_uuid: user.uuid, name: user.name, role: user.role });
        const after = await server.dataSource.getRepository(UserEntity).findOneByOrFail({ uuid: user.uuid });
        expect(after.passwordHash).toMatch(/^\$argon2id\$/);
        await login(server, user.name, user.password);
        expectError(
          await server.http.post('/v1/login').send({ user_name: user.name, password: 'wrong' }),
          401,
          'UNAUTHENTICATED',
        );
      }
      // The super administrator created at the first start made way for the source's.
      expectError(
        await server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password }),
        401,
        'UNAUTHENTICATED',
      );
      // The log is read below the oldest transaction running on the server (a shared PostgreSQL one):
      // once the consumers have taken the re-hashes, they are readable.
      await server.caughtUp();
      const rehashes = expectResult<{ elements: { stream_id: string; data: object }[] }>(
        await as(server, admin).get('/v1/event?type=UserPasswordRehashed&limit=100'),
      ).elements;
      expect(rehashes.map((event) => event.data)).toEqual(
        expect.arrayContaining(Object.values(PASSWORDS).map((user) => ({ uuid: user.uuid, scheme: 'argon2id' }))),
      );
    });

    it('keeps every field as the source has it (ids, names, states, descriptions, times, relations)', async () => {
      const api = as(server, admin);
      const azs = expectResult<{ elements: object[] }>(await api.get('/v1/az?sort=name&order=asc')).elements;
      expect(azs).toEqual([
        {
          uuid: AZ.main,
          name: 'Default',
          description: 'default zone',
          parent: '',
          state: 1,
          created_at: ISO('2024-06-04 21:27:28'),
        },
        { uuid: AZ.edge, name: 'Edge', description: '', parent: AZ.main, state: 0, created_at: ISO('2024-06-05 12:00:00') },
      ]);
      const clusters = expectResult<{ elements: object[] }>(await api.get(`/v1/az/${AZ.main}/cluster?sort=created_at&order=asc`));
      const cluster = (uuid: string, name: string, state: number, day: string, extra: object = {}) => ({
        uuid,
        name,
        description: '',
        arch: 'x86_64',
        hypervisor_type: 'kvm',
        type: 0,
        state,
        az_uuid: AZ.main,
        az_name: 'Default',
        created_at: ISO(day),
        ...extra,
      });
      expect(clusters.elements).toEqual([
        cluster(CLUSTER.main, 'Default', 1, '2024-06-04 21:27:51', { description: 'default cluster' }),
        cluster(CLUSTER.web, 'web', 0, '2024-06-05 12:00:00'),
        cluster(CLUSTER.web2, 'web-2', 1, '2024-06-06 12:00:00', { description: 'second web', type: 1, arch: 'aarch64' }),
        cluster(CLUSTER.web3, 'WEB-3', 1, '2024-06-07 12:00:00'),
      ]);
      const users = expectResult<{ elements: { uuid: string }[] }>(await api.get('/v1/user?sort=name&order=asc')).elements;
      expect(users).toEqual(
        ['admin', 'dev', 'mgr', 'ops'].map((name) => ({
          uuid: PASSWORDS[name as keyof typeof PASSWORDS].uuid,
          name,
          nick_name: name.toUpperCase(),
          avatar: `https://avatars.example/${name}.png`,
          role: PASSWORDS[name as keyof typeof PASSWORDS].role,
          created_at: expect.any(String),
        })),
      );
      // ChimeStack left the admin's created_at NULL: it takes the import's time.
      expect(Date.parse(users[0] && (users[0] as unknown as { created_at: string }).created_at)).toBeGreaterThan(
        Date.now() - 600_000,
      );
      expect(expectResult(await api.get(`/v1/user/${USER.admin}/default`))).toEqual({
        default: {
          az_uuid: AZ.main,
          clusters_uuid: CLUSTER.main,
        },
      });
      expect(expectResult(await api.get(`/v1/user/${USER.ops}/default`))).toEqual({
        default: { az_uuid: AZ.edge, clusters_uuid: null },
      });
      expect(expectResult(await api.get(`/v1/user/${USER.dev}/default`))).toEqual({
        default: { az_uuid: null, clusters_uuid: null },
      });

      const specs = expectResult<{ elements: object[] }>(await api.get('/v1/instance_spec?sort=name&order=asc')).elements;
      expect(specs).toEqual([
        {
          uuid: SPEC.large,
          name: 'Large(4C8G)',
          description: '',
          vcpus: 4,
          memory: 8589934592,
          type: 0,
          state: 1,
          cluster_count: 2,
          created_at: ISO('2024-06-04 12:00:00'),
        },
        {
          uuid: SPEC.mini,
          name: 'Mini(1C1G)',
          description: 'small',
          vcpus: 1,
          memory: 1073741824,
          type: 1,
          state: 1,
          cluster_count: 1,
          created_at: ISO('2024-06-05 12:00:00'),
        },
      ]);
      const mainPath = `/v1/az/${AZ.main}/cluster/${CLUSTER.main}`;
      const relations = expectResult<{ elements: object[] }>(
        await api.get(`${mainPath}/instance_spec_relation?sort=created_at&order=asc`),
      ).elements;
      expect(relations).toEqual([
        expect.objectContaining({ instance_spec_uuid: SPEC.large, created_at: ISO('2024-06-06 10:00:00') }),
        expect.objectContaining({ instance_spec_uuid: SPEC.mini, created_at: ISO('2024-06-06 11:00:00') }),
      ]);
      const networks = expectResult<{ elements: object[] }>(
        await api.get(`${mainPath}/network?sort=created_at&order=asc`),
      ).elements;
      expect(networks).toEqual([
        expect.objectContaining({
          uuid: NETWORK.bridge,
          name: 'chime-bridge',
          bridge_name: 'chime-bridge',
          interface_name: 'eth0',
          type: 0,
          vlan_id: '',
          state: 1,
        }),
        expect.objectContaining({
          uuid: NETWORK.vlan,
          name: 'vlan 100',
          bridge_name: 'br-444444440000',
          interface_name: 'eth1',
          type: 1,
          vlan_id: '100',
          state: 0,
          description: 'tagged',
        }),
      ]);
      expect(expectResult(await api.get(`${mainPath}/network/${NETWORK.bridge}/subnet/${SUBNET.a}`))).toEqual({
        subnet: expect.objectContaining({ cidr: '192.168.231.0/24', gateway: '192.168.231.1', reserved_ips: '', type: 0 }),
      });
      expect(expectResult(await api.get(`${mainPath}/network/${NETWORK.vlan}/subnet/${SUBNET.b}`))).toEqual({
        subnet: expect.objectContaining({
          cidr: '10.0.0.0/16',
          reserved_ips: '10.0.0.10-10.0.0.20',
          description: 'reserved range',
        }),
      });
      // NICs: addresses and MACs kept (MACs in lower case); ChimeStack's example is attached to dev-vm (r_vm_nic).
      expect(expectResult(await api.get(`/v1/nic/${NIC.primary}`))).toEqual({
        nic: expect.objectContaining({
          name: 'primary-nic-vm-local',
          user_uuid: USER.dev,
          subnet_uuid: SUBNET.a,
          subnet_cidr: '192.168.231.0/24',
          network_name: 'chime-bridge',
          ip: '192.168.231.11',
          mac: '52:54:00:6e:52:be',
          netmask: '255.255.255.0',
          gateway: '192.168.231.1',
          primary: 1,
          state: 2,
          attached_vms: [expect.objectContaining({ uuid: VM.dev, name: 'dev-vm' })],
        }),
      });
      expect(expectResult<{ nic: { ip: string } }>(await api.get(`/v1/nic/${NIC.spare}`)).nic.ip).toBe('10.0.0.5');
      // The sequence passes over imported MACs: a new NIC never takes 52:54:00:00:00:01.
      const fresh = expectResult<{ nic: { mac: string; ip: string } }>(
        await api.post('/v1/nic', { name: 'after-import', subnet_uuid: SUBNET.a }),
      ).nic;
      expect([fresh.mac, fresh.ip]).toEqual(['52:54:00:00:00:02', '192.168.231.2']);
      expect(expectResult(await api.delete(`/v1/nic/${(fresh as unknown as { uuid: string }).uuid}`))).toBe(1);
    });

    it('takes time-based (v1) UUIDs on the path and in bodies', async () => {
      const api = as(server, admin);
      expect(expectResult<{ user: { uuid: string } }>(await api.get(`/v1/user/${USER.admin}`)).user.uuid).toBe(USER.admin);
      expect(expectResult<{ az: { uuid: string } }>(await api.get(`/v1/az/${AZ.edge}`)).az.uuid).toBe(AZ.edge);
      expectResult(await api.patch(`/v1/user/${USER.dev}/default`, { az_uuid: AZ.edge, clusters_uuid: null }));
      expect(expectResult(await api.get(`/v1/user/${USER.dev}/default`))).toEqual({
        default: { az_uuid: AZ.edge, clusters_uuid: null },
      });
      const web2 = `/v1/az/${AZ.main}/cluster/${CLUSTER.web2}/instance_spec_relation`;
      expectResult(await api.post(web2, { instance_spec_uuid: SPEC.mini }));
      // The operation log is written by a consumer of the events, after the answer.
      await server.caughtUp();
      const log = expectResult<{ total: number }>(await api.get(`/v1/operation_log?user_uuid=${USER.admin}&method=POST`));
      expect(log.total).toBeGreaterThanOrEqual(1);
      // Any version and variant is a UUID (v0 with a non-RFC variant here): unknown, not malformed.
      expectError(await api.get('/v1/az/4d71a3b1-2274-01ef-ceaf-000c29d35f40'), 404, 'NOT_FOUND');
      const odd = '4d71a3b1-2274-01ef-ceaf-000c29d35f40';
      expect(
        expectError(
          await api.patch(`/v1/user/${USER.dev}/default`, { az_uuid: odd, clusters_uuid: null }),
          400,
          'FAILED_PRECONDITION',
        ),
      ).toBe(`availability zone ${odd} does not exist`);
      expect(expectError(await api.get('/v1/az/4d71a3b1-2274-11ef-beaf-000c29d35f4'), 400, 'INVALID_ARGUMENT')).toBe(
        'AzUuid must be a UUID',
      );
    });

    it('records the import as events with its metadata, and as one operation-log entry', async () => {
      const api = as(server, admin);
      const events = expectResult<{ elements: { type: string; metadata: Record<string, unknown> }[] }>(
        await api.get(`/v1/event?request_id=${outcome.runId}&limit=1000`),
      ).elements;
      // 2 AZs, 4 clusters, the old admin's deletion, 4 users and 2 defaults, 2 specs and 3 registrations, 2 networks,
      // 2 subnets; 6 clients enrolled, 3 of them adopted; 3 hosts created, 2 of them disabled or suspended; a user's
      // image bucket (the public one is there from the server's first start) and 3 images; 2 storage pools, 3 volume
      // specs and 2 registrations, 4 volumes and 2 snapshots, 2 NICs; 3 VMs, the data volume they put in use and the NIC
      // they attach.
      expect(events).toHaveLength(60);
      expect(new Set(events.map((event) => event.type))).toEqual(
        new Set([
          'AzCreated',
          'ClusterCreated',
          'UserDeleted',
          'UserCreated',
          'UserDefaultChanged',
          'InstanceSpecCreated',
          'InstanceSpecRegistered',
          'NetworkCreated',
          'SubnetCreated',
          'ClientEnrolled',
          'ClientAdopted',
          'HostCreated',
          'HostStateChanged',
          'ImageBucketCreated',
          'ImageCreated',
          'StoragePoolCreated',
          'VolumeSpecCreated',
          'VolumeSpecRegistered',
          'VolumeCreated',
          'SnapshotCreated',
          'NicCreated',
          'VmCreated',
          'VolumeUpdated',
          'NicUpdated',
        ]),
      );
      for (const event of events) {
        expect(event.metadata).toMatchObject({ method: 'IMPORT', import: { source: outcome.source, run_id: outcome.runId } });
      }
      expect(outcome.source).toBe(source.url);
      const log = expectResult<{ total: number; elements: object[] }>(
        await api.get(`/v1/operation_log?request_id=${outcome.runId}`),
      );
      expect(log).toMatchObject({
        total: 1,
        elements: [{ method: 'IMPORT', path: outcome.source, outcome: 'success', user_uuid: null }],
      });
    });

    it("brings the images in with their buckets and states; a user's bucket keeps its owner", async () => {
      const api = as(server, admin);
      const image = (uuid: string, name: string, state: number, bucket: string, created_at: string, extra: object = {}) => ({
        uuid,
        name,
        description: '',
        state,
        operation: '',
        bucket_uuid: bucket,
        bucket_name: bucket,
        format: 'iso',
        os_type: 'CentOS',
        os_detail: 'CentOS 8.x',
        os_arch: 'x86_64',
        boot_type: 'bios',
        shared: 0,
        install_url: 'file:///root/CentOS-8.5.2111-x86_64-boot.iso',
        size: 0,
        checksum: '',
        created_at,
        ...extra,
      });
      const centos = image(IMAGE.centos, 'CentOS 8.5.2111 ISO', 1, 'public', '2024-06-05T08:14:11.000Z');
      const shared = image(IMAGE.devShared, 'dev-ubuntu', 1, USER.dev, '2024-06-07T12:00:00.000Z', {
        format: 'qcow2',
        os_type: 'Linux',
        os_detail: 'Ubuntu 22.04',
        boot_type: 'uefi',
        shared: 1,
        install_url: 'https://mirror.example/ubuntu-22.04.qcow2',
      });
      // Being fetched in ChimeStack: failed here (no fetch runs), so it can be deleted.
      const fetching = image(IMAGE.devFetching, 'dev-fetching', 10, USER.dev, '2024-06-08T12:00:00.000Z', { format: 'raw' });
      expect(expectResult(await api.get('/v1/image?sort=created_at&order=asc'))).toEqual({
        elements: [centos, shared, fetching],
        size: 3,
        total: 3,
      });
      const buckets = expectResult<{ elements: { uuid: string; user_name: string; image_count: number; type: number }[] }>(
        await api.get('/v1/imagebucket?sort=type&order=asc'),
      ).elements;
      expect(buckets.map((b) => [b.uuid, b.type, b.user_name, b.image_count])).toEqual([
        ['public', 0, '', 1],
        [USER.dev, 1, 'dev', 2],
      ]);
      // dev sees its own and the public image; ops (read-only) sees all, mgr changes dev's.
      const dev = as(server, await login(server, 'dev', PASSWORDS.dev.password));
      expect(expectResult<{ total: number }>(await dev.get('/v1/image')).total).toBe(3);
      expect(expectResult(await dev.delete(`/v1/image/${IMAGE.devFetching}`))).toBe(0);
      expectError(await dev.delete(`/v1/image/${IMAGE.centos}`), 403, 'PERMISSION_DENIED');
      const mgr = as(server, await login(server, 'mgr', PASSWORDS.mgr.password));
      expect(expectResult(await mgr.patch(`/v1/image/${IMAGE.devShared}`, { shared: 0 }))).toEqual({ image: 'ok' });
      expectError(
        await as(server, await login(server, 'ops', PASSWORDS.ops.password)).get(`/v1/image/${IMAGE.orphan}`),
        404,
        'NOT_FOUND',
      );
      await server.caughtUp();
      expect(await verifyReplay(server.dataSource)).toEqual([]);
    });

    it('brings storage in: pools with recomputed claims, specs and registrations, volumes and snapshots (idle; being created or taken: failed)', async () => {
      const api = as(server, admin);
      const pools = expectResult<{ elements: object[]; total: number }>(
        await api.get('/v1/storage_pool?sort=created_at&order=asc'),
      );
      const pool = {
        az_uuid: AZ.main,
        cluster_uuid: CLUSTER.main,
        cluster_name: 'Default',
        description: '',
        reserved_size: 0,
      };
      expect(pools).toMatchObject({ total: 2 });
      expect(pools.elements).toEqual([
        {
          ...pool,
          uuid: POOL.local,
          name: 'Local Storage',
          type: 0,
          state: 1,
          meta: '{"backend_path":"/mnt/local/backend","image_cache_path":"/mnt/local/cache"}',
          physical_size: 100 * GIB,
          size_ratio: 2,
          total_size: 200 * GIB,
          // dev-data and admin-root; the volume being created came in failed and claims nothing.
          used_size: 70 * GIB,
          created_at: ISO('2024-06-04 21:41:44'),
        },
        {
          ...pool,
          uuid: POOL.ceph,
          name: 'local storage-2',
          description: 'ceph cluster',
          type: 2,
          state: 0,
          meta: '',
          physical_size: 1000 * GIB,
          size_ratio: 2,
          reserved_size: 100 * GIB,
          total_size: 1900 * GIB,
          used_size: 100 * GIB,
          created_at: ISO('2024-06-06 12:00:00'),
        },
      ]);
      const specs = expectResult<{ elements: { uuid: string; name: string; cluster_count: number }[] }>(
        await api.get('/v1/volume_spec?sort=name&order=asc'),
      ).elements;
      expect(specs.map((spec) => [spec.uuid, spec.name, spec.cluster_count])).toEqual([
        [VOLUME_SPEC.performance, 'Performance(Local)', 1],
        [VOLUME_SPEC.standard, 'Standard(Local)', 1],
        [VOLUME_SPEC.ceph, 'standard(local)-2', 0],
      ]);
      const mainPath = `/v1/az/${AZ.main}/cluster/${CLUSTER.main}`;
      const registered = expectResult<{ elements: object[] }>(
        await api.get(`${mainPath}/volume_spec_relation?sort=created_at&order=asc`),
      ).elements;
      expect(registered).toEqual([
        expect.objectContaining({ volume_spec_uuid: VOLUME_SPEC.performance, created_at: ISO('2024-06-04 21:43:56') }),
        expect.objectContaining({ volume_spec_uuid: VOLUME_SPEC.standard, created_at: ISO('2024-06-04 21:44:03') }),
      ]);

      const { volume: data } = expectResult<{ volume: Record<string, unknown> }>(
        await api.get(`${mainPath}/volume/${VOLUME.data}`),
      );
      expect(data).toMatchObject({
        uuid: VOLUME.data,
        name: 'dev-data',
        description: 'data',
        user_uuid: USER.dev,
        host_uuid: NODE.chime1,
        host_name: 'chime1',
        storage_pool_uuid: POOL.local,
        storage_pool_name: 'Local Storage',
        volume_spec_uuid: VOLUME_SPEC.standard,
        spec_name: 'Standard(Local)',
        image_uuid: '',
        size: 20 * GIB,
        iops: 1000,
        throughput: 20971520,
        format: 'qcow2',
        type: 0,
        // Available in ChimeStack, attached to dev-vm there (r_vm_volume): in use here.
        state: 2,
        operation: '',
        version: 3,
        parent_version: 2,
        snapshot_count: 2,
        last_operation_name: '',
        tasks: [],
        created_at: ISO('2024-06-06 12:00:00'),
      });
      const volume = async (uuid: string) =>
        expectResult<{ volume: Record<string, unknown> }>(await api.get(`${mainPath}/volume/${uuid}`)).volume;
      expect(await volume(VOLUME.root)).toMatchObject({
        user_uuid: USER.admin,
        state: 2,
        root: 1,
        image_uuid: IMAGE.centos,
        image_name: 'CentOS 8.5.2111 ISO',
        spec_name: 'Performance(Local)',
      });
      expect(await volume(VOLUME.creating)).toMatchObject({ state: 10, operation: '', size: 10 * GIB });
      expect(await volume(VOLUME.ceph)).toMatchObject({
        state: 1,
        cluster_uuid: CLUSTER.main,
        host_uuid: NODE.lost,
        storage_pool_uuid: POOL.ceph,
        storage_pool_type: 2,
        image_uuid: '',
        format: 'raw',
      });
      expectError(await api.get(`${mainPath}/volume/${VOLUME.deleted}`), 404, 'NOT_FOUND');
      expectError(await api.get(`${mainPath}/volume/${VOLUME.retired}`), 404, 'NOT_FOUND');

      // dev sees its own volume's snapshots; the one being taken came in failed.
      const dev = as(server, await login(server, 'dev', PASSWORDS.dev.password));
      const snapshots = expectResult<{ elements: object[]; total: number }>(
        await dev.get(`/v1/volume/${VOLUME.data}/snapshot?sort=created_at&order=asc`),
      );
      expect(snapshots.total).toBe(2);
      expect(snapshots.elements).toEqual([
        expect.objectContaining({
          uuid: SNAPSHOT.kept,
          name: 'before-upgrade',
          description: 'v2',
          user_uuid: USER.dev,
          volume_uuid: VOLUME.data,
          volume_name: 'dev-data',
          volume_version: 2,
          parent_volume_version: 1,
          state: 1,
          operation: '',
          created_at: ISO('2024-06-07 12:00:00'),
        }),
        expect.objectContaining({ uuid: SNAPSHOT.taking, state: 10, operation: '', volume_version: 3 }),
      ]);
      // A failed volume goes at once, its pool's count with it (nothing claimed to give back).
      expect(expectResult(await dev.delete(`${mainPath}/volume/${VOLUME.creating}`))).toBe(1);
      const local = expectResult<{ storage_pool: { used_size: number } }>(
        await api.get(`${mainPath}/storage_pool/${POOL.local}`),
      ).storage_pool;
      expect(local.used_size).toBe(70 * GIB);
      await server.caughtUp();
      expect(await verifyReplay(server.dataSource)).toEqual([]);
    });

    it('brings every node in as a client without a credential, unreachable, and the hosts with their clusters, states and inventories', async () => {
      const api = as(server, admin);
      const node = (uuid: string, name: string, extra: object) => ({
        uuid,
        name,
        description: '',
        state: 0,
        rack_name: 'rack1',
        manage_ip: '10.0.0.1',
        node_ip: '',
        storage_ip: '',
        reserved_ip1: '',
        reserved_ip2: '',
        physical_vcpus: 0,
        physical_memory: 0,
        monitor_state: 0,
        heartbeat_at: ISO(T(8, '06:00:00')),
        domains: 0,
        active_domains: 0,
        created_at: ISO(T(5)),
        ...extra,
      });
      const usage = { monitor_message: '', used_vcpus: 0, used_memory: 0, active_used_vcpus: 0, active_used_memory: 0 };
      const clients = expectResult<{ elements: object[]; total: number }>(await api.get('/v1/client?all=1&sort=name&order=asc'));
      expect(clients.total).toBe(6);
      expect(clients.elements).toEqual(
        [
          // t_host_inventory's physical size for a host; t_client.vcpus (0 here, as in chime.sql) is not it.
          node(NODE.chime1, 'chime1', {
            state: 1,
            manage_ip: '127.0.0.1',
            physical_vcpus: 4,
            physical_memory: 3890036736,
            heartbeat_at: ISO('2024-06-06 00:44:42'),
            created_at: ISO('2024-06-05 09:21:28'),
          }),
          node(NODE.free, 'free-node', {
            physical_vcpus: 16,
            physical_memory: 32 * GIB,
            heartbeat_at: null,
            created_at: ISO(T(7)),
          }),
          // created_at NULL: the import's start.
          node(NODE.ghost, 'ghost-node', { physical_vcpus: 4, physical_memory: 8 * GIB, created_at: expect.any(String) }),
          // No t_client row: made from its t_host row.
          node(NODE.lost, 'lost-node', {
            state: 1,
            rack_name: '',
            manage_ip: '',
            physical_vcpus: 11,
            physical_memory: 16 * GIB,
            heartbeat_at: ISO(T(8, '07:00:00')),
            created_at: ISO(T(7, '13:00:00')),
          }),
          // Its host deleted: a client again, with t_client's size.
          node(NODE.retired, 'retired-node', { physical_vcpus: 8, physical_memory: 16 * GIB, domains: 2, active_domains: 1 }),
          node(NODE.web, 'web-node', {
            state: 1,
            description: 'the web node',
            rack_name: 'rack2',
            manage_ip: '10.0.0.2',
            node_ip: '10.0.1.2',
            storage_ip: '10.0.2.2',
            reserved_ip1: 'fd00::2',
            reserved_ip2: '192.168.0.2',
            physical_vcpus: 12,
            physical_memory: 64 * GIB,
            domains: 3,
            active_domains: 2,
            created_at: ISO(T(6)),
          }),
        ].map((client) => ({ ...client, ...usage })),
      );
      const ghost = (clients.elements as { uuid: string; created_at: string }[]).find((client) => client.uuid === NODE.ghost)!;
      expect(Date.parse(ghost.created_at)).toBeGreaterThan(Date.now() - 600_000);

      // A host shows its node's facts as its client does.
      const facts = ['uuid', 'name', 'rack_name', 'manage_ip', 'node_ip', 'storage_ip', 'reserved_ip1', 'reserved_ip2'] as const;
      const more = [
        'physical_vcpus',
        'physical_memory',
        'monitor_state',
        'monitor_message',
        'heartbeat_at',
        'domains',
        'active_domains',
      ] as const;
      const host = (client: Record<string, unknown>, extra: object) => {
        return {
          ...Object.fromEntries([...facts, ...more].map((key) => [key, client[key]])),
          description: '',
          az_uuid: AZ.main,
          cluster_uuid: CLUSTER.main,
          cluster_name: 'Default',
          used_vcpus: 0,
          used_memory: 0,
          reserved_vcpus: 0,
          reserved_memory: 0,
          vm_count: 0,
          vm_running_count: 0,
          operation: '',
          last_operation_name: '',
          last_operation_state: 0,
          last_operation_created_at: null,
          last_operation_finished_at: null,
          tasks: [],
          networks: [],
          storage_pools: [],
          vms: [],
          ...extra,
        };
      };
      const [chime1, , , lost, , web] = clients.elements as Record<string, unknown>[];
      const mainHosts = expectResult<{ elements: object[]; total: number }>(
        await api.get(`/v1/az/${AZ.main}/cluster/${CLUSTER.main}/host?sort=name&order=asc`),
      );
      expect(mainHosts.total).toBe(2);
      expect(mainHosts.elements).toEqual([
        // chime.sql's example: total = physical × 2 there, so ratio 2 and the same totals here.
        // Its claims are its imported VMs' (admin-vm 2 vCPUs and 4 GiB, dev-vm 1 and 1 GiB; the failed one none).
        host(chime1, {
          state: 1,
          cpu_ratio: 2,
          memory_ratio: 2,
          total_vcpus: 8,
          used_vcpus: 3,
          total_memory: 7780073472,
          used_memory: 5 * GIB,
          vm_count: 3,
          vm_running_count: 1,
          created_at: ISO('2024-06-05 13:37:29'),
        }),
        // ChimeStack state 0 (unavailable): disabled; 15 / 11 vCPUs still gives 15 here.
        host(lost, {
          state: 0,
          cpu_ratio: expect.closeTo(15 / 11, 12),
          memory_ratio: 1.5,
          total_vcpus: 15,
          total_memory: 24 * GIB,
          created_at: ISO(T(7, '13:00:00')),
        }),
      ]);
      // Suspended (2); its reservations are subtracted here, not in ChimeStack's totals (30 vCPUs, 64 GiB).
      const webPath = `/v1/az/${AZ.main}/cluster/${CLUSTER.web2}/host/${NODE.web}`;
      expect(expectResult(await api.get(webPath))).toEqual({
        host: host(web, {
          description: 'suspended for maintenance',
          cluster_uuid: CLUSTER.web2,
          cluster_name: 'web-2',
          state: 2,
          cpu_ratio: 2.5,
          memory_ratio: 1,
          reserved_vcpus: 2,
          total_vcpus: 28,
          // ChimeStack's inventory says 6 vCPUs and 8 GiB are placed, but no VM of it is: claims are VMs'.
          used_vcpus: 0,
          reserved_memory: 4 * GIB,
          total_memory: 60 * GIB,
          used_memory: 0,
          created_at: ISO(T(6, '13:00:00')),
        }),
      });
      expect(expectResult(await api.get(`/v1/host_statistic?cluster_uuid=${CLUSTER.main}`))).toEqual({
        host_statistic: {
          hosts: 2,
          enabled: 1,
          disabled: 1,
          suspended: 0,
          reachable: 0,
          unreachable: 2,
          error: 0,
          physical_vcpus: 15,
          total_vcpus: 23,
          used_vcpus: 3,
          physical_memory: 3890036736 + 16 * GIB,
          total_memory: 7780073472 + 24 * GIB,
          used_memory: 5 * GIB,
        },
      });
      const rows: { credential_hash: string | null }[] = await server.dataSource.query('SELECT credential_hash FROM clients');
      expect(rows.map((row) => row.credential_hash)).toEqual(Array(6).fill(null));
      const enrolled = expectResult<{ elements: { stream_id: string; data: { enrolled: boolean } }[] }>(
        await api.get('/v1/event?type=ClientEnrolled&limit=100'),
      ).elements;
      expect(enrolled.map((event) => event.data.enrolled)).toEqual(Array(6).fill(false));
      expect(await verifyReplay(server.dataSource)).toEqual([]);
    });

    it('brings VMs in idle with their volumes (root first) and NICs attached; their hosts claim what they claim', async () => {
      const api = as(server, admin);
      const describe = async (uuid: string) => expectResult<{ vm: Record<string, unknown> }>(await api.get(`/v1/vm/${uuid}`)).vm;
      const adminVm = await describe(VM.admin);
      expect(adminVm).toMatchObject({
        uuid: VM.admin,
        name: 'admin-vm',
        description: 'the first VM',
        user_uuid: USER.admin,
        az_uuid: AZ.main,
        cluster_uuid: CLUSTER.main,
        host_uuid: NODE.chime1,
        host_name: 'chime1',
        instance_spec_uuid: SPEC.large,
        image_name: 'CentOS 8.5.2111 ISO',
        vcpus: 2,
        memory: 4 * GIB,
        state: 1,
        operation: '',
        last_operation_name: '',
        tasks: [],
        nics: [],
        created_at: ISO(T(7)),
      });
      expect((adminVm.volumes as { uuid: string; state: number }[]).map((v) => [v.uuid, v.state])).toEqual([[VOLUME.root, 2]]);
      const devVm = await describe(VM.dev);
      expect(devVm).toMatchObject({ name: 'dev-vm', user_uuid: USER.dev, instance_spec_uuid: SPEC.mini, state: 4, operation: '', image_name: '' });
      expect((devVm.volumes as { uuid: string; state: number }[]).map((v) => [v.uuid, v.state])).toEqual([[VOLUME.data, 2]]);
      expect((devVm.nics as { uuid: string; state: number }[]).map((n) => [n.uuid, n.state])).toEqual([[NIC.primary, 2]]);
      expect(await describe(VM.failed)).toMatchObject({ state: 10, cluster_uuid: CLUSTER.main, volumes: [], nics: [] });
      for (const skipped of [VM.deleted, VM.onRetired, VM.orphan]) expectError(await api.get(`/v1/vm/${skipped}`), 404, 'NOT_FOUND');
      const rows: { vm_uuid: string; volume_uuid: string; target: string; position: number }[] = await server.dataSource.query(
        'SELECT vm_uuid, volume_uuid, target, position FROM vm_volumes ORDER BY vm_uuid',
      );
      expect(rows).toEqual([
        { vm_uuid: VM.admin, volume_uuid: VOLUME.root, target: 'vda', position: 0 },
        // No target in ChimeStack: the first free one.
        { vm_uuid: VM.dev, volume_uuid: VOLUME.data, target: 'vda', position: 0 },
      ]);
      const [vm]: { image_uuid: string; vnc_port: number; version: number; last_host_uuid: string }[] = await server.dataSource.query(
        'SELECT image_uuid, vnc_port, version, last_host_uuid FROM vms WHERE uuid = $1',
        [VM.admin],
      );
      expect(vm).toEqual({ image_uuid: IMAGE.centos, vnc_port: 0, version: 1, last_host_uuid: NODE.lost });
      // The spare NIC's VM is deleted in ChimeStack: it stays available.
      expect(expectResult<{ nic: { state: number } }>(await api.get(`/v1/nic/${NIC.spare}`)).nic.state).toBe(1);
      const [chime1]: { used_vcpus: number; used_memory: string }[] = await server.dataSource.query(
        'SELECT used_vcpus, used_memory::text FROM hosts WHERE uuid = $1',
        [NODE.chime1],
      );
      expect(chime1).toEqual({ used_vcpus: 3, used_memory: String(5 * GIB) });
      await server.caughtUp();
      expect(await verifyReplay(server.dataSource)).toEqual([]);
    });

    it("lets each node's agent enrol again with its uuid and beat; a free client is adopted once enrolled", async () => {
      const api = as(server, admin);
      const mainHosts = `/v1/az/${AZ.main}/cluster/${CLUSTER.main}/host`;
      expect(expectError(await api.post(mainHosts, { uuid: NODE.free }), 400, 'FAILED_PRECONDITION')).toBe(
        `client ${NODE.free} has no valid credential: its agent must enrol again`,
      );
      const facts = {
        name: 'chime1',
        rack_name: 'rack1',
        manage_ip: '127.0.0.1',
        physical_vcpus: 4,
        physical_memory: 3890036736,
      };
      const { credential } = expectResult<{ agent: { credential: string; client_uuid: string } }>(
        await enrol(server, NODE.chime1, facts),
      ).agent;
      const usage = {
        domains: 1,
        active_domains: 1,
        used_vcpus: 2,
        used_memory: GIB,
        active_used_vcpus: 2,
        active_used_memory: GIB,
      };
      const beat = expectResult<{ heartbeat: object }>(
        await server.http
          .post('/v1/agent/heartbeat')
          .set(bearer(credential))
          .send({ ...facts, ...usage }),
      ).heartbeat;
      expect(beat).toMatchObject({
        client_uuid: NODE.chime1,
        monitor_state: 1,
        host: { uuid: NODE.chime1, az_uuid: AZ.main, cluster_uuid: CLUSTER.main, state: 1 },
      });
      // The log is read below the oldest transaction running anywhere on a shared PostgreSQL server
      // (another test file's): once the consumers caught up, every committed event is readable.
      await server.caughtUp();
      const stream = expectResult<{ elements: { type: string }[] }>(
        await api.get(`/v1/event?stream_id=${NODE.chime1}&limit=100`),
      ).elements;
      expect(stream.map((event) => event.type)).toEqual(
        expect.arrayContaining([
          'ClientEnrolled',
          'ClientAdopted',
          'ClientReenrolled',
          'ClientMonitorStateChanged',
          'HostCreated',
        ]),
      );
      expect(stream).toHaveLength(5);

      // The node made from t_host alone gets its facts from its enrolment.
      expectResult(
        await enrol(server, NODE.lost, {
          name: 'lost-node',
          manage_ip: '10.0.0.5',
          physical_vcpus: 11,
          physical_memory: 16 * GIB,
        }),
      );
      expect(expectResult<{ host: object }>(await api.get(`${mainHosts}/${NODE.lost}`)).host).toMatchObject({
        manage_ip: '10.0.0.5',
        monitor_state: 1,
        state: 0,
        total_vcpus: 15,
      });

      expectResult(
        await enrol(server, NODE.free, {
          name: 'free-node',
          manage_ip: '10.0.0.1',
          physical_vcpus: 16,
          physical_memory: 32 * GIB,
        }),
      );
      expect(expectResult<{ host: object }>(await api.post(mainHosts, { uuid: NODE.free, cpu_ratio: 2 })).host).toMatchObject({
        uuid: NODE.free,
        name: 'free-node',
        state: 1,
        total_vcpus: 32,
      });
      await server.caughtUp();
      expect(await verifyReplay(server.dataSource)).toEqual([]);
    });
  });

  it('refuses a database that is not empty, and changes nothing', async () => {
    await seedChimeStack(source);
    const admin = await login(server, ADMIN.name, ADMIN.password);
    expectResult(await as(server, admin).post('/v1/az', { name: 'here-first' }));
    await server.caughtUp();
    const before = await snapshot(server);
    await expect(importInto()).rejects.toThrow(
      new ImportRefused({ occupied: ['1 availability zones'] } as ImportOutcome).message,
    );
    expect(await snapshot(server)).toEqual(before);
  });

  it('refuses a database where an agent enrolled already', async () => {
    await seedChimeStack(source);
    expectResult(await enrol(server, NODE.free, { name: 'free-node', manage_ip: '10.0.0.1' }));
    await server.caughtUp();
    const before = await snapshot(server);
    await expect(importInto()).rejects.toThrow(new ImportRefused({ occupied: ['1 clients'] } as ImportOutcome).message);
    expect(await snapshot(server)).toEqual(before);
  });

  it('with --dry-run, reports what it would import and changes nothing', async () => {
    await seedChimeStack(source);
    const before = await snapshot(server);
    const outcome = await importInto({ dryRun: true });
    expect(outcome).toMatchObject({ written: false, occupied: [] });
    expect(outcome.report.imported.get('t_cluster')).toBe(4);
    expect(outcome.report.imported.get('t_client')).toBe(5);
    expect(outcome.report.imported.get('t_host')).toBe(3);
    expect(outcome.report.renamed).toHaveLength(4);
    expect(await snapshot(server)).toEqual(before);
  });

  it('makes one super administrator, the source admin; another role-3 user comes in as administrator (2)', async () => {
    await seedChimeStack(source);
    const root = '99999999-0000-4000-8000-000000000001';
    await source.insert('t_user', [
      {
        uuid: root,
        name: 'root',
        nick_name: 'Root',
        state: 1,
        password: bcryptHash('root-secret', 4, '$2a$'),
        role: 3,
        avatar: '',
      },
    ]);
    const outcome = await importInto();
    expect(outcome.report.notes).toContain(
      `t_user ${root} ("root"): a second super administrator, imported as administrator (2)`,
    );
    const token = await login(server, 'root', 'root-secret');
    expect(expectResult<{ user: { role: number } }>(await server.http.post('/v1/auth').send({ token })).user.role).toBe(2);
  });

  describe('a source with broken rows', () => {
    const BAD = '66666666-0000-4000-8000-000000000001';
    const ORPHAN = '66666666-0000-4000-8000-000000000002';

    beforeEach(async () => {
      await seedChimeStack(source);
      await source.insert('t_az', [{ uuid: BAD, name: 'bad\u202ename', state: 1, created_at: '2024-06-08 00:00:00' }]);
    });

    it('names each broken row (table and uuid), and imports nothing', async () => {
      await source.insert('t_cluster', [
        {
          uuid: ORPHAN,
          az_uuid: '77777777-0000-4000-8000-000000000000',
          name: 'orphan',
          hypervisor_type: 'kvm',
          arch: 'x86_64',
          state: 1,
        },
      ]);
      const before = await snapshot(server);
      const dryRun = await importInto({ dryRun: true });
      expect(dryRun.report.problems).toEqual([
        {
          table: 't_az',
          uuid: BAD,
          message: `name must not contain bidirectional control characters (name "bad\u202ename"; fix with --rename t_az:${BAD}=<name> or --set t_az:${BAD}.<column>=<value>)`,
        },
        { table: 't_cluster', uuid: ORPHAN, message: 'refers to az 77777777-0000-4000-8000-000000000000, which is not imported' },
      ]);
      await expect(importInto()).rejects.toThrow('2 problems in the source, nothing imported');
      expect(await snapshot(server)).toEqual(before);
    });

    it('takes a --rename rule for a name this server refuses', async () => {
      const outcome = await importInto({ rules: [{ table: 't_az', uuid: BAD, column: 'name', value: 'bad-name' }] });
      expect(outcome.report.renamed).toContainEqual({
        table: 't_az',
        uuid: BAD,
        from: 'bad\u202ename',
        to: 'bad-name',
        why: '--rename rule',
      });
      const admin = await login(server, 'admin', PASSWORDS.admin.password);
      expect(expectResult<{ az: { name: string } }>(await as(server, admin).get(`/v1/az/${BAD}`)).az.name).toBe('bad-name');
    });

    it('takes a --set rule for any other column, and refuses rules that name nothing', async () => {
      const long = 'x'.repeat(300);
      await source.insert('t_az', [
        { uuid: ORPHAN, name: 'wordy', state: 1, description: long, created_at: '2024-06-08 00:00:00' },
      ]);
      const rename = { table: 't_az', uuid: BAD, column: 'name', value: 'bad-name' };
      const refused = await importInto({
        dryRun: true,
        rules: [
          rename,
          { table: 't_az', uuid: ORPHAN, column: 'state', value: 'one' },
          { table: 't_az', uuid: ORPHAN, column: 'password', value: 'x' },
          { table: 't_cluster', uuid: ORPHAN, column: 'name', value: 'nowhere' },
        ],
      });
      expect(refused.report.problems).toEqual([
        { table: 't_az', uuid: ORPHAN, message: `--set t_az:${ORPHAN}.state=one: state takes a number` },
        { table: 't_az', uuid: ORPHAN, message: `--set t_az:${ORPHAN}.password=x: the import takes no column password of t_az` },
        {
          table: 't_az',
          uuid: ORPHAN,
          message: `description must be shorter than or equal to 256 characters (name "wordy"; fix with --rename t_az:${ORPHAN}=<name> or --set t_az:${ORPHAN}.<column>=<value>)`,
        },
        { table: 't_cluster', uuid: ORPHAN, message: `--rename t_cluster:${ORPHAN}=nowhere names no row of t_cluster` },
      ]);
      const outcome = await importInto({
        rules: [rename, { table: 't_az', uuid: ORPHAN, column: 'description', value: 'short' }],
      });
      expect(outcome.report.notes).toContain(`t_az ${ORPHAN}: description set by --set (was "${'x'.repeat(56)}…)`);
      const admin = await login(server, 'admin', PASSWORDS.admin.password);
      expect(expectResult<{ az: { description: string } }>(await as(server, admin).get(`/v1/az/${ORPHAN}`)).az.description).toBe(
        'short',
      );
    });

    it('names a node this server refuses (name, address, inventory) and takes it with --rename and --set', async () => {
      const node = '66666666-0000-4000-8000-000000000003';
      await source.insert('t_client', [
        { uuid: node, name: 'bad node!', manage_ip: '10.0.0.300', vcpus: 4, memory: 4 * GIB, created_at: T(8) },
      ]);
      await source.insert('t_host', [
        { uuid: node, az_uuid: AZ.main, cluster_uuid: CLUSTER.main, name: 'bad node!', state: 1, created_at: T(8) },
      ]);
      await source.insert('t_host_inventory', [
        { host_uuid: node, total_vcpus: 0, physical_vcpus: 4, total_memory: 4 * GIB, physical_memory: 4 * GIB },
      ]);
      const renameAz = { table: 't_az', uuid: BAD, column: 'name', value: 'bad-name' };
      const refused = await importInto({ dryRun: true, rules: [renameAz] });
      expect(refused.report.problems).toEqual([
        {
          table: 't_client',
          uuid: node,
          message:
            'manage_ip must be an IPv4 or IPv6 address, or ""; name must be a host name: 1 to 64 of A-Z a-z 0-9 . _ -, ' +
            `starting with a letter or digit (name "bad node!"; fix with --rename t_client:${node}=<name> or --set t_client:${node}.<column>=<value>)`,
        },
        {
          table: 't_host_inventory',
          uuid: node,
          message:
            'cpu_ratio must be at least 0.01 (cpu_ratio = total_vcpus / physical_vcpus, memory_ratio likewise; ' +
            `fix with --set t_host_inventory:${node}.<column>=<value>)`,
        },
      ]);
      const outcome = await importInto({
        rules: [
          renameAz,
          { table: 't_client', uuid: node, column: 'name', value: 'good-node' },
          { table: 't_client', uuid: node, column: 'manage_ip', value: '10.0.0.30' },
          { table: 't_host_inventory', uuid: node, column: 'total_vcpus', value: '8' },
        ],
      });
      expect(outcome.report.renamed).toContainEqual({
        table: 't_client',
        uuid: node,
        from: 'bad node!',
        to: 'good-node',
        why: '--rename rule',
      });
      expect(outcome.report.notes).toEqual(
        expect.arrayContaining([
          `t_client ${node}: manage_ip set by --set (was "10.0.0.300")`,
          `t_host_inventory ${node}: total_vcpus set by --set (was 0)`,
        ]),
      );
      const admin = await login(server, 'admin', PASSWORDS.admin.password);
      const { host } = expectResult<{ host: object }>(
        await as(server, admin).get(`/v1/az/${AZ.main}/cluster/${CLUSTER.main}/host/${node}`),
      );
      expect(host).toMatchObject({ name: 'good-node', manage_ip: '10.0.0.30', cpu_ratio: 2, total_vcpus: 8, memory_ratio: 1 });
    });

    it('names a volume and a pool this server refuses (long name, claims over the total) and takes them with --rename and --set', async () => {
      const long = '66666666-0000-4000-8000-000000000010';
      const name = `data-${'x'.repeat(70)}`;
      const big = '66666666-0000-4000-8000-000000000011';
      const volume = (uuid: string, volumeName: string, size: number) => ({
        uuid,
        name: volumeName,
        user_uuid: USER.dev,
        az_uuid: AZ.main,
        cluster_uuid: CLUSTER.main,
        host_uuid: NODE.chime1,
        volume_spec_uuid: VOLUME_SPEC.standard,
        size,
        install_path: `/mnt/local/backend/${uuid}.qcow2`,
        state: 1,
        created_at: T(8),
      });
      // 70 GiB claimed already: 200 more is over the pool's 200 GiB.
      await source.insert('t_volume', [volume(long, name, 10 * GIB), volume(big, 'big', 200 * GIB)]);
      const renameAz = { table: 't_az', uuid: BAD, column: 'name', value: 'bad-name' };
      const refused = await importInto({ dryRun: true, rules: [renameAz] });
      expect(refused.report.problems).toEqual([
        {
          table: 't_volume',
          uuid: long,
          message: `name must be shorter than or equal to 64 characters (name "${name}"; fix with --rename t_volume:${long}=<name> or --set t_volume:${long}.<column>=<value>)`,
        },
        {
          table: 't_storage_pool_inventory',
          uuid: POOL.local,
          message: `its volumes claim ${270 * GIB} bytes, more than its total_size ${200 * GIB} here (fix with --set t_storage_pool_inventory:${POOL.local}.<physical_size, total_size or reserved_size>=<value>)`,
        },
      ]);
      const outcome = await importInto({
        rules: [
          renameAz,
          { table: 't_volume', uuid: long, column: 'name', value: 'data-long' },
          { table: 't_storage_pool_inventory', uuid: POOL.local, column: 'total_size', value: String(300 * GIB) },
        ],
      });
      expect(outcome.report.notes).toContain(
        `t_storage_pool_inventory ${POOL.local}: total_size set by --set (was ${200 * GIB})`,
      );
      const admin = await login(server, 'admin', PASSWORDS.admin.password);
      const api = as(server, admin);
      const mainPath = `/v1/az/${AZ.main}/cluster/${CLUSTER.main}`;
      expect(expectResult<{ volume: object }>(await api.get(`${mainPath}/volume/${long}`)).volume).toMatchObject({
        name: 'data-long',
        size: 10 * GIB,
      });
      expect(
        expectResult<{ storage_pool: object }>(await api.get(`${mainPath}/storage_pool/${POOL.local}`)).storage_pool,
      ).toMatchObject({ size_ratio: 3, total_size: 300 * GIB, used_size: 280 * GIB });
    });

    it('rolls everything back when a row fails as it is written, naming it', async () => {
      // Two VLAN networks on one interface with the same VLAN id pass every check of their own,
      // and fail on the database's unique index only after the AZs, clusters and users were written.
      const clash = '88888888-0000-4000-8000-000000000001';
      await source.insert('t_network', [
        {
          uuid: clash,
          az_uuid: AZ.main,
          cluster_uuid: CLUSTER.main,
          name: 'clash',
          type: 1,
          vlan_id: '100',
          state: 1,
          interface_name: 'eth1',
          description: '',
          created_at: '2024-06-09 00:00:00',
        },
      ]);
      const before = await snapshot(server);
      await expect(importInto({ rules: [{ table: 't_az', uuid: BAD, column: 'name', value: 'bad-name' }] })).rejects.toThrow(
        new RegExp(`^t_network ${clash}: `),
      );
      expect(await snapshot(server)).toEqual(before);
    });
  });

  it('runs as npm run import: dry run, import, refusal of a second one, usage; then verify:replay exits 0', async () => {
    await seedChimeStack(source);
    const database = await createTestDatabase({ persistent: true });
    const run = (script: string, ...args: string[]) => runScript(script, args, database.env);
    try {
      const dryRun = await run('src/import/main.ts', '--from', source.url, '--dry-run');
      expect(dryRun).toMatchObject({ code: 0, stdout: expect.stringContaining('would import:\n  t_az') });
      expect(dryRun.stdout).toMatch(/^ {2}t_cluster +4$/m);
      expect(dryRun.stdout).toContain(`t_cluster ${CLUSTER.web2}: "web" -> "web-2" (name already used in its scope)`);
      const imported = await run('src/import/main.ts', '--from', source.url);
      expect(imported).toMatchObject({ code: 0, stdout: expect.stringContaining('imported:\n  t_az') });
      expect(imported.stdout).toContain(`skipped (33):\n  t_az ${AZ.old}: deleted in ChimeStack (state 4)`);
      expect(imported.stdout).toMatch(/^ {2}t_host +3$/m);
      const again = await run('src/import/main.ts', '--from', source.url);
      expect(again.code).toBe(1);
      expect(again.stderr).toContain(
        'import refused: the database is not empty (2 availability zones; 4 clusters; 3 users besides',
      );
      expect(await run('src/import/main.ts', '--rename', 'x')).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('usage:'),
      });
      const verified = await run('src/replay/main.ts');
      expect(verified).toMatchObject({
        code: 0,
        stdout: expect.stringMatching(/^verify:replay: every table equals the replay of \d+ events/),
      });
    } finally {
      await database.drop();
    }
  });
});

/** A command-line script of the server, run from its TypeScript as `npm run` would run its build. */
function runScript(
  script: string,
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--require', './test/support/ts-register.js', script, ...args],
      { cwd: join(__dirname, '..'), env: { PATH: process.env.PATH ?? '', ...env } },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code) : 0, stdout, stderr }),
    );
  });
}
