import { bcryptHash, type ChimeStackSource } from './chimestack-source';

/**
 * A small ChimeStack installation with every case the import maps: a time-based (v1) uuid, a
 * soft-deleted AZ with a cluster under it, a suspended AZ and cluster, duplicate cluster names in
 * one AZ, NULL descriptions and created_at, defaults (one pointing into the deleted AZ), users of
 * every role with bcrypt hashes ($2a$, $2b$, $2y$; costs 10 and 8), specs registered in clusters,
 * networks and subnets, and nodes: ChimeStack's own example host (chime.sql), a suspended host with
 * reservations and placed amounts, a free client, a client whose host is deleted (state 4), a host
 * in a deleted AZ's cluster, and a host without a t_client row; images: chime.sql's own rows (two
 * deleted, state 5), a user's bucket with an available shared image and one being fetched, and the
 * bucket of a deleted user with its image; storage: chime.sql's pool and specs, a second pool of the
 * same name (another case), a suspended spec, deleted pool, spec, volume and snapshot, a volume
 * being created and a snapshot being taken (both come in failed), a reserved volume made from a
 * deleted image, and a volume on a deleted host; NICs: ChimeStack's own example (in use there, upper-case
 * MAC), an available one, a deleted one and one of a deleted user.
 */
export const AZ = {
  main: '4a28bf21-1600-40e5-924f-5c03c7f76d4f',
  edge: '9b2e6f7c-2274-11ef-beaf-000c29d35f40', // v1
  old: 'a0c4d1e2-0000-4000-8000-00000000a0a0',
};
export const CLUSTER = {
  main: 'd42d3779-e25d-45fd-b7a0-7c36fdd89496',
  web: '11111111-0000-4000-8000-000000000001',
  web2: '11111111-0000-4000-8000-000000000002',
  web3: '11111111-0000-4000-8000-000000000003',
  ghost: '11111111-0000-4000-8000-000000000004',
  gone: '11111111-0000-4000-8000-000000000005',
};
export const USER = {
  admin: '4d71a3b1-2274-11ef-beaf-000c29d35f40', // v1
  ops: 'ec9905f3-3bbd-4c18-88bc-608ff760c5b8',
  dev: '22222222-0000-4000-8000-000000000003',
  mgr: '22222222-0000-4000-8000-000000000004',
  gone: '22222222-0000-4000-8000-000000000005',
  locked: '22222222-0000-4000-8000-000000000006',
};
export const SPEC = {
  large: '2a3689cb-09d3-41fd-a6e2-992acc0eda22',
  mini: 'c947be88-2342-11ef-953f-000c29d35f40', // v1
  old: '33333333-0000-4000-8000-000000000003',
};
export const NETWORK = {
  bridge: '1ad0df39-c9ee-41b5-9ac3-4fbdee92b761',
  vlan: '44444444-0000-4000-8000-000000000002',
  azWide: '44444444-0000-4000-8000-000000000003',
};
export const SUBNET = {
  a: '55555555-0000-4000-8000-000000000001',
  b: '55555555-0000-4000-8000-000000000002',
};
export const NIC = {
  /** ChimeStack's own listNic example, attached to a VM there (state 2). */
  primary: '1a588665-453b-43d3-b98f-94289e305995',
  spare: '66666666-0000-4000-8000-000000000002',
  deleted: '66666666-0000-4000-8000-000000000003',
  orphan: '66666666-0000-4000-8000-000000000004',
};

