import type { TaskView } from '../hosts/task.port';
import type {
  ClusterVolumeSpecRelationView,
  ClusterVolumeSpecView,
  SnapshotView,
  StoragePoolView,
  VolumeSpecView,
  VolumeView,
} from './storage.contract';
import type {
  ClusterVolumeSpecEntity,
  ClusterVolumeSpecListing,
  SnapshotEntity,
  SnapshotRowEntity,
  StoragePoolEntity,
  VolumeEntity,
  VolumeRowEntity,
  VolumeSpecEntity,
} from './storage.entity';
import type { SnapshotState, StoragePoolState, VolumeSpecState, VolumeState } from './storage.events';

const iso = (date: Date | null): string | null => (date === null ? null : date.toISOString());

export function toStoragePoolState(pool: StoragePoolEntity): StoragePoolState {
  return {
    uuid: pool.uuid,
    name: pool.name,
    description: pool.description,
    az_uuid: pool.azUuid,
    cluster_uuid: pool.clusterUuid,
    type: pool.type,
    state: pool.state,
    meta: pool.meta,
    physical_size: pool.physicalSize,
    size_ratio: pool.sizeRatio,
    reserved_size: pool.reservedSize,
    total_size: pool.totalSize,
    created_at: pool.createdAt.toISOString(),
  };
}

export function toStoragePoolView(pool: StoragePoolEntity, clusterName: string): StoragePoolView {
  return Object.assign(toStoragePoolState(pool), { cluster_name: clusterName, used_size: pool.usedSize }); // see toClusterView
}

export function toVolumeSpecState(spec: VolumeSpecEntity): VolumeSpecState {
  return {
    uuid: spec.uuid,
    name: spec.name,
    description: spec.description,
    storage_pool_uuid: spec.storagePoolUuid,
    state: spec.state,
    min_iops: spec.minIops,
    max_iops: spec.maxIops,
    step_iops: spec.stepIops,
    min_throughput: spec.minThroughput,
    max_throughput: spec.maxThroughput,
    step_throughput: spec.stepThroughput,
    created_at: spec.createdAt.toISOString(),
  };
}

export function toVolumeSpecView(spec: VolumeSpecEntity, poolName: string): VolumeSpecView {
  return { ...toVolumeSpecState(spec), storage_pool_name: poolName, cluster_count: spec.clusterCount };
}

export function toClusterVolumeSpecView(row: ClusterVolumeSpecListing): ClusterVolumeSpecView {
  return {
    cluster_uuid: row.clusterUuid,
    volume_spec_uuid: row.volumeSpecUuid,
    volume_spec_name: row.name,
    min_iops: row.minIops,
    max_iops: row.maxIops,
    step_iops: row.stepIops,
    min_throughput: row.minThroughput,
    max_throughput: row.maxThroughput,
    step_throughput: row.stepThroughput,
    created_at: row.createdAt.toISOString(),
  };
}

export function toVolumeSpecRelationView(relation: ClusterVolumeSpecEntity): ClusterVolumeSpecRelationView {
  return {
    cluster_uuid: relation.clusterUuid,
    volume_spec_uuid: relation.volumeSpecUuid,
    created_at: relation.createdAt.toISOString(),
  };
}

export function toVolumeState(volume: VolumeEntity): VolumeState {
  return {
    uuid: volume.uuid,
    name: volume.name,
    description: volume.description,
    user_uuid: volume.userUuid,
    az_uuid: volume.azUuid,
    cluster_uuid: volume.clusterUuid,
    host_uuid: volume.hostUuid,
    storage_pool_uuid: volume.storagePoolUuid,
    storage_pool_type: volume.type,
    volume_spec_uuid: volume.volumeSpecUuid,
    image_uuid: volume.imageUuid ?? '',
    size: volume.size,
    iops: volume.iops,
    throughput: volume.throughput,
    format: volume.format,
    type: volume.type,
    root: volume.root,
    cdrom: volume.cdrom,
    install_path: volume.installPath,
    state: volume.state,
    operation: volume.operation,
    version: volume.dataVersion,
    parent_version: volume.parentVersion,
    snapshot_count: volume.snapshotCount,
    last_operation_name: volume.lastOperationName,
    last_operation_state: volume.lastOperationState,
    last_operation_created_at: iso(volume.lastOperationCreatedAt),
    last_operation_finished_at: iso(volume.lastOperationFinishedAt),
    created_at: volume.createdAt.toISOString(),
  };
}

/** What a volume's view names besides its own row: its host and image, as they are now. */
export interface VolumeNames {
  hostName: string;
  hostIp: string;
  imageName: string;
}

export function toVolumeView(
  volume: VolumeRowEntity,
  names: VolumeNames,
  detail: { snapshots?: SnapshotView[]; tasks?: TaskView[] } = {},
): VolumeView {
  return {
    ...toVolumeState(volume),
    host_name: names.hostName,
    host_ip: names.hostIp,
    storage_pool_name: volume.storagePoolName,
    spec_name: volume.specName,
    image_name: names.imageName,
    snapshots: detail.snapshots ?? [],
    attached_vms: [],
    tasks: detail.tasks ?? [],
  };
}

export function toSnapshotState(snapshot: SnapshotEntity): SnapshotState {
  return {
    uuid: snapshot.uuid,
    name: snapshot.name,
    description: snapshot.description,
    user_uuid: snapshot.userUuid,
    volume_uuid: snapshot.volumeUuid,
    volume_version: snapshot.volumeVersion,
    parent_volume_version: snapshot.parentVolumeVersion,
    state: snapshot.state,
    operation: snapshot.operation,
    last_operation_name: snapshot.lastOperationName,
    last_operation_state: snapshot.lastOperationState,
    last_operation_created_at: iso(snapshot.lastOperationCreatedAt),
    last_operation_finished_at: iso(snapshot.lastOperationFinishedAt),
    created_at: snapshot.createdAt.toISOString(),
  };
}

export function toSnapshotView(snapshot: SnapshotRowEntity, tasks: TaskView[] = []): SnapshotView {
  return Object.assign(toSnapshotState(snapshot), { volume_name: snapshot.volumeName, tasks }); // see toClusterView
}
