import type { DomainEvent, Transaction } from '@chime/event-log';
import { capacity } from '../../platform/domain/capacity';
import { ImportedIds, ImportReport, type ImportContext, type SourceDatabase } from '../../platform/import/importer';
import { ClusterVolumeSpecEntity, SnapshotEntity, StoragePoolEntity, VolumeEntity, VolumeSpecEntity } from './storage.entity';
import { poolRatio, STORAGE_IMPORTER } from './storage.importer';

const AZ = '4a28bf21-1600-40e5-924f-5c03c7f76d4f';
const CLUSTER = 'd42d3779-e25d-45fd-b7a0-7c36fdd89496';
const OTHER_CLUSTER = '11111111-0000-4000-8000-000000000002';
const HOST = 'b88c944f-9b88-4a3c-a004-4c3e29f1f8c1';
const DELETED_HOST = '77777777-0000-4000-8000-000000000003';
const USER = '22222222-0000-4000-8000-000000000003';
const IMAGE = 'c6688223-2460-4121-b81d-038fd5defe39';
const pool = (n: number) => `862b711b-5427-404d-a981-${String(n).padStart(12, '0')}`;
const spec = (n: number) => `e1acaea8-b260-4f3b-807a-${String(n).padStart(12, '0')}`;
const vol = (n: number) => `99999999-0000-4000-8000-${String(n).padStart(12, '0')}`;
const snap = (n: number) => `aaaaaaaa-0000-4000-8000-${String(n).padStart(12, '0')}`;
const GIB = 1024 ** 3;

const poolRow = (uuid: string, extra: object = {}) => ({
  uuid,
  az_uuid: AZ,
  cluster_uuid: CLUSTER,
  name: 'Local Storage',
  type: 0,
  state: 1,
  description: '',
  meta: '{"backend_path":"/mnt/local/backend","image_cache_path":"/mnt/local/cache"}',
  created_at: '2024-06-04 21:41:44',
  ...extra,
});
const inventory = (uuid: string, extra: object = {}) => ({
  uuid,
  total_size: 200 * GIB,
  used_size: 0,
  physical_size: 100 * GIB,
  reserved_size: 0,
  ...extra,
});
const specRow = (uuid: string, poolUuid: string, extra: object = {}) => ({
  uuid,
  storage_pool_uuid: poolUuid,
  name: `spec-${uuid.slice(-1)}`,
  state: 1,
  min_iops: 500,
  max_iops: 10000,
  step_iops: 100,
  min_throughput: 10485760,
  max_throughput: 524288000,
  step_throughput: 5242880,
  description: '',
  created_at: '2024-06-04 21:43:50',
  ...extra,
});
const relation = (clusterUuid: string, specUuid: string, created_at = '2024-06-04 21:43:56') => ({
  cluster_uuid: clusterUuid,
  volume_spec_uuid: specUuid,
  created_at,
});
const volumeRow = (uuid: string, specUuid: string, extra: object = {}) => ({
  uuid,
  name: `vol-${uuid.slice(-1)}`,
  user_uuid: USER,
  az_uuid: AZ,
  cluster_uuid: CLUSTER,
  host_uuid: HOST,
  volume_spec_uuid: specUuid,
  size: 10 * GIB,
  iops: 1000,
  throughput: 52428800,
  install_path: `/mnt/local/backend/${uuid}.qcow2`,
  state: 1,
  operation: '',
  root: 0,
  cdrom: 0,
  image_uuid: '',
  description: '',
  created_at: '2024-06-06 10:00:00',
  version: 2,
  parent_version: 1,
  format: 'qcow2',
  type: 0,
  ...extra,
});
const snapshotRow = (uuid: string, volumeUuid: string, extra: object = {}) => ({
  uuid,
  name: `snap-${uuid.slice(-1)}`,
  user_uuid: USER,
  volume_uuid: volumeUuid,
  volume_version: 1,
  parent_volume_version: 0,
  state: 1,
  operation: '',
  description: '',
  created_at: '2024-06-06 11:00:00',
  ...extra,
});