export const NODE = {
  chime1: 'b88c944f-9b88-4a3c-a004-4c3e29f1f8c1', // chime.sql's own rows
  web: '77777777-0000-4000-8000-000000000001',
  free: '77777777-0000-4000-8000-000000000002',
  retired: '77777777-0000-4000-8000-000000000003',
  ghost: '77777777-0000-4000-8000-000000000004',
  lost: '77777777-0000-4000-8000-000000000005',
};
export const IMAGE = {
  centos: 'c6688223-2460-4121-b81d-038fd5defe39', // chime.sql's own rows
  deleted1: '9fc26afe-63cf-415f-9502-0e0c5b9a6d73',
  deleted2: 'b128be43-4e2e-4615-b3c4-4ff9e1e8e2a7',
  devShared: '88888888-0000-4000-8000-000000000001',
  devFetching: '88888888-0000-4000-8000-000000000002',
  orphan: '88888888-0000-4000-8000-000000000003',
};
export const POOL = {
  local: '862b711b-5427-404d-a981-381ef562aa63', // chime.sql's own rows
  ceph: '99990000-0000-4000-8000-000000000001',
  gone: '99990000-0000-4000-8000-000000000002',
};
export const VOLUME_SPEC = {
  performance: 'e1acaea8-b260-4f3b-807a-a037f4ef95b6', // chime.sql's own rows
  standard: 'f41c85d8-245f-45fb-8c17-8f0cc000450c',
  ceph: '99991111-0000-4000-8000-000000000001',
  old: '99991111-0000-4000-8000-000000000002',
};
export const VOLUME = {
  data: '99992222-0000-4000-8000-000000000001',
  root: '99992222-0000-4000-8000-000000000002',
  creating: '99992222-0000-4000-8000-000000000003',
  ceph: '99992222-0000-4000-8000-000000000004',
  deleted: '99992222-0000-4000-8000-000000000005',
  retired: '99992222-0000-4000-8000-000000000006',
};
export const SNAPSHOT = {
  kept: '99993333-0000-4000-8000-000000000001',
  taking: '99993333-0000-4000-8000-000000000002',
  deleted: '99993333-0000-4000-8000-000000000003',
  ofDeleted: '99993333-0000-4000-8000-000000000004',
};
export const VM = {
  /** admin's, running on chime1 from its root volume (in use there already). */
  admin: 'aaaa0000-0000-4000-8000-000000000001',
  /** dev's, stopped, with a data volume (available there) and ChimeStack's example NIC; "Stopping" under way. */
  dev: 'aaaa0000-0000-4000-8000-000000000002',
  /** Failed: claims nothing. */
  failed: 'aaaa0000-0000-4000-8000-000000000003',
  deleted: 'aaaa0000-0000-4000-8000-000000000004',
  onRetired: 'aaaa0000-0000-4000-8000-000000000005',
  orphan: 'aaaa0000-0000-4000-8000-000000000006',
};
export const GIB = 1024 ** 3;

/** The imported users' passwords and roles here. */
export const PASSWORDS = {
  admin: { name: 'admin', password: 'admin-secret', role: 3, uuid: USER.admin },
  ops: { name: 'ops', password: 'ops-secret', role: 1, uuid: USER.ops },
  dev: { name: 'dev', password: 'dev-secret', role: 0, uuid: USER.dev },
  mgr: { name: 'mgr', password: 'mgr-secret', role: 2, uuid: USER.mgr },
};

export const T = (day: number, time = '12:00:00') => `2024-06-${String(day).padStart(2, '0')} ${time}`;

