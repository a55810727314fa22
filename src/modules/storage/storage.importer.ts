import type { DomainEvent } from '@chime/event-log';
import { capacity } from '../../platform/domain/capacity';
import { UUID } from '../../platform/http/validation';
import {
  checkLimit,
  dtoProblems,
  occupiedBy,
  refuse,
  settleNames,
  sourceTime,
  sourceUuid,
  writeEach,
  type ImportContext,
  type Importer,
  type ImportWork,
} from '../../platform/import/importer';
import { checkReservation } from './commands/create-storage-pool';
import { checkSpecBounds } from './registrations';
import {
  SnapshotState,
  STORAGE_LIMITS,
  StoragePoolState,
  VolumeSpecState,
  VolumeState,
  type StoragePoolType,
} from './storage.contract';
import { CreateSnapshotDto, CreateStoragePoolDto, CreateVolumeDto, CreateVolumeSpecDto } from './storage.dto';
import {
  ClusterVolumeSpecEntity,
  SNAPSHOT_STREAM,
  SnapshotEntity,
  STORAGE_POOL_STREAM,
  StoragePoolEntity,
  VOLUME_SPEC_STREAM,
  VOLUME_STREAM,
  VolumeEntity,
  VolumeSpecEntity,
} from './storage.entity';
import { SnapshotCreated, StoragePoolCreated, VolumeCreated, VolumeSpecCreated, VolumeSpecRegistered } from './storage.events';
import { toSnapshotState, toStoragePoolState, toVolumeSpecState, toVolumeState } from './storage.view';

const POOLS = 't_storage_pool';
const INVENTORIES = 't_storage_pool_inventory';
const SPECS = 't_volume_spec';
const RELATIONS = 'r_cluster_volume_spec';
const VOLUMES = 't_volume';
const SNAPSHOTS = 't_snapshot';

/** ChimeStack's deleted rows: chime.sql documents 4 for specs, 5 for volumes and snapshots; both are seen. */
const DELETED = new Set([4, 5]);
/** `t_storage_pool.state`: 0 not available, 1 available (kept as they are). */
const POOL_STATES: Record<number, StoragePoolState> = { 0: StoragePoolState.Unavailable, 1: StoragePoolState.Available };
/** `t_volume_spec.state`: 1 available; 0 unavailable and 2 suspended come in without their registrations. */
const SPEC_AVAILABLE = 1;
const SPEC_NOT_OFFERED = new Set([0, 2]);
/** `t_volume.state` 5 is deleted; 0 (being created) comes in failed; 3 (reserved) is available here. */
const VOLUME_STATES: Record<number, VolumeState> = {
  1: VolumeState.Available,
  2: VolumeState.InUse,
  3: VolumeState.Available,
  10: VolumeState.Failed,
};
const VOLUME_DELETED = 5;
/** `t_snapshot.state`: 0 unavailable (being taken) comes in failed, 1 available, 5 deleted, 10 failed. */
const SNAPSHOT_STATES: Record<number, SnapshotState> = { 1: SnapshotState.Available, 10: SnapshotState.Failed };
const SNAPSHOT_DELETED = 5;

interface PoolSourceRow {
  uuid: string;
  az_uuid: string;
  cluster_uuid: string | null;
  name: string;
  type: number;
  state: number;
  description: string | null;
  meta: string | null;
  created_at: string | null;
}

/** `storage_pool_uuid` is read as `uuid`, so that `--set t_storage_pool_inventory:<pool uuid>.<column>=…` finds the row. */
interface InventorySourceRow {
  uuid: string;
  total_size: number;
  used_size: number;
  physical_size: number;
  reserved_size: number;
}

interface SpecSourceRow {
  uuid: string;
  storage_pool_uuid: string | null;
  name: string;
  state: number;
  min_iops: number;
  max_iops: number;
  step_iops: number;
  min_throughput: number;
  max_throughput: number;
  step_throughput: number;
  description: string | null;
  created_at: string | null;
}

interface RelationSourceRow {
  cluster_uuid: string;
  volume_spec_uuid: string;
  created_at: string | null;
}