/** Plans an import of these tables into a target with the cluster, a host, a user and an image, and writes it into a fake transaction. */
async function plan(tables: Record<string, object[]>) {
  const source: SourceDatabase = { select: (table) => Promise.resolve((tables[table] ?? []) as never) };
  const ids = new ImportedIds();
  ids.add('cluster', CLUSTER, { az_uuid: AZ });
  ids.add('cluster', OTHER_CLUSTER, { az_uuid: AZ });
  ids.add('host', HOST, { az_uuid: AZ, cluster_uuid: CLUSTER });
  ids.skipped('host', DELETED_HOST);
  ids.add('user', USER);
  ids.add('image', IMAGE);
  const context: ImportContext = { source, report: new ImportReport(), ids, startedAt: new Date(), isRenamed: () => false };
  const work = await STORAGE_IMPORTER.plan(context);
  const rows = {
    pools: [] as StoragePoolEntity[],
    specs: [] as VolumeSpecEntity[],
    relations: [] as ClusterVolumeSpecEntity[],
    volumes: [] as VolumeEntity[],
    snapshots: [] as SnapshotEntity[],
  };
  const tables_ = new Map<unknown, unknown[]>([
    [StoragePoolEntity, rows.pools],
    [VolumeSpecEntity, rows.specs],
    [ClusterVolumeSpecEntity, rows.relations],
    [VolumeEntity, rows.volumes],
    [SnapshotEntity, rows.snapshots],
  ]);
  const streams = new Map<string, { version: number; types: string[] }>();
  const tx = {
    manager: {
      insert: (entity: unknown, row: unknown) =>
        Promise.resolve(tables_.get(entity)!.push(...(Array.isArray(row) ? row : [row]))),
    },
    append: (stream: { type: string; id: string }, version: number, events: DomainEvent[]) => {
      const key = `${stream.type}/${stream.id}`;
      streams.set(key, { version, types: [...(streams.get(key)?.types ?? []), ...events.map((event) => event.type)] });
      return Promise.resolve(version + events.length);
    },
  } as unknown as Transaction;
  let written = 0;
  if (context.report.problems.length === 0) await work.write(tx, () => written++);
  return { report: context.report, ids, rows, streams, work, written };
}

describe('poolRatio', () => {
  it("gives back ChimeStack's total through capacity(): (total + reserved) / physical, 1 without a physical size", () => {
    expect(poolRatio(200 * GIB, 0, 100 * GIB)).toBe(2);
    expect(poolRatio(150 * GIB, 50 * GIB, 100 * GIB)).toBe(2);
    expect(poolRatio(5, 0, 0)).toBe(1);
    const wrong: string[] = [];
    for (let physical = 1; physical <= 100; physical++) {
      for (let reserved = 0; reserved <= physical; reserved += 11) {
        for (let total = 0; total <= physical * 8; total++) {
          if (capacity(physical, poolRatio(total, reserved, physical), reserved) !== total)
            wrong.push(`${total}+${reserved}/${physical}`);
        }
      }
    }
    expect(wrong).toEqual([]);
  });
});