export async function seedChimeStack(source: ChimeStackSource): Promise<void> {
  await source.insert('t_az', [
    { uuid: AZ.main, parent_uuid: null, name: 'Default', state: 1, description: 'default zone', created_at: T(4, '21:27:28') },
    { uuid: AZ.edge, parent_uuid: AZ.main, name: 'Edge', state: 2, description: null, created_at: T(5) },
    { uuid: AZ.old, parent_uuid: null, name: 'Old', state: 4, description: 'gone', created_at: T(3) },
  ]);
  const cluster = (uuid: string, az: string, name: string, state: number, day: number, description: string | null = null) => ({
    uuid,
    az_uuid: az,
    name,
    type: 0,
    hypervisor_type: 'kvm',
    arch: 'x86_64',
    state,
    description,
    created_at: T(day),
  });
  await source.insert('t_cluster', [
    { ...cluster(CLUSTER.main, AZ.main, 'Default', 1, 4, 'default cluster'), created_at: '2024-06-04 21:27:51' },
    cluster(CLUSTER.web, AZ.main, 'web', 2, 5),
    { ...cluster(CLUSTER.web2, AZ.main, 'web', 1, 6, 'second web'), type: 1, arch: 'aarch64' },
    cluster(CLUSTER.web3, AZ.main, 'WEB', 1, 7),
    cluster(CLUSTER.ghost, AZ.old, 'ghost', 1, 5),
    cluster(CLUSTER.gone, AZ.edge, 'edge-1', 4, 5),
  ]);
  const user = (uuid: string, name: string, role: number, password: string, state = 1, created_at: string | null = T(4)) => ({
    uuid,
    name,
    nick_name: name.toUpperCase(),
    state,
    password,
    role,
    avatar: `https://avatars.example/${name}.png`,
    created_at,
  });
  await source.insert('t_user', [
    user(USER.admin, 'admin', 3, bcryptHash(PASSWORDS.admin.password, 10, '$2a$'), 1, null),
    user(USER.ops, 'ops', 1, bcryptHash(PASSWORDS.ops.password, 10, '$2y$')),
    user(USER.dev, 'dev', 0, bcryptHash(PASSWORDS.dev.password, 8, '$2b$')),
    user(USER.mgr, 'mgr', 2, bcryptHash(PASSWORDS.mgr.password, 10, '$2a$')),
    user(USER.gone, 'gone', 0, bcryptHash('gone-secret', 4, '$2a$'), 4),
    user(USER.locked, 'locked', 0, bcryptHash('locked-secret', 4, '$2a$'), 0),
  ]);
  await source.insert('t_user_default', [
    { owner_uuid: USER.admin, az_uuid: AZ.main, cluster_uuid: CLUSTER.main },
    { owner_uuid: USER.ops, az_uuid: AZ.edge, cluster_uuid: '' },
    { owner_uuid: USER.dev, az_uuid: AZ.old, cluster_uuid: CLUSTER.ghost },
    { owner_uuid: USER.gone, az_uuid: AZ.main, cluster_uuid: '' },
  ]);
  await source.insert('t_session', [{ uuid: 'plain-text-token', user_uuid: USER.admin, state: 1 }]);
  await source.insert('t_instance_spec', [
    { uuid: SPEC.large, name: 'Large(4C8G)', state: 1, vcpus: 4, memory: 8589934592, type: 0, description: '', created_at: T(4) },
    {
      uuid: SPEC.mini,
      name: 'Mini(1C1G)',
      state: 1,
      vcpus: 1,
      memory: 1073741824,
      type: 1,
      description: 'small',
      created_at: T(5),
    },
    { uuid: SPEC.old, name: 'Old', state: 4, vcpus: 2, memory: 2147483648, type: 0, description: '', created_at: T(3) },
  ]);
  await source.insert('r_cluster_instance_spec', [
    { cluster_uuid: CLUSTER.main, instance_spec_uuid: SPEC.large, created_at: T(6, '10:00:00') },
    { cluster_uuid: CLUSTER.main, instance_spec_uuid: SPEC.mini, created_at: T(6, '11:00:00') },
    { cluster_uuid: CLUSTER.web2, instance_spec_uuid: SPEC.large, created_at: T(7) },
    { cluster_uuid: CLUSTER.ghost, instance_spec_uuid: SPEC.large, created_at: T(7) },
    { cluster_uuid: CLUSTER.main, instance_spec_uuid: SPEC.old, created_at: T(7) },
  ]);
  await source.insert('t_network', [
    {
      uuid: NETWORK.bridge,
      az_uuid: AZ.main,
      cluster_uuid: CLUSTER.main,
      name: 'chime-bridge',
      type: 0,
      vlan_id: '',
      state: 1,
      interface_name: 'eth0',
      description: '',
      created_at: T(5, '13:35:33'),
    },
    {
      uuid: NETWORK.vlan,
      az_uuid: AZ.main,
      cluster_uuid: CLUSTER.main,
      name: 'vlan 100',
      type: 1,
      vlan_id: '100',
      state: 0,
      interface_name: 'eth1',
      description: 'tagged',
      created_at: T(6),
    },
    {
      uuid: NETWORK.azWide,
      az_uuid: AZ.main,
      cluster_uuid: null,
      name: 'az-wide',
      type: 0,
      vlan_id: '',
      state: 1,
      interface_name: 'eth0',
      description: '',
      created_at: T(6),
    },
  ]);
  const nic = (uuid: string, name: string, state: number, user_uuid: string, subnet_uuid: string, ip: string, mac: string, primary = 0) => ({
    uuid,
    name,
    description: '',
    state,
    primary,
    user_uuid,
    subnet_uuid,
    network_name: 'br1',
    mac,
    ip,
    gateway: '',
    netmask: '',
    operation: '',
    created_at: T(8),
  });
  await source.insert('t_nic', [
    nic(NIC.primary, 'primary-nic-vm-local', 2, USER.dev, SUBNET.a, '192.168.231.11', '52:54:00:6E:52:BE', 1),
    nic(NIC.spare, 'spare', 1, USER.ops, SUBNET.b, '10.0.0.5', '52:54:00:00:00:01'),
    nic(NIC.deleted, 'deleted', 4, USER.ops, SUBNET.b, '10.0.0.6', '52:54:00:00:00:02'),
    nic(NIC.orphan, 'orphan', 1, USER.gone, SUBNET.b, '10.0.0.7', '52:54:00:00:00:03'),
  ]);
  await source.insert('t_subnet', [
    {
      uuid: SUBNET.a,
      network_uuid: NETWORK.bridge,
      name: 'sub-a',
      type: 0,
      cidr: '192.168.231.1/24',
      gateway: '192.168.231.1',
      reserved_ips: '',
      state: 1,
      description: '',
      created_at: T(6),
    },
    {
      uuid: SUBNET.b,
      network_uuid: NETWORK.vlan,
      name: 'sub-b',
      type: 0,
      cidr: '10.0.0.0/16',
      gateway: '',
      reserved_ips: '10.0.0.10-10.0.0.20',
      state: 1,
      description: 'reserved range',
      created_at: T(6),
    },
  ]);
  await seedNodes(source);
  await seedImages(source);
  await seedStorage(source);
  await seedVms(source);
}