interface VolumeSourceRow {
  uuid: string;
  name: string;
  user_uuid: string;
  az_uuid: string;
  cluster_uuid: string | null;
  host_uuid: string | null;
  volume_spec_uuid: string | null;
  size: number;
  iops: number;
  throughput: number;
  install_path: string;
  state: number;
  operation: string;
  root: number;
  cdrom: number;
  image_uuid: string;
  description: string | null;
  created_at: string | null;
  version: number;
  parent_version: number;
  format: string;
  type: number;
}

interface SnapshotSourceRow {
  uuid: string;
  name: string;
  user_uuid: string;
  volume_uuid: string;
  volume_version: number;
  parent_volume_version: number;
  state: number;
  operation: string;
  description: string | null;
  created_at: string | null;
}

/** Nothing runs on an imported volume or snapshot, and no task of it is known here. */
const IDLE = {
  operation: '',
  lastOperationName: '',
  lastOperationState: 0 as const,
  lastOperationCreatedAt: null,
  lastOperationFinishedAt: null,
};

/**
 * ChimeStack's `t_storage_pool` (+ `t_storage_pool_inventory`), `t_volume_spec`,
 * `r_cluster_volume_spec`, `t_volume` and `t_snapshot` → storage pools, volume specs and their
 * registrations, volumes and snapshots, after the clusters, hosts, users and images they refer to.
 * Deleted rows (4, 5) are skipped with what is under them. A pool's ratio is derived from its
 * inventory (ChimeStack keeps total = physical × ratio − reserved) and its total is capacity()'s;
 * what its volumes claim (`used_size`, `volume_count`) is recomputed from the volumes imported, as
 * createVolume keeps it. Nothing runs after an import: `operation` is cleared, a volume or snapshot
 * being created there comes in failed (10), and no task is made.
 */
export const STORAGE_IMPORTER: Importer = {
  name: 'storage',
  after: ['clusters', 'hosts', 'identity', 'images'],
  occupied: (manager) => occupiedBy(manager, StoragePoolEntity, 'storage pools'),
  async plan(context: ImportContext): Promise<ImportWork> {
    const { pools, sourceUsed } = await planPools(context);
    const { specs, relations } = await planSpecs(context, pools);
    const volumes = await planVolumes(context, pools, specs);
    const snapshots = await planSnapshots(context, volumes);
    settleClaims(context, pools, sourceUsed, volumes, snapshots);

    const poolWork = writeEach(POOLS, [...pools.values()], async (tx, pool) => {
      await tx.manager.insert(StoragePoolEntity, pool);
      await tx.append({ type: STORAGE_POOL_STREAM, id: pool.uuid }, 0, [new StoragePoolCreated(toStoragePoolState(pool))]);
    });
    const specWork = writeEach(SPECS, [...specs.values()], async (tx, spec) => {
      const registered = relations.get(spec.uuid) ?? [];
      await tx.manager.insert(VolumeSpecEntity, spec);
      if (registered.length > 0) await tx.manager.insert(ClusterVolumeSpecEntity, registered);
      const events: DomainEvent[] = [
        new VolumeSpecCreated(toVolumeSpecState(spec)),
        ...registered.map(
          (relation) =>
            new VolumeSpecRegistered({
              uuid: spec.uuid,
              cluster_uuid: relation.clusterUuid,
              created_at: relation.createdAt.toISOString(),
            }),
        ),
      ];
      await tx.append({ type: VOLUME_SPEC_STREAM, id: spec.uuid }, 0, events);
    });
    const volumeWork = writeEach(VOLUMES, [...volumes.values()], async (tx, volume) => {
      await tx.manager.insert(VolumeEntity, volume);
      await tx.append({ type: VOLUME_STREAM, id: volume.uuid }, 0, [new VolumeCreated(toVolumeState(volume))]);
    });
    const snapshotWork = writeEach(SNAPSHOTS, snapshots, async (tx, snapshot) => {
      await tx.manager.insert(SnapshotEntity, snapshot);
      await tx.append({ type: SNAPSHOT_STREAM, id: snapshot.uuid }, 0, [new SnapshotCreated(toSnapshotState(snapshot))]);
    });
    const works = [poolWork, specWork, volumeWork, snapshotWork];
    return {
      rows: works.reduce((sum, work) => sum + work.rows, 0),
      async write(tx, done) {
        for (const work of works) await work.write(tx, done);
      },
    };
  },
};

