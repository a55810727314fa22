/**
 * Storage (ChimeStack's StoragePool, VolumeSpec and Volume families): the wire types of this
 * module, shared by its DTOs, views and events. Field names and numbers follow ChimeStack's
 * published API and chime.sql (`t_storage_pool`, `t_volume_spec`, `t_volume`, `t_snapshot`).
 */
import type { TaskView } from '../hosts/task.port';
import type { OperationState } from '../../platform/domain/operations';

/** `t_storage_pool.type`: `0` local (each host's own disk), `1` iSCSI, `2` Ceph. */
export enum StoragePoolType {
  Local = 0,
  Iscsi = 1,
  Ceph = 2,
}
export const STORAGE_POOL_TYPES = [StoragePoolType.Local, StoragePoolType.Iscsi, StoragePoolType.Ceph] as const;

/** `t_storage_pool.state`: `1` available (every pool this server creates). */
export enum StoragePoolState {
  Unavailable = 0,
  Available = 1,
}

/** `t_volume_spec.state`: `1` available (every spec). */
export enum VolumeSpecState {
  Available = 1,
}

/**
 * `t_volume.state`: `0` unavailable (being created), `1` available, `2` in use (attached to a VM),
 * `10` failed (its creation failed; nothing is claimed for it).
 */
export enum VolumeState {
  Unavailable = 0,
  Available = 1,
  InUse = 2,
  Failed = 10,
}
export const VOLUME_STATES = [VolumeState.Unavailable, VolumeState.Available, VolumeState.InUse, VolumeState.Failed] as const;

/** `t_snapshot.state`: `0` unavailable (being taken), `1` available, `10` failed. */
export enum SnapshotState {
  Unavailable = 0,
  Available = 1,
  Failed = 10,
}
export const SNAPSHOT_STATES = [SnapshotState.Unavailable, SnapshotState.Available, SnapshotState.Failed] as const;


export const GIB = 2 ** 30;

/** Platform limits (Usage/limit.md), and the bounds of sizes this server takes. */
export const STORAGE_LIMITS = {
  poolsPerCluster: 16,
  volumeSpecsPerCluster: 32,
  snapshotsPerVolume: 32,
  /** A pool's physical size: at most 1 EiB, far below 2^53. */
  maxPoolSize: 2 ** 60,
  maxRatio: 100,
  /** A volume: whole GiB, 1 GiB to 64 TiB. */
  maxVolumeSize: 64 * 2 ** 40,
  maxIops: 10_000_000,
  /** Bytes per second: 1 TiB/s. */
  maxThroughput: 2 ** 40,
  maxMeta: 4096,
} as const;

export interface StoragePoolView {
  uuid: string;
  name: string;
  description: string;
  az_uuid: string;
  cluster_uuid: string;
  cluster_name: string;
  type: StoragePoolType;
  state: StoragePoolState;
  /** The pool's details as the agents read them (a JSON text: `backend_path`, `image_cache_path`). */
  meta: string;
  physical_size: number;
  size_ratio: number;
  reserved_size: number;
  /** floor(physical_size × size_ratio) − reserved_size: what volumes may claim. */
  total_size: number;
  /** What the pool's volumes claim. */
  used_size: number;
  created_at: string;
}

export interface CreateStoragePoolRequest {
  name: string;
  description?: string;
  meta?: string;
  physical_size: number;
  reserved_size?: number;
  size_ratio?: number;
  type?: StoragePoolType;
}
export type UpdateStoragePoolRequest = Partial<CreateStoragePoolRequest>;

export const STORAGE_POOL_SORTABLE = ['name', 'type', 'state', 'physical_size', 'total_size', 'used_size', 'created_at'] as const;

export interface StoragePoolStatisticView {
  storage_pools: number;
  volumes: number;
  physical_size: number;
  reserved_size: number;
  total_size: number;
  used_size: number;
  free_size: number;
}