async function seedVms(source: ChimeStackSource): Promise<void> {
  const vm = (uuid: string, name: string, owner: string, state: number, extra: object = {}) => ({
    uuid,
    name,
    user_uuid: owner,
    az_uuid: AZ.main,
    cluster_uuid: CLUSTER.main,
    host_uuid: NODE.chime1,
    last_host_uuid: '',
    install_path: '',
    state,
    vcpus: 2,
    memory: 4 * GIB,
    operation: '',
    instance_spec_uuid: SPEC.large,
    description: null,
    password: 'not-imported',
    created_at: T(7),
    ...extra,
  });
  await source.insert('t_vm', [
    vm(VM.admin, 'admin-vm', USER.admin, 1, { description: 'the first VM', last_host_uuid: NODE.lost }),
    vm(VM.dev, 'dev-vm', USER.dev, 4, { vcpus: 1, memory: GIB, instance_spec_uuid: SPEC.mini, operation: 'Stopping#req-3' }),
    vm(VM.failed, 'ops-failed', USER.ops, 10, { vcpus: 4, memory: 8 * GIB, cluster_uuid: '' }),
    vm(VM.deleted, 'deleted-vm', USER.dev, 5),
    vm(VM.onRetired, 'on-retired', USER.dev, 4, { host_uuid: NODE.retired }),
    vm(VM.orphan, 'orphan-vm', USER.gone, 1),
  ]);
  await source.insert('r_vm_volume', [
    { vm_uuid: VM.admin, volume_uuid: VOLUME.root, target: 'vda', state: 1, created_at: T(7) },
    // No target: it takes the first free one (vda).
    { vm_uuid: VM.dev, volume_uuid: VOLUME.data, target: '', state: 1, created_at: T(7) },
    // Detached there (deleted relation).
    { vm_uuid: VM.dev, volume_uuid: VOLUME.creating, target: 'vdb', state: 4, created_at: T(7) },
  ]);
  await source.insert('r_vm_nic', [
    { vm_uuid: VM.dev, nic_uuid: NIC.primary, state: 1, created_at: T(8) },
    { vm_uuid: VM.deleted, nic_uuid: NIC.spare, state: 1, created_at: T(8) },
  ]);
}