/**
 * The over-allocation ratio a pool's inventory implies: ChimeStack keeps total = physical × ratio −
 * reserved, so ratio = (total + reserved) / physical, 1 when the pool has no physical size. As the
 * hosts importer does for its ratios, the quotient is nudged up by the last bit where floating
 * point would otherwise give a total one below ChimeStack's here.
 */
export function poolRatio(total: number, reserved: number, physical: number): number {
  if (physical === 0) return 1;
  let ratio = (total + reserved) / physical;
  for (let nudges = 0; nudges < 4 && capacity(physical, ratio, reserved) < total; nudges++) ratio += ratio * Number.EPSILON;
  return ratio;
}

async function planPools(
  context: ImportContext,
): Promise<{ pools: Map<string, StoragePoolEntity>; sourceUsed: Map<string, number> }> {
  const rows = await context.source.select<PoolSourceRow>(POOLS, [
    'uuid',
    'az_uuid',
    'cluster_uuid',
    'name',
    'type',
    'state',
    'description',
    'meta',
    'created_at',
  ]);
  const inventoryRows = await context.source.select<InventorySourceRow>(
    INVENTORIES,
    ['storage_pool_uuid AS uuid', 'total_size', 'used_size', 'physical_size', 'reserved_size'],
    'storage_pool_uuid',
  );
  const inventories = new Map<string, InventorySourceRow>();
  for (const row of inventoryRows) {
    const uuid = sourceUuid(context, INVENTORIES, row.uuid);
    if (uuid) inventories.set(uuid, row);
  }
  const seen = new Set<string>();
  const skipInventory = (uuid: string) => {
    if (inventories.has(uuid)) context.report.skip(INVENTORIES, uuid, 'its storage pool is skipped');
  };
  const live: {
    row: PoolSourceRow;
    uuid: string;
    clusterUuid: string;
    azUuid: string;
    state: StoragePoolState;
    createdAt: Date;
  }[] = [];
  for (const row of rows) {
    const uuid = sourceUuid(context, POOLS, row.uuid);
    if (!uuid) continue;
    seen.add(uuid);
    if (DELETED.has(row.state)) {
      context.report.skip(POOLS, uuid, `deleted in ChimeStack (state ${row.state})`);
      context.ids.skipped('storage_pool', uuid);
      skipInventory(uuid);
      continue;
    }
    const state = POOL_STATES[row.state];
    if (state === undefined) {
      context.report.problem(POOLS, uuid, `unknown state ${row.state}`);
      continue;
    }
    if (!row.cluster_uuid) {
      context.report.skip(POOLS, uuid, 'in no cluster (cluster_uuid NULL); storage pools here belong to a cluster');
      context.ids.skipped('storage_pool', uuid);
      skipInventory(uuid);
      continue;
    }
    const cluster = context.ids.parent(context, { table: POOLS, uuid, kind: 'storage_pool' }, 'cluster', row.cluster_uuid);
    if (!cluster) {
      skipInventory(uuid);
      continue;
    }
    if (cluster.az_uuid !== (row.az_uuid ?? '').toLowerCase()) {
      context.report.problem(POOLS, uuid, `az_uuid ${row.az_uuid} is not the AZ of its cluster ${row.cluster_uuid}`);
      continue;
    }
    live.push({
      row,
      uuid,
      clusterUuid: row.cluster_uuid.toLowerCase(),
      azUuid: cluster.az_uuid,
      state,
      createdAt: sourceTime(row.created_at, context),
    });
  }
  for (const uuid of inventories.keys()) {
    if (!seen.has(uuid)) context.report.skip(INVENTORIES, uuid, `no storage pool of this uuid in ${POOLS}`);
  }
  const names = settleNames(
    context,
    POOLS,
    live.map(({ row, uuid, clusterUuid, createdAt }) => ({ uuid, name: row.name, createdAt, clusterUuid })),
    (row) => row.clusterUuid,
  );
  const pools = new Map<string, StoragePoolEntity>();
  for (const { row, uuid, clusterUuid, azUuid, state, createdAt } of live) {
    const inventory = inventories.get(uuid);
    const name = names.get(uuid)!;
    const description = row.description ?? '';
    const meta = row.meta ?? '';
    const problems = dtoProblems(CreateStoragePoolDto, {
      name,
      description,
      // ChimeStack's default meta is "": agents take their default paths for it (as for any key missing).
      ...(meta === '' ? {} : { meta }),
      type: row.type,
      physical_size: 0,
    });
    if (problems.length > 0) {
      refuse(context, POOLS, uuid, problems, name);
      continue;
    }
    const sizes = planSizes(context, uuid, inventory);
    if (!sizes) continue;
    pools.set(uuid, {
      uuid,
      azUuid,
      clusterUuid,
      name,
      description,
      type: row.type as StoragePoolType,
      state,
      meta,
      ...sizes,
      usedSize: 0,
      volumeCount: 0,
      version: 1,
      createdAt,
    });
    context.ids.add('storage_pool', uuid, { az_uuid: azUuid, cluster_uuid: clusterUuid });
  }
  checkLimit(
    context,
    't_cluster',
    [...pools.values()].map((pool) => pool.clusterUuid),
    STORAGE_LIMITS.poolsPerCluster,
    'storage pools in one cluster',
  );
  context.report.count(POOLS, pools.size);
  context.report.count(INVENTORIES, [...pools.keys()].filter((uuid) => inventories.has(uuid)).length);
  const sourceUsed = new Map([...pools.keys()].map((uuid) => [uuid, Number(inventories.get(uuid)?.used_size ?? 0)]));
  return { pools, sourceUsed };
}

