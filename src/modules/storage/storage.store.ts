import type { EntityManager } from 'typeorm';
import { EntityRows } from '../../platform/database/entity-rows';
import { describeForeignKey, describeUniqueConstraint } from '../../platform/database/database-errors';
import { NotFoundError } from '../../platform/errors/domain-error';
import {
  SnapshotEntity,
  SnapshotRowEntity,
  StoragePoolEntity,
  VolumeEntity,
  VolumeRowEntity,
  VolumeSpecEntity,
} from './storage.entity';

describeUniqueConstraint('storage_pools_name_key', 'a storage pool with this name already exists in the cluster');
describeUniqueConstraint('volume_specs_name_key', 'a volume specification with this name already exists');
describeUniqueConstraint('cluster_volume_specs_pkey', 'the volume specification is already registered in this cluster');
// Other modules' deletes fail on these keys: deleteCluster, deleteHost, deleteImage.
describeForeignKey('storage_pools_cluster_uuid_fkey', 'the cluster still holds storage pools; delete them first');
describeForeignKey('volumes_host_uuid_fkey', 'the host still holds volumes; delete or move them first');
describeForeignKey('volumes_image_uuid_fkey', 'volumes were made from this image; delete them first');
// And this module's own deletes, where two requests race past the counts read under locks.
describeForeignKey('volume_specs_storage_pool_uuid_fkey', 'the storage pool still has volume specifications; delete them first');
describeForeignKey('volumes_storage_pool_uuid_fkey', 'the storage pool still holds volumes; delete them first');
describeForeignKey('volumes_volume_spec_uuid_fkey', 'volumes were made with this volume specification; delete them first');
describeForeignKey('cluster_volume_specs_spec_fkey', 'the volume specification is still registered in clusters; unregister it first');
describeForeignKey('snapshots_volume_uuid_fkey', 'the volume still has snapshots; delete them first');

export const POOL_ROWS = new EntityRows(StoragePoolEntity);
export const SPEC_ROWS = new EntityRows(VolumeSpecEntity);
export const VOLUME_TABLE_ROWS = new EntityRows(VolumeEntity);
export const VOLUME_ROWS = new EntityRows(VolumeRowEntity);
export const SNAPSHOT_TABLE_ROWS = new EntityRows(SnapshotEntity);
export const SNAPSHOT_ROWS = new EntityRows(SnapshotRowEntity);

/** Where a pool is addressed: `/v1/az/{AzUuid}/cluster/{ClusterUuid}/storage_pool/{StoragePoolUuid}`. */
export interface PoolPath {
  azUuid: string;
  clusterUuid: string;
  poolUuid: string;
}

function poolNotFound({ azUuid, clusterUuid, poolUuid }: PoolPath): NotFoundError {
  return new NotFoundError(`storage pool ${poolUuid} not found in cluster ${clusterUuid} of availability zone ${azUuid}`);
}

export async function findPool(manager: EntityManager, path: PoolPath, lock = false): Promise<StoragePoolEntity> {
  const pool = await POOL_ROWS.findOne(
    manager,
    { uuid: path.poolUuid, clusterUuid: path.clusterUuid, azUuid: path.azUuid },
    { lock },
  );
  if (!pool) throw poolNotFound(path);
  return pool;
}

/** A pool by uuid, its row locked until the commit; 404 when there is none. */
export async function lockPoolByUuid(manager: EntityManager, uuid: string): Promise<StoragePoolEntity> {
  const pool = await POOL_ROWS.findOne(manager, { uuid }, { lock: true });
  if (!pool) throw NotFoundError.of('storage pool', uuid);
  return pool;
}

export async function findSpec(manager: EntityManager, uuid: string, lock = false): Promise<VolumeSpecEntity> {
  const spec = await SPEC_ROWS.findOne(manager, { uuid }, { lock });
  if (!spec) throw NotFoundError.of('volume specification', uuid);
  return spec;
}

/** Where a volume is addressed: `/v1/az/{AzUuid}/cluster/{ClusterUuid}/volume/{VolumeUuid}`. */
export interface VolumePath {
  azUuid: string;
  clusterUuid: string;
  volumeUuid: string;
}

export function volumeNotFound(uuid: string, where = ''): NotFoundError {
  return new NotFoundError(`volume ${uuid} not found${where}`);
}

/** A volume's row, locked until the commit; 404 when there is none (at that path, when one is given). */
export async function lockVolume(manager: EntityManager, uuid: string, path?: Omit<VolumePath, 'volumeUuid'>): Promise<VolumeEntity> {
  const volume = await VOLUME_TABLE_ROWS.findOne(
    manager,
    path ? { uuid, clusterUuid: path.clusterUuid, azUuid: path.azUuid } : { uuid },
    { lock: true },
  );
  if (!volume) throw volumeNotFound(uuid, path ? ` in cluster ${path.clusterUuid} of availability zone ${path.azUuid}` : '');
  return volume;
}

/** A snapshot of that volume, its row locked until the commit; 404 when there is none. */
export async function lockSnapshot(manager: EntityManager, volumeUuid: string, uuid: string): Promise<SnapshotEntity> {
  const snapshot = await SNAPSHOT_TABLE_ROWS.findOne(manager, { uuid, volumeUuid }, { lock: true });
  if (!snapshot) throw new NotFoundError(`snapshot ${uuid} not found on volume ${volumeUuid}`);
  return snapshot;
}