async function seedStorage(source: ChimeStackSource): Promise<void> {
  const pool = (uuid: string, name: string, state: number, day: number, extra: object = {}) => ({
    uuid,
    az_uuid: AZ.main,
    cluster_uuid: CLUSTER.main,
    name,
    type: 0,
    state,
    description: '',
    meta: '{"backend_path":"/mnt/local/backend","image_cache_path":"/mnt/local/cache"}',
    created_at: T(day),
    ...extra,
  });
  await source.insert('t_storage_pool', [
    // chime.sql's own row.
    { ...pool(POOL.local, 'Local Storage', 1, 4), created_at: '2024-06-04 21:41:44' },
    // The same name in the same cluster (regardless of case), unavailable, no meta (ChimeStack's default).
    pool(POOL.ceph, 'local storage', 0, 6, { type: 2, meta: '', description: 'ceph cluster' }),
    pool(POOL.gone, 'gone', 4, 5),
  ]);
  const inventory = (uuid: string, extra: object) => ({
    storage_pool_uuid: uuid,
    total_size: 0,
    used_size: 0,
    physical_size: 0,
    reserved_size: 0,
    created_at: T(5),
    ...extra,
  });
  await source.insert('t_storage_pool_inventory', [
    // chime.sql's: total = physical × 2, nothing reserved, nothing claimed (ChimeStack's count; the volumes below claim 70 GiB).
    inventory(POOL.local, { total_size: 214748364800, physical_size: 107374182400, created_at: '2024-06-04 21:41:44' }),
    // total = physical × 2 − reserved.
    inventory(POOL.ceph, { total_size: 1900 * GIB, used_size: 100 * GIB, physical_size: 1000 * GIB, reserved_size: 100 * GIB }),
    inventory(POOL.gone, { total_size: 10 * GIB, physical_size: 10 * GIB }),
  ]);
  const spec = (uuid: string, pool: string, name: string, state: number, created_at: string, extra: object = {}) => ({
    uuid,
    storage_pool_uuid: pool,
    name,
    state,
    operation: '',
    min_iops: 500,
    max_iops: 5000,
    step_iops: 50,
    min_throughput: 10485760,
    max_throughput: 104857600,
    step_throughput: 1048576,
    description: '',
    created_at,
    ...extra,
  });
  await source.insert('t_volume_spec', [
    // chime.sql's own rows.
    spec(VOLUME_SPEC.performance, POOL.local, 'Performance(Local)', 1, '2024-06-04 21:43:50', {
      max_iops: 10000,
      step_iops: 100,
      max_throughput: 524288000,
      step_throughput: 5242880,
    }),
    spec(VOLUME_SPEC.standard, POOL.local, 'Standard(Local)', 1, '2024-06-04 21:42:41'),
    // Suspended, and named as another spec regardless of case.
    spec(VOLUME_SPEC.ceph, POOL.ceph, 'standard(local)', 2, T(6), { description: 'on ceph' }),
    spec(VOLUME_SPEC.old, POOL.local, 'old', 4, T(5)),
  ]);
  await source.insert('r_cluster_volume_spec', [
    // chime.sql's own rows.
    { cluster_uuid: CLUSTER.main, volume_spec_uuid: VOLUME_SPEC.performance, created_at: '2024-06-04 21:43:56' },
    { cluster_uuid: CLUSTER.main, volume_spec_uuid: VOLUME_SPEC.standard, created_at: '2024-06-04 21:44:03' },
    { cluster_uuid: CLUSTER.main, volume_spec_uuid: VOLUME_SPEC.ceph, created_at: T(6) },
    { cluster_uuid: CLUSTER.main, volume_spec_uuid: VOLUME_SPEC.old, created_at: T(6) },
  ]);
  const volume = (uuid: string, name: string, owner: string, spec: string, state: number, day: number, extra: object = {}) => ({
    uuid,
    name,
    user_uuid: owner,
    az_uuid: AZ.main,
    cluster_uuid: CLUSTER.main,
    host_uuid: NODE.chime1,
    volume_spec_uuid: spec,
    size: 20 * GIB,
    iops: 1000,
    throughput: 20971520,
    install_path: `/mnt/local/backend/${uuid}.qcow2`,
    state,
    operation: '',
    root: 0,
    cdrom: 0,
    image_uuid: '',
    description: '',
    created_at: T(day),
    version: 0,
    parent_version: 0,
    format: 'qcow2',
    type: 0,
    ...extra,
  });
  await source.insert('t_volume', [
    volume(VOLUME.data, 'dev-data', USER.dev, VOLUME_SPEC.standard, 1, 6, { description: 'data', version: 3, parent_version: 2 }),
    volume(VOLUME.root, 'admin-root', USER.admin, VOLUME_SPEC.performance, 2, 6, {
      size: 50 * GIB,
      iops: 5000,
      throughput: 262144000,
      root: 1,
      image_uuid: IMAGE.centos,
    }),
    // Being created: comes in failed, claiming nothing.
    volume(VOLUME.creating, 'dev-creating', USER.dev, VOLUME_SPEC.standard, 0, 7, {
      size: 10 * GIB,
      operation: 'Creating#req-1',
    }),
    // Reserved (3): available here; its image deleted in ChimeStack; on a disabled host, with no cluster_uuid.
    volume(VOLUME.ceph, 'ops-ceph', USER.ops, VOLUME_SPEC.ceph, 3, 7, {
      host_uuid: NODE.lost,
      cluster_uuid: null,
      size: 100 * GIB,
      type: 2,
      format: 'raw',
      image_uuid: IMAGE.deleted1,
    }),
    volume(VOLUME.deleted, 'dev-deleted', USER.dev, VOLUME_SPEC.standard, 5, 5),
    volume(VOLUME.retired, 'on-retired', USER.dev, VOLUME_SPEC.standard, 1, 5, { host_uuid: NODE.retired }),
  ]);
  const snapshot = (uuid: string, name: string, volume: string, state: number, day: number, extra: object = {}) => ({
    uuid,
    name,
    user_uuid: USER.dev,
    volume_uuid: volume,
    volume_version: 1,
    parent_volume_version: 0,
    state,
    operation: '',
    description: '',
    created_at: T(day),
    ...extra,
  });
  await source.insert('t_snapshot', [
    snapshot(SNAPSHOT.kept, 'before-upgrade', VOLUME.data, 1, 7, {
      volume_version: 2,
      parent_volume_version: 1,
      description: 'v2',
    }),
    // Being taken: comes in failed.
    snapshot(SNAPSHOT.taking, 'nightly', VOLUME.data, 0, 8, {
      volume_version: 3,
      parent_volume_version: 2,
      operation: 'Creating#req-2',
    }),
    snapshot(SNAPSHOT.deleted, 'old', VOLUME.data, 5, 6),
    snapshot(SNAPSHOT.ofDeleted, 'of-deleted', VOLUME.deleted, 1, 6),
  ]);
}