type Sizes = Pick<StoragePoolEntity, 'physicalSize' | 'sizeRatio' | 'reservedSize' | 'totalSize'>;

/**
 * A pool's sizes from its inventory, checked as createStoragePool checks them (ratio 0.01–100, no
 * more reserved than the pool has). Its total is capacity()'s, as every later change of the pool
 * computes it; a note says when that is not ChimeStack's. A pool without an inventory row has no
 * size (ratio 1, nothing reserved), with a note.
 */
function planSizes(context: ImportContext, uuid: string, inventory: InventorySourceRow | undefined): Sizes | undefined {
  if (!inventory) {
    context.report.notes.push(`${POOLS} ${uuid}: no ${INVENTORIES} row; no size (ratio 1, nothing reserved) until it is edited`);
    return { physicalSize: 0, sizeRatio: 1, reservedSize: 0, totalSize: 0 };
  }
  const physicalSize = Number(inventory.physical_size);
  const reservedSize = Number(inventory.reserved_size);
  const sourceTotal = Number(inventory.total_size);
  const sizeRatio = poolRatio(sourceTotal, reservedSize, physicalSize);
  const problems = dtoProblems(CreateStoragePoolDto, {
    name: 'pool',
    physical_size: physicalSize,
    reserved_size: reservedSize,
    size_ratio: sizeRatio,
  });
  for (const column of ['total_size', 'used_size'] as const) {
    const value = Number(inventory[column]);
    if (!Number.isSafeInteger(value) || value < 0) problems.push(`${column} must be 0 or more`);
  }
  try {
    checkReservation(physicalSize, reservedSize);
  } catch (error) {
    problems.push((error as Error).message);
  }
  if (problems.length > 0) {
    context.report.problem(
      INVENTORIES,
      uuid,
      `${problems.join('; ')} (size_ratio = (total_size + reserved_size) / physical_size; ` +
        `fix with --set ${INVENTORIES}:${uuid}.<column>=<value>)`,
    );
    return undefined;
  }
  const totalSize = capacity(physicalSize, sizeRatio, reservedSize);
  if (totalSize !== sourceTotal) {
    context.report.notes.push(
      `${INVENTORIES} ${uuid}: total_size ${totalSize} here (floor(physical_size × size_ratio) − reserved_size), ${sourceTotal} in ChimeStack`,
    );
  }
  return { physicalSize, sizeRatio, reservedSize, totalSize };
}