describe('STORAGE_IMPORTER', () => {
  it('brings pools, specs, registrations, volumes and snapshots in, with their creation events and recomputed claims', async () => {
    const { report, rows, streams, work, written, ids } = await plan({
      t_storage_pool: [
        poolRow(pool(1)),
        poolRow(pool(2), { name: 'LOCAL STORAGE', state: 0, type: 2, meta: '' }),
        poolRow(pool(3), { state: 5 }),
      ],
      t_storage_pool_inventory: [
        inventory(pool(1), { reserved_size: 10 * GIB, total_size: 190 * GIB, used_size: 7 * GIB }),
        inventory(pool(3)),
      ],
      t_volume_spec: [
        specRow(spec(1), pool(1)),
        specRow(spec(2), pool(1), { state: 2, name: 'SPEC-1' }),
        specRow(spec(3), pool(3)),
        specRow(spec(4), pool(2), { state: 4 }),
      ],
      r_cluster_volume_spec: [
        relation(CLUSTER, spec(1)),
        relation(CLUSTER, spec(2)),
        relation(OTHER_CLUSTER, spec(1)),
        relation(CLUSTER, spec(3)),
      ],
      t_volume: [
        volumeRow(vol(1), spec(1), { image_uuid: IMAGE.toUpperCase(), root: 1 }),
        volumeRow(vol(2), spec(2), { state: 0, operation: 'Creating#abc', size: 20 * GIB }),
        volumeRow(vol(3), spec(1), { state: 3, cluster_uuid: null, image_uuid: '9fc26afe-63cf-415f-9502-0e0c5b9a6d73' }),
        volumeRow(vol(4), spec(1), { state: 5 }),
        volumeRow(vol(5), spec(3)),
        volumeRow(vol(6), spec(1), { host_uuid: DELETED_HOST }),
        volumeRow(vol(7), spec(1), { user_uuid: '22222222-0000-4000-8000-000000000005' }),
        volumeRow(vol(8), spec(1), { state: 10 }),
      ],
      t_snapshot: [
        snapshotRow(snap(1), vol(1)),
        snapshotRow(snap(2), vol(1), { state: 0, operation: 'Creating#def' }),
        snapshotRow(snap(3), vol(1), { state: 5 }),
        snapshotRow(snap(4), vol(4)),
      ],
    });
    expect(report.problems).toEqual([]);
    expect(Object.fromEntries(report.imported)).toEqual({
      t_storage_pool: 2,
      t_storage_pool_inventory: 1,
      t_volume_spec: 2,
      r_cluster_volume_spec: 1,
      t_volume: 4,
      t_snapshot: 2,
    });
    expect(report.skipped).toEqual([
      { table: 't_storage_pool', uuid: pool(3), reason: 'deleted in ChimeStack (state 5)' },
      { table: 't_storage_pool_inventory', uuid: pool(3), reason: 'its storage pool is skipped' },
      { table: 't_volume_spec', uuid: spec(3), reason: `its storage_pool ${pool(3)} is skipped` },
      { table: 't_volume_spec', uuid: spec(4), reason: 'deleted in ChimeStack (state 4)' },
      { table: 'r_cluster_volume_spec', uuid: `${CLUSTER}/${spec(2)}`, reason: 'its volume spec is not available in ChimeStack' },
      {
        table: 'r_cluster_volume_spec',
        uuid: `${OTHER_CLUSTER}/${spec(1)}`,
        reason: `its spec's storage pool ${pool(1)} is in cluster ${CLUSTER}; a spec is registered only in its pool's cluster here`,
      },
      { table: 'r_cluster_volume_spec', uuid: `${CLUSTER}/${spec(3)}`, reason: `its volume_spec ${spec(3)} is skipped` },
      { table: 't_volume', uuid: vol(4), reason: 'deleted in ChimeStack (state 5)' },
      { table: 't_volume', uuid: vol(5), reason: `its volume_spec ${spec(3)} is skipped` },
      { table: 't_volume', uuid: vol(6), reason: `its host ${DELETED_HOST} is skipped` },
      { table: 't_volume', uuid: vol(7), reason: 'its user 22222222-0000-4000-8000-000000000005 is not imported' },
      { table: 't_snapshot', uuid: snap(3), reason: 'deleted in ChimeStack (state 5)' },
      { table: 't_snapshot', uuid: snap(4), reason: `its volume ${vol(4)} is skipped` },
    ]);
    expect(report.renamed).toEqual([
      {
        table: 't_storage_pool',
        uuid: pool(2),
        from: 'LOCAL STORAGE',
        to: 'LOCAL STORAGE-2',
        why: 'name already used in its scope',
      },
      { table: 't_volume_spec', uuid: spec(2), from: 'SPEC-1', to: 'SPEC-1-2', why: 'name already used in its scope' },
    ]);
    expect(report.notes).toEqual([
      `t_storage_pool ${pool(2)}: no t_storage_pool_inventory row; no size (ratio 1, nothing reserved) until it is edited`,
      `t_volume_spec ${spec(2)}: suspended in ChimeStack (state 2); specs here have no such state: it comes in for its volumes, registered in no cluster, so no new volume gets it`,
      `t_volume ${vol(2)}: being created in ChimeStack (state 0); no task runs here, so it comes in failed (10), claiming nothing: delete it and create it again`,
      `t_volume ${vol(2)}: "Creating#abc" was under way in ChimeStack; nothing runs after an import, cleared`,
      `t_volume ${vol(3)}: reserved in ChimeStack (state 3); it comes in available (1)`,
      `t_volume ${vol(3)}: made from image 9fc26afe-63cf-415f-9502-0e0c5b9a6d73, which is not imported (deleted in ChimeStack?); it comes in made from no image`,
      `t_snapshot ${snap(2)}: being taken in ChimeStack (state 0); no task runs here, so it comes in failed (10): delete it and take it again`,
      `t_snapshot ${snap(2)}: "Creating#def" was under way in ChimeStack; nothing runs after an import, cleared`,
      `t_storage_pool_inventory ${pool(1)}: used_size ${20 * GIB} here (what its imported volumes that are not failed claim), ${7 * GIB} in ChimeStack`,
    ]);

    expect(written).toBe(work.rows);
    expect(work.rows).toBe(2 + 2 + 4 + 2);
    expect(
      rows.pools.map((p) => [
        p.uuid,
        p.name,
        p.state,
        p.type,
        p.meta === '',
        p.physicalSize,
        p.sizeRatio,
        p.reservedSize,
        p.totalSize,
        p.usedSize,
        p.volumeCount,
      ]),
    ).toEqual([
      [pool(1), 'Local Storage', 1, 0, false, 100 * GIB, 2, 10 * GIB, 190 * GIB, 20 * GIB, 4],
      [pool(2), 'LOCAL STORAGE-2', 0, 2, true, 0, 1, 0, 0, 0, 0],
    ]);
    expect(rows.specs.map((s) => [s.uuid, s.name, s.state, s.clusterCount, s.version])).toEqual([
      [spec(1), 'spec-1', 1, 1, 2],
      [spec(2), 'SPEC-1-2', 1, 0, 1],
    ]);
    expect(rows.relations).toEqual([
      { clusterUuid: CLUSTER, volumeSpecUuid: spec(1), createdAt: new Date('2024-06-04T21:43:56Z') },
    ]);
    const byUuid = new Map(rows.volumes.map((v) => [v.uuid, v]));
    expect(byUuid.get(vol(1))).toMatchObject({
      state: 1,
      imageUuid: IMAGE,
      root: 1,
      storagePoolUuid: pool(1),
      volumeSpecUuid: spec(1),
      dataVersion: 2,
      parentVersion: 1,
      snapshotCount: 2,
      operation: '',
      version: 1,
    });
    expect(byUuid.get(vol(2))).toMatchObject({ state: 10, operation: '', volumeSpecUuid: spec(2), imageUuid: null });
    expect(byUuid.get(vol(3))).toMatchObject({ state: 1, clusterUuid: CLUSTER, azUuid: AZ, imageUuid: null });
    expect(byUuid.get(vol(8))).toMatchObject({ state: 10 });
    expect(rows.snapshots.map((s) => [s.uuid, s.state, s.operation, s.userUuid, s.volumeVersion])).toEqual([
      [snap(1), 1, '', USER, 1],
      [snap(2), 10, '', USER, 1],
    ]);
    expect(streams.get(`storage_pool/${pool(1)}`)).toEqual({ version: 0, types: ['StoragePoolCreated'] });
    expect(streams.get(`volume_spec/${spec(1)}`)).toEqual({ version: 0, types: ['VolumeSpecCreated', 'VolumeSpecRegistered'] });
    expect(streams.get(`volume_spec/${spec(2)}`)).toEqual({ version: 0, types: ['VolumeSpecCreated'] });
    expect(streams.get(`volume/${vol(2)}`)).toEqual({ version: 0, types: ['VolumeCreated'] });
    expect(streams.get(`snapshot/${snap(2)}`)).toEqual({ version: 0, types: ['SnapshotCreated'] });
    expect(streams.size).toBe(2 + 2 + 4 + 2);
    expect(ids.get('volume', vol(1))).toEqual({});
  });

  it('refuses rows this server cannot take, naming the way out', async () => {
    const long = 'v'.repeat(65);
    const { report } = await plan({
      t_storage_pool: [
        poolRow(pool(1)),
        poolRow(pool(2), { name: 'bad\u202ename', meta: 'not json', type: 7 }),
        poolRow(pool(3), { az_uuid: OTHER_CLUSTER, name: 'p3' }),
        poolRow(pool(4), { state: 3, name: 'p4' }),
        poolRow(pool(5), { name: 'p5' }),
      ],
      t_storage_pool_inventory: [
        inventory(pool(1), { total_size: 20 * GIB, physical_size: 10 * GIB }),
        // A negative total (ratio below 0.01) and more reserved than the pool has.
        inventory(pool(5), { total_size: -20 * GIB, physical_size: 10 * GIB, reserved_size: 20 * GIB }),
      ],
      t_volume_spec: [specRow(spec(1), pool(1)), specRow(spec(2), pool(1), { min_iops: 20000 }), specRow(spec(3), pool(9))],
      t_volume: [
        volumeRow(vol(1), spec(1), { state: 7 }),
        volumeRow(vol(2), spec(1), { name: long }),
        volumeRow(vol(3), spec(1), { size: 15 * GIB, host_uuid: '77777777-0000-4000-8000-000000000009' }),
        volumeRow(vol(4), spec(1), { cluster_uuid: OTHER_CLUSTER, type: 2, size: 3 * GIB + 1 }),
        volumeRow(vol(5), spec(1), { size: 15 * GIB }),
        volumeRow(vol(6), spec(1), { size: 15 * GIB }),
        volumeRow(vol(7), spec(1), { user_uuid: 'admin' }),
      ],
      t_snapshot: [snapshotRow(snap(1), vol(9)), snapshotRow(snap(2), vol(5), { state: 2 })],
    });
    expect(report.problems.map((p) => `${p.table} ${p.uuid}: ${p.message}`)).toEqual([
      `t_storage_pool ${pool(3)}: az_uuid ${OTHER_CLUSTER} is not the AZ of its cluster ${CLUSTER}`,
      `t_storage_pool ${pool(4)}: unknown state 3`,
      expect.stringMatching(
        new RegExp(
          `^t_storage_pool ${pool(2)}: .*name must not contain bidirectional control characters.*meta must be a JSON object.*type must be 0 \\(local\\), 1 \\(iSCSI\\) or 2 \\(Ceph\\) \\(name "bad\u202ename"; fix with --rename t_storage_pool:${pool(2)}=<name>`,
        ),
      ),
      `t_storage_pool_inventory ${pool(5)}: size_ratio must be at least 0.01; total_size must be 0 or more; reserved_size ${20 * GIB} is more than the pool's physical_size ${10 * GIB} (size_ratio = (total_size + reserved_size) / physical_size; fix with --set t_storage_pool_inventory:${pool(5)}.<column>=<value>)`,
      `t_volume_spec ${spec(3)}: refers to storage_pool ${pool(9)}, which is not imported`,
      `t_volume_spec ${spec(2)}: min_iops 20000 is more than max_iops 10000 (name "spec-2"; fix with --rename t_volume_spec:${spec(2)}=<name> or --set t_volume_spec:${spec(2)}.<column>=<value>)`,
      `t_volume ${vol(1)}: unknown state 7: it would come in failed (10), claiming nothing; say what it is with --set t_volume:${vol(1)}.state=<0, 1, 2 or 10>`,
      expect.stringMatching(new RegExp(`^t_volume ${vol(2)}: name must be shorter than or equal to 64 characters`)),
      `t_volume ${vol(3)}: refers to host 77777777-0000-4000-8000-000000000009, which is not imported`,
      expect.stringMatching(
        new RegExp(
          `^t_volume ${vol(4)}: its host ${HOST} is in cluster ${CLUSTER} of AZ ${AZ}, not in its own; type 2 is not its storage pool's type 0; size must be a whole number of GiB`,
        ),
      ),
      `t_volume ${vol(7)}: user_uuid "admin" is not a user's uuid (fix with --set t_volume:${vol(7)}.user_uuid=<uuid>)`,
      `t_snapshot ${snap(1)}: refers to volume ${vol(9)}, which is not imported`,
      `t_snapshot ${snap(2)}: unknown state 2 (fix with --set t_snapshot:${snap(2)}.state=<0, 1 or 10>)`,
      `t_storage_pool_inventory ${pool(1)}: its volumes claim ${30 * GIB} bytes, more than its total_size ${20 * GIB} here (fix with --set t_storage_pool_inventory:${pool(1)}.<physical_size, total_size or reserved_size>=<value>)`,
    ]);
  });

  it('takes at most 32 snapshots of a volume and 16 pools in a cluster', async () => {
    const { report } = await plan({
      t_storage_pool: Array.from({ length: 17 }, (_, i) => poolRow(pool(100 + i), { name: `p${i}` })),
      t_storage_pool_inventory: [inventory(pool(100))],
      t_volume_spec: [specRow(spec(1), pool(100))],
      t_volume: [volumeRow(vol(1), spec(1))],
      t_snapshot: Array.from({ length: 33 }, (_, i) => snapshotRow(snap(100 + i), vol(1))),
    });
    expect(report.problems).toEqual([
      { table: 't_cluster', uuid: CLUSTER, message: '17 storage pools in one cluster, this server holds at most 16' },
      { table: 't_volume', uuid: vol(1), message: '33 snapshots of one volume, this server holds at most 32' },
    ]);
  });
});