async function seedImages(source: ChimeStackSource): Promise<void> {
  await source.insert('t_image_bucket', [
    // chime.sql's own row.
    {
      uuid: 'public',
      name: 'public',
      state: 1,
      description: '',
      type: 0,
      owner: '',
      bucket_name: 'public',
      created_at: '2024-06-05 08:14:11',
    },
    {
      uuid: USER.dev,
      name: USER.dev,
      state: 1,
      description: null,
      type: 1,
      owner: USER.dev,
      bucket_name: USER.dev,
      created_at: T(6),
    },
    {
      uuid: USER.gone,
      name: USER.gone,
      state: 1,
      description: '',
      type: 1,
      owner: USER.gone,
      bucket_name: USER.gone,
      created_at: T(6),
    },
  ]);
  const image = (uuid: string, name: string, state: number, bucket: string, extra: object = {}) => ({
    uuid,
    name,
    state,
    description: '',
    operation: '',
    bucket_uuid: bucket,
    format: 'iso',
    os_type: 'CentOS',
    os_detail: 'CentOS 8.x',
    os_arch: 'x86_64',
    boot_type: 'bios',
    shared: 0,
    install_url: 'file:///root/CentOS-8.5.2111-x86_64-boot.iso',
    ...extra,
  });
  await source.insert('t_image', [
    // chime.sql's own rows: two deleted (5), one available.
    { ...image(IMAGE.deleted1, 'CentOS 8.5.2111 ISO', 5, 'public'), created_at: '2024-06-05 00:50:08' },
    { ...image(IMAGE.deleted2, 'CentOS 8.5.2111 ISO', 5, 'public'), created_at: '2024-06-05 00:53:09' },
    { ...image(IMAGE.centos, 'CentOS 8.5.2111 ISO', 1, 'public'), created_at: '2024-06-05 08:14:11' },
    image(IMAGE.devShared, 'dev-ubuntu', 1, USER.dev, {
      description: null,
      format: 'qcow2',
      os_type: 'Linux',
      os_detail: 'Ubuntu 22.04',
      boot_type: 'uefi',
      shared: 1,
      install_url: 'https://mirror.example/ubuntu-22.04.qcow2',
      created_at: T(7),
    }),
    image(IMAGE.devFetching, 'dev-fetching', 0, USER.dev, { format: 'raw', operation: 'op-2', created_at: T(8) }),
    image(IMAGE.orphan, 'orphan', 1, USER.gone, { created_at: T(7) }),
  ]);
}