async function planSpecs(
  context: ImportContext,
  pools: Map<string, StoragePoolEntity>,
): Promise<{ specs: Map<string, VolumeSpecEntity>; relations: Map<string, ClusterVolumeSpecEntity[]> }> {
  const rows = await context.source.select<SpecSourceRow>(SPECS, [
    'uuid',
    'storage_pool_uuid',
    'name',
    'state',
    'min_iops',
    'max_iops',
    'step_iops',
    'min_throughput',
    'max_throughput',
    'step_throughput',
    'description',
    'created_at',
  ]);
  /** Specs not offered in ChimeStack (unavailable, suspended): imported for their volumes, registered nowhere. */
  const notOffered = new Set<string>();
  const live: { row: SpecSourceRow; uuid: string; poolUuid: string; createdAt: Date }[] = [];
  for (const row of rows) {
    const uuid = sourceUuid(context, SPECS, row.uuid);
    if (!uuid) continue;
    if (DELETED.has(row.state)) {
      context.report.skip(SPECS, uuid, `deleted in ChimeStack (state ${row.state})`);
      context.ids.skipped('volume_spec', uuid);
      continue;
    }
    if (row.state !== SPEC_AVAILABLE && !SPEC_NOT_OFFERED.has(row.state)) {
      context.report.problem(SPECS, uuid, `unknown state ${row.state}`);
      continue;
    }
    if (!context.ids.parent(context, { table: SPECS, uuid, kind: 'volume_spec' }, 'storage_pool', row.storage_pool_uuid))
      continue;
    if (SPEC_NOT_OFFERED.has(row.state)) {
      notOffered.add(uuid);
      context.report.notes.push(
        `${SPECS} ${uuid}: ${row.state === 0 ? 'unavailable' : 'suspended'} in ChimeStack (state ${row.state}); specs here have ` +
          'no such state: it comes in for its volumes, registered in no cluster, so no new volume gets it',
      );
    }
    live.push({ row, uuid, poolUuid: row.storage_pool_uuid!.toLowerCase(), createdAt: sourceTime(row.created_at, context) });
  }
  const names = settleNames(
    context,
    SPECS,
    live.map(({ row, uuid, createdAt }) => ({ uuid, name: row.name, createdAt })),
  );
  const specs = new Map<string, VolumeSpecEntity>();
  for (const { row, uuid, poolUuid, createdAt } of live) {
    const spec: VolumeSpecEntity = {
      uuid,
      name: names.get(uuid)!,
      description: row.description ?? '',
      storagePoolUuid: poolUuid,
      state: VolumeSpecState.Available,
      minIops: Number(row.min_iops),
      maxIops: Number(row.max_iops),
      stepIops: Number(row.step_iops),
      minThroughput: Number(row.min_throughput),
      maxThroughput: Number(row.max_throughput),
      stepThroughput: Number(row.step_throughput),
      clusterCount: 0,
      version: 1,
      createdAt,
    };
    const state = toVolumeSpecState(spec);
    const problems = dtoProblems(CreateVolumeSpecDto, { ...state, storage_pool_uuid: poolUuid });
    try {
      checkSpecBounds(state);
    } catch (error) {
      problems.push((error as Error).message);
    }
    if (problems.length > 0) {
      refuse(context, SPECS, uuid, problems, spec.name);
      continue;
    }
    specs.set(uuid, spec);
    context.ids.add('volume_spec', uuid, { storage_pool_uuid: poolUuid });
  }
  context.report.count(SPECS, specs.size);

  const relations = new Map<string, ClusterVolumeSpecEntity[]>();
  context.report.count(RELATIONS, 0);
  const relationRows = await context.source.select<RelationSourceRow>(
    RELATIONS,
    ['cluster_uuid', 'volume_spec_uuid', 'created_at'],
    'created_at, cluster_uuid, volume_spec_uuid',
  );
  for (const row of relationRows) {
    const label = { table: RELATIONS, uuid: `${row.cluster_uuid}/${row.volume_spec_uuid}` };
    if (!context.ids.parent(context, label, 'cluster', row.cluster_uuid)) continue;
    if (!context.ids.parent(context, label, 'volume_spec', row.volume_spec_uuid)) continue;
    const clusterUuid = row.cluster_uuid.toLowerCase();
    const spec = specs.get(row.volume_spec_uuid.toLowerCase());
    // A spec refused above is a problem already: the import stops.
    if (!spec) continue;
    if (notOffered.has(spec.uuid)) {
      context.report.skip(RELATIONS, label.uuid, 'its volume spec is not available in ChimeStack');
      continue;
    }
    const pool = pools.get(spec.storagePoolUuid)!;
    if (pool.clusterUuid !== clusterUuid) {
      context.report.skip(
        RELATIONS,
        label.uuid,
        `its spec's storage pool ${pool.uuid} is in cluster ${pool.clusterUuid}; a spec is registered only in its pool's cluster here`,
      );
      continue;
    }
    const registered = relations.get(spec.uuid) ?? [];
    registered.push({ clusterUuid, volumeSpecUuid: spec.uuid, createdAt: sourceTime(row.created_at, context) });
    relations.set(spec.uuid, registered);
    context.report.count(RELATIONS);
  }
  for (const [uuid, registered] of relations) {
    const spec = specs.get(uuid)!;
    spec.clusterCount = registered.length;
    spec.version = 1 + registered.length;
  }
  checkLimit(
    context,
    't_cluster',
    [...relations.values()].flat().map((relation) => relation.clusterUuid),
    STORAGE_LIMITS.volumeSpecsPerCluster,
    'volume specifications in one cluster',
  );
  return { specs, relations };
}

