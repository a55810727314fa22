import { DomainEvent } from '@chime/event-log';
import type { SnapshotView, StoragePoolView, VolumeSpecView, VolumeView } from './storage.contract';

/**
 * A pool as its stream rebuilds it. What volumes claim (`used_size`, and the volume count) is not
 * in it: claims change with every volume and are the volumes' events (VolumeCreated, VolumeDeleted …).
 */
export type StoragePoolState = Omit<StoragePoolView, 'cluster_name' | 'used_size'>;

export class StoragePoolCreated extends DomainEvent<StoragePoolState> {
  static override readonly type = 'StoragePoolCreated';
}
export class StoragePoolUpdated extends DomainEvent<{ uuid: string; changes: Partial<StoragePoolState> }> {
  static override readonly type = 'StoragePoolUpdated';
}
export class StoragePoolDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'StoragePoolDeleted';
}

/** A volume spec's own state; registrations are its stream's events, so the replay counts them. */
export type VolumeSpecState = Omit<VolumeSpecView, 'cluster_count' | 'storage_pool_name'>;

export class VolumeSpecCreated extends DomainEvent<VolumeSpecState> {
  static override readonly type = 'VolumeSpecCreated';
}
export class VolumeSpecUpdated extends DomainEvent<{ uuid: string; changes: Partial<VolumeSpecState> }> {
  static override readonly type = 'VolumeSpecUpdated';
}
export class VolumeSpecDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'VolumeSpecDeleted';
}
export class VolumeSpecRegistered extends DomainEvent<{ uuid: string; cluster_uuid: string; created_at: string }> {
  static override readonly type = 'VolumeSpecRegistered';
}
export class VolumeSpecUnregistered extends DomainEvent<{ uuid: string; cluster_uuid: string }> {
  static override readonly type = 'VolumeSpecUnregistered';
}

/** A volume's own state: what its row holds, without names of other things or its task list. */
export type VolumeState = Omit<
  VolumeView,
  'host_name' | 'host_ip' | 'storage_pool_name' | 'spec_name' | 'image_name' | 'snapshots' | 'attached_vms' | 'tasks'
>;

/** A volume was asked for: its size is claimed from its pool, and a `volume/create` task went to its host. */
export class VolumeCreated extends DomainEvent<VolumeState> {
  static override readonly type = 'VolumeCreated';
}
/** Its name or description changed. */
export class VolumeUpdated extends DomainEvent<{ uuid: string; changes: Partial<VolumeState> }> {
  static override readonly type = 'VolumeUpdated';
}
/** A task on the volume started (`delete`, `restore`, `snapshot`): the volume is busy until it ends. */
export class VolumeOperationStarted extends DomainEvent<{ uuid: string; task_uuid: string; changes: Partial<VolumeState> }> {
  static override readonly type = 'VolumeOperationStarted';
}
/** Its task succeeded (the volume exists on its host, was restored, …). */
export class VolumeOperationSucceeded extends DomainEvent<{ uuid: string; task_uuid: string; changes: Partial<VolumeState> }> {
  static override readonly type = 'VolumeOperationSucceeded';
}
/**
 * Its task failed. A failed creation leaves the volume failed (state 10) with its claim released
 * (`released` bytes back to the pool).
 */
export class VolumeOperationFailed extends DomainEvent<{
  uuid: string;
  task_uuid: string;
  message: string;
  released: number;
  changes: Partial<VolumeState>;
}> {
  static override readonly type = 'VolumeOperationFailed';
}
/** Gone: its claim (`released` bytes) went back to its pool. */
export class VolumeDeleted extends DomainEvent<{ uuid: string; storage_pool_uuid: string; released: number }> {
  static override readonly type = 'VolumeDeleted';
}

export type SnapshotState = Omit<SnapshotView, 'volume_name' | 'tasks'>;

export class SnapshotCreated extends DomainEvent<SnapshotState> {
  static override readonly type = 'SnapshotCreated';
}
export class SnapshotUpdated extends DomainEvent<{ uuid: string; changes: Partial<SnapshotState> }> {
  static override readonly type = 'SnapshotUpdated';
}
export class SnapshotOperationStarted extends DomainEvent<{ uuid: string; task_uuid: string; changes: Partial<SnapshotState> }> {
  static override readonly type = 'SnapshotOperationStarted';
}
export class SnapshotOperationSucceeded extends DomainEvent<{ uuid: string; task_uuid: string; changes: Partial<SnapshotState> }> {
  static override readonly type = 'SnapshotOperationSucceeded';
}
export class SnapshotOperationFailed extends DomainEvent<{
  uuid: string;
  task_uuid: string;
  message: string;
  changes: Partial<SnapshotState>;
}> {
  static override readonly type = 'SnapshotOperationFailed';
}
export class SnapshotDeleted extends DomainEvent<{ uuid: string; volume_uuid: string }> {
  static override readonly type = 'SnapshotDeleted';
}