export interface VolumeSpecView {
  uuid: string;
  name: string;
  description: string;
  storage_pool_uuid: string;
  storage_pool_name: string;
  state: VolumeSpecState;
  min_iops: number;
  max_iops: number;
  step_iops: number;
  min_throughput: number;
  max_throughput: number;
  step_throughput: number;
  cluster_count: number;
  created_at: string;
}

export interface CreateVolumeSpecRequest {
  name: string;
  description?: string;
  storage_pool_uuid: string;
  min_iops: number;
  max_iops: number;
  step_iops: number;
  min_throughput: number;
  max_throughput: number;
  step_throughput: number;
}
export type UpdateVolumeSpecRequest = Partial<CreateVolumeSpecRequest>;

export const VOLUME_SPEC_SORTABLE = ['name', 'cluster_count', 'max_iops', 'max_throughput', 'created_at'] as const;

export interface ClusterVolumeSpecView {
  cluster_uuid: string;
  volume_spec_uuid: string;
  volume_spec_name: string;
  min_iops: number;
  max_iops: number;
  step_iops: number;
  min_throughput: number;
  max_throughput: number;
  step_throughput: number;
  created_at: string;
}

export interface ClusterVolumeSpecRelationView {
  cluster_uuid: string;
  volume_spec_uuid: string;
  created_at: string;
}

export interface CreateClusterVolumeSpecRequest {
  volume_spec_uuid: string;
}

export const CLUSTER_VOLUME_SPEC_SORTABLE = ['name', 'created_at'] as const;

export interface SnapshotView {
  uuid: string;
  name: string;
  description: string;
  user_uuid: string;
  volume_uuid: string;
  volume_name: string;
  /** The volume's version the snapshot keeps. */
  volume_version: number;
  parent_volume_version: number;
  state: SnapshotState;
  /** What runs on it now (`Creating#<request id>`), "" when nothing: one thing at a time. */
  operation: string;
  last_operation_name: string;
  last_operation_state: OperationState;
  last_operation_created_at: string | null;
  last_operation_finished_at: string | null;
  tasks: TaskView[];
  created_at: string;
}

export interface CreateSnapshotRequest {
  name: string;
  description?: string;
}
export type UpdateSnapshotRequest = Partial<CreateSnapshotRequest>;

export const SNAPSHOT_SORTABLE = ['name', 'state', 'volume_version', 'created_at'] as const;

export interface VolumeView {
  uuid: string;
  name: string;
  description: string;
  user_uuid: string;
  az_uuid: string;
  cluster_uuid: string;
  host_uuid: string;
  host_name: string;
  host_ip: string;
  storage_pool_uuid: string;
  storage_pool_name: string;
  storage_pool_type: StoragePoolType;
  volume_spec_uuid: string;
  spec_name: string;
  image_uuid: string;
  image_name: string;
  /** Bytes. */
  size: number;
  iops: number;
  /** Bytes per second. */
  throughput: number;
  format: string;
  type: StoragePoolType;
  root: 0 | 1;
  cdrom: 0 | 1;
  install_path: string;
  state: VolumeState;
  operation: string;
  version: number;
  parent_version: number;
  snapshot_count: number;
  snapshots: SnapshotView[];
  attached_vms: unknown[];
  last_operation_name: string;
  last_operation_state: OperationState;
  last_operation_created_at: string | null;
  last_operation_finished_at: string | null;
  tasks: TaskView[];
  created_at: string;
}

export interface CreateVolumeRequest {
  name: string;
  description?: string;
  host_uuid?: string;
  image_uuid?: string;
  root?: 0 | 1;
  size: number;
  volume_spec_uuid: string;
}

export interface UpdateVolumeRequest {
  name?: string;
  description?: string;
}

export const VOLUME_SORTABLE = ['name', 'size', 'state', 'created_at'] as const;

export interface VolumeStatisticView {
  volumes: number;
  unavailable: number;
  available: number;
  in_use: number;
  failed: number;
  /** Bytes of the volumes that claim capacity (all but failed ones). */
  size: number;
  snapshots: number;
}