async function planVolumes(
  context: ImportContext,
  pools: Map<string, StoragePoolEntity>,
  specs: Map<string, VolumeSpecEntity>,
): Promise<Map<string, VolumeEntity>> {
  const rows = await context.source.select<VolumeSourceRow>(VOLUMES, [
    'uuid',
    'name',
    'user_uuid',
    'az_uuid',
    'cluster_uuid',
    'host_uuid',
    'volume_spec_uuid',
    'size',
    'iops',
    'throughput',
    'install_path',
    'state',
    'operation',
    'root',
    'cdrom',
    'image_uuid',
    'description',
    'created_at',
    'version',
    'parent_version',
    'format',
    'type',
  ]);
  const volumes = new Map<string, VolumeEntity>();
  for (const row of rows) {
    const uuid = sourceUuid(context, VOLUMES, row.uuid);
    if (!uuid) continue;
    const volume = planVolume(context, uuid, row, pools, specs);
    if (!volume) continue;
    volumes.set(uuid, volume);
    context.ids.add('volume', uuid);
  }
  context.report.count(VOLUMES, volumes.size);
  return volumes;
}

function planVolume(
  context: ImportContext,
  uuid: string,
  row: VolumeSourceRow,
  pools: Map<string, StoragePoolEntity>,
  specs: Map<string, VolumeSpecEntity>,
): VolumeEntity | undefined {
  const label = { table: VOLUMES, uuid, kind: 'volume' };
  if (row.state === VOLUME_DELETED) {
    context.report.skip(VOLUMES, uuid, `deleted in ChimeStack (state ${row.state})`);
    context.ids.skipped('volume', uuid);
    return undefined;
  }
  let state: VolumeState | undefined = VOLUME_STATES[row.state];
  if (row.state === 0) {
    state = VolumeState.Failed;
    context.report.notes.push(
      `${VOLUMES} ${uuid}: being created in ChimeStack (state 0); no task runs here, so it comes in failed (10), claiming nothing: delete it and create it again`,
    );
  } else if (row.state === 3) {
    context.report.notes.push(`${VOLUMES} ${uuid}: reserved in ChimeStack (state 3); it comes in available (1)`);
  }
  if (state === undefined) {
    context.report.problem(
      VOLUMES,
      uuid,
      `unknown state ${row.state}: it would come in failed (10), claiming nothing; ` +
        `say what it is with --set ${VOLUMES}:${uuid}.state=<0, 1, 2 or 10>`,
    );
    return undefined;
  }
  // Its parents, in the order of the foreign keys: host, spec (and the spec's pool), user.
  const host = context.ids.parent(context, label, 'host', row.host_uuid);
  if (!host) return undefined;
  const specFacts = context.ids.parent(context, label, 'volume_spec', row.volume_spec_uuid);
  if (!specFacts) return undefined;
  const spec = specs.get(row.volume_spec_uuid!.toLowerCase());
  const pool = spec && pools.get(spec.storagePoolUuid);
  // A spec or pool refused above is a problem already: the import stops.
  if (!spec || !pool) return undefined;
  const userUuid = (row.user_uuid ?? '').toLowerCase();
  if (!UUID.test(userUuid)) {
    // ChimeStack's column defaults to "admin": whose volume it is must be said, not guessed.
    context.report.problem(
      VOLUMES,
      uuid,
      `user_uuid "${row.user_uuid}" is not a user's uuid (fix with --set ${VOLUMES}:${uuid}.user_uuid=<uuid>)`,
    );
    return undefined;
  }
  if (!context.ids.get('user', userUuid)) {
    context.report.skip(VOLUMES, uuid, `its user ${row.user_uuid} is not imported`);
    context.ids.skipped('volume', uuid);
    return undefined;
  }
  const problems: string[] = [];
  const clusterUuid = (row.cluster_uuid ?? host.cluster_uuid).toLowerCase();
  if (clusterUuid !== host.cluster_uuid || (row.az_uuid ?? '').toLowerCase() !== host.az_uuid) {
    problems.push(`its host ${row.host_uuid} is in cluster ${host.cluster_uuid} of AZ ${host.az_uuid}, not in its own`);
  }
  if (pool.clusterUuid !== host.cluster_uuid) {
    problems.push(
      `its spec's storage pool ${pool.uuid} is in cluster ${pool.clusterUuid}, not in its host's ${host.cluster_uuid}`,
    );
  }
  if (row.type !== pool.type) problems.push(`type ${row.type} is not its storage pool's type ${pool.type}`);
  for (const column of ['root', 'cdrom'] as const) {
    if (row[column] !== 0 && row[column] !== 1) problems.push(`${column} must be 0 or 1`);
  }
  for (const column of ['iops', 'throughput', 'version', 'parent_version'] as const) {
    if (!Number.isSafeInteger(Number(row[column])) || (column !== 'parent_version' && Number(row[column]) < 0)) {
      problems.push(`${column} must be ${column === 'parent_version' ? 'an integer' : '0 or more'}`);
    }
  }
  const name = row.name;
  const description = row.description ?? '';
  problems.push(
    ...dtoProblems(CreateVolumeDto, {
      name,
      description,
      size: Number(row.size),
      volume_spec_uuid: spec.uuid,
    }),
  );
  if (problems.length > 0) {
    refuse(context, VOLUMES, uuid, problems, name);
    return undefined;
  }
  let imageUuid: string | null = (row.image_uuid ?? '').toLowerCase() || null;
  if (imageUuid && !context.ids.get('image', imageUuid)) {
    context.report.notes.push(
      `${VOLUMES} ${uuid}: made from image ${imageUuid}, which is not imported (deleted in ChimeStack?); it comes in made from no image`,
    );
    imageUuid = null;
  }
  if (row.operation) {
    context.report.notes.push(
      `${VOLUMES} ${uuid}: "${row.operation}" was under way in ChimeStack; nothing runs after an import, cleared`,
    );
  }
  return {
    uuid,
    name,
    description,
    userUuid,
    azUuid: host.az_uuid,
    clusterUuid: host.cluster_uuid,
    hostUuid: (row.host_uuid ?? '').toLowerCase(),
    storagePoolUuid: pool.uuid,
    volumeSpecUuid: spec.uuid,
    imageUuid,
    size: Number(row.size),
    iops: Number(row.iops),
    throughput: Number(row.throughput),
    format: row.format ?? '',
    type: pool.type,
    root: row.root as 0 | 1,
    cdrom: row.cdrom as 0 | 1,
    installPath: row.install_path ?? '',
    state,
    ...IDLE,
    dataVersion: Number(row.version),
    parentVersion: Number(row.parent_version),
    snapshotCount: 0,
    version: 1,
    createdAt: sourceTime(row.created_at, context),
  };
}