async function seedNodes(source: ChimeStackSource): Promise<void> {
  const client = (uuid: string, name: string, day: number, extra: object = {}) => ({
    uuid,
    name,
    state: 0,
    description: '',
    rack_name: 'rack1',
    manage_ip: '10.0.0.1',
    created_at: T(day),
    heartbeat_at: T(8, '06:00:00'),
    monitor_state: 1,
    ...extra,
  });
  await source.insert('t_client', [
    // ChimeStack's example row, as its chime.sql has it.
    {
      ...client(NODE.chime1, 'chime1', 5, { state: 1, manage_ip: '127.0.0.1', monitor_state: 0 }),
      created_at: '2024-06-05 09:21:28',
      heartbeat_at: '2024-06-06 00:44:42',
    },
    client(NODE.web, 'web-node', 6, {
      state: 1,
      description: 'the web node',
      rack_name: 'rack2',
      manage_ip: '10.0.0.2',
      node_ip: '10.0.1.2',
      storage_ip: '10.0.2.2',
      reserved_ip1: 'fd00::2',
      reserved_ip2: '192.168.0.2',
      domains: 3,
      active_domains: 2,
      vcpus: 12,
      memory: 64 * GIB,
    }),
    client(NODE.free, 'free-node', 7, { description: null, vcpus: 16, memory: 32 * GIB, heartbeat_at: null }),
    client(NODE.retired, 'retired-node', 5, { vcpus: 8, memory: 16 * GIB, domains: 2, active_domains: 1 }),
    client(NODE.ghost, 'ghost-node', 5, { created_at: null, vcpus: 4, memory: 8 * GIB }),
  ]);
  const host = (uuid: string, cluster: string, name: string, state: number, day: number, extra: object = {}) => ({
    uuid,
    az_uuid: AZ.main,
    cluster_uuid: cluster,
    name,
    state,
    description: '',
    created_at: T(day, '13:00:00'),
    ...extra,
  });
  await source.insert('t_host', [
    { ...host(NODE.chime1, CLUSTER.main, 'chime1', 1, 5), created_at: '2024-06-05 13:37:29' },
    host(NODE.web, CLUSTER.web2, 'web-old-name', 2, 6, { description: 'suspended for maintenance', operation: 'op-1' }),
    host(NODE.retired, CLUSTER.main, 'retired-node', 4, 5),
    host(NODE.ghost, CLUSTER.ghost, 'ghost-node', 1, 5, { az_uuid: AZ.old }),
    host(NODE.lost, CLUSTER.main, 'lost-node', 0, 7, { description: null, heartbeat_at: T(8, '07:00:00') }),
  ]);
  const inventory = (uuid: string, extra: object) => ({
    host_uuid: uuid,
    total_vcpus: 0,
    used_vcpus: 0,
    physical_vcpus: 0,
    reserved_vcpus: 0,
    total_memory: 0,
    used_memory: 0,
    physical_memory: 0,
    reserved_memory: 0,
    created_at: T(5),
    ...extra,
  });
  await source.insert('t_host_inventory', [
    // chime.sql's: total = physical × 2, nothing reserved.
    inventory(NODE.chime1, {
      total_vcpus: 8,
      physical_vcpus: 4,
      total_memory: 7780073472,
      physical_memory: 3890036736,
      created_at: '2024-06-05 13:37:29',
    }),
    // cpu ratio 2.5, memory 1; reservations not subtracted in ChimeStack's totals.
    inventory(NODE.web, {
      total_vcpus: 30,
      used_vcpus: 6,
      physical_vcpus: 12,
      reserved_vcpus: 2,
      total_memory: 64 * GIB,
      used_memory: 8 * GIB,
      physical_memory: 64 * GIB,
      reserved_memory: 4 * GIB,
    }),
    inventory(NODE.retired, { total_vcpus: 8, physical_vcpus: 8, total_memory: 16 * GIB, physical_memory: 16 * GIB }),
    // A ratio that floating point does not give back exactly (15 / 11 × 11 < 15).
    inventory(NODE.lost, { total_vcpus: 15, physical_vcpus: 11, total_memory: 24 * GIB, physical_memory: 16 * GIB }),
  ]);
}