async function planSnapshots(context: ImportContext, volumes: Map<string, VolumeEntity>): Promise<SnapshotEntity[]> {
  const rows = await context.source.select<SnapshotSourceRow>(SNAPSHOTS, [
    'uuid',
    'name',
    'user_uuid',
    'volume_uuid',
    'volume_version',
    'parent_volume_version',
    'state',
    'operation',
    'description',
    'created_at',
  ]);
  const snapshots: SnapshotEntity[] = [];
  for (const row of rows) {
    const uuid = sourceUuid(context, SNAPSHOTS, row.uuid);
    if (!uuid) continue;
    if (row.state === SNAPSHOT_DELETED) {
      context.report.skip(SNAPSHOTS, uuid, `deleted in ChimeStack (state ${row.state})`);
      continue;
    }
    let state: SnapshotState | undefined = SNAPSHOT_STATES[row.state];
    if (row.state === 0) {
      state = SnapshotState.Failed;
      context.report.notes.push(
        `${SNAPSHOTS} ${uuid}: being taken in ChimeStack (state 0); no task runs here, so it comes in failed (10): delete it and take it again`,
      );
    }
    if (state === undefined) {
      context.report.problem(
        SNAPSHOTS,
        uuid,
        `unknown state ${row.state} (fix with --set ${SNAPSHOTS}:${uuid}.state=<0, 1 or 10>)`,
      );
      continue;
    }
    if (!context.ids.parent(context, { table: SNAPSHOTS, uuid }, 'volume', row.volume_uuid)) continue;
    // A volume refused above is a problem already: the import stops.
    const volume = volumes.get(row.volume_uuid.toLowerCase());
    if (!volume) continue;
    const description = row.description ?? '';
    const problems = dtoProblems(CreateSnapshotDto, { name: row.name, description });
    for (const column of ['volume_version', 'parent_volume_version'] as const) {
      if (!Number.isSafeInteger(Number(row[column]))) problems.push(`${column} must be an integer`);
    }
    if (problems.length > 0) {
      refuse(context, SNAPSHOTS, uuid, problems, row.name);
      continue;
    }
    if ((row.user_uuid ?? '').toLowerCase() !== volume.userUuid) {
      context.report.notes.push(
        `${SNAPSHOTS} ${uuid}: user_uuid ${row.user_uuid} is not its volume's owner; a snapshot here is its volume's owner's`,
      );
    }
    if (row.operation) {
      context.report.notes.push(
        `${SNAPSHOTS} ${uuid}: "${row.operation}" was under way in ChimeStack; nothing runs after an import, cleared`,
      );
    }
    snapshots.push({
      uuid,
      name: row.name,
      description,
      userUuid: volume.userUuid,
      volumeUuid: volume.uuid,
      volumeVersion: Number(row.volume_version),
      parentVolumeVersion: Number(row.parent_volume_version),
      state,
      ...IDLE,
      version: 1,
      createdAt: sourceTime(row.created_at, context),
    });
  }
  context.report.count(SNAPSHOTS, snapshots.length);
  return snapshots;
}

/**
 * What the volumes claim, as createVolume keeps it: each pool's `used_size` is the sum of its
 * volumes that are not failed, its `volume_count` every volume (failed ones too, until deleted);
 * each volume's `snapshot_count` its snapshots. The recomputation wins over ChimeStack's
 * `used_size` (a note says when they differ): deleting a volume gives back exactly what it claims.
 * Volumes claiming more than a pool's total is a problem: nothing here may hold more than its total.
 */
function settleClaims(
  context: ImportContext,
  pools: Map<string, StoragePoolEntity>,
  sourceUsed: Map<string, number>,
  volumes: Map<string, VolumeEntity>,
  snapshots: SnapshotEntity[],
): void {
  for (const volume of volumes.values()) {
    const pool = pools.get(volume.storagePoolUuid)!;
    pool.volumeCount++;
    if (volume.state !== VolumeState.Failed) pool.usedSize += volume.size;
  }
  for (const snapshot of snapshots) volumes.get(snapshot.volumeUuid)!.snapshotCount++;
  checkLimit(
    context,
    VOLUMES,
    snapshots.map((snapshot) => snapshot.volumeUuid),
    STORAGE_LIMITS.snapshotsPerVolume,
    'snapshots of one volume',
  );
  for (const pool of pools.values()) {
    const used = sourceUsed.get(pool.uuid) ?? 0;
    if (used !== pool.usedSize) {
      context.report.notes.push(
        `${INVENTORIES} ${pool.uuid}: used_size ${pool.usedSize} here (what its imported volumes that are not failed claim), ${used} in ChimeStack`,
      );
    }
    if (pool.usedSize > pool.totalSize) {
      context.report.problem(
        INVENTORIES,
        pool.uuid,
        `its volumes claim ${pool.usedSize} bytes, more than its total_size ${pool.totalSize} here ` +
          `(fix with --set ${INVENTORIES}:${pool.uuid}.<physical_size, total_size or reserved_size>=<value>)`,
      );
    }
  }
}
