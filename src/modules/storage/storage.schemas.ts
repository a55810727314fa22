import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { NamedResourceSchema, OperatedResourceSchema } from '../../platform/http/resource-fields';
import { TaskViewSchema } from '../hosts/task.port';
import type { TaskView } from '../hosts/task.port';
import {
  SNAPSHOT_STATES,
  STORAGE_LIMITS,
  STORAGE_POOL_TYPES,
  StoragePoolState,
  VOLUME_STATES,
  VolumeSpecState,
  type ClusterVolumeSpecRelationView,
  type ClusterVolumeSpecView,
  type SnapshotState,
  type SnapshotView,
  type StoragePoolStatisticView,
  type StoragePoolType,
  type StoragePoolView,
  type VolumeSpecView,
  type VolumeState,
  type VolumeStatisticView,
  type VolumeView,
} from './storage.contract';

const BYTES = { type: 'integer', format: 'int64', minimum: 0, description: 'bytes' } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const POOL_TYPE = { enum: [...STORAGE_POOL_TYPES], description: '0 local, 1 iSCSI, 2 Ceph' } as const;

@ApiSchema({ name: 'StoragePool' })
export class StoragePoolViewSchema extends NamedResourceSchema implements StoragePoolView {
  @ApiProperty({ format: 'uuid' })
  az_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ description: "the cluster's current name" })
  cluster_name!: string;

  @ApiProperty(POOL_TYPE)
  type!: StoragePoolType;

  @ApiProperty({ enum: [StoragePoolState.Unavailable, StoragePoolState.Available], description: '0 unavailable, 1 available' })
  state!: StoragePoolState;

  @ApiProperty({ maxLength: STORAGE_LIMITS.maxMeta, description: 'a JSON object as text: backend_path, image_cache_path' })
  meta!: string;

  @ApiProperty(BYTES)
  physical_size!: number;

  @ApiProperty({ type: 'number', minimum: 0.01, maximum: STORAGE_LIMITS.maxRatio, description: 'over-commit ratio' })
  size_ratio!: number;

  @ApiProperty(BYTES)
  reserved_size!: number;

  @ApiProperty({ ...BYTES, description: 'floor(physical_size × size_ratio) − reserved_size, in bytes' })
  total_size!: number;

  @ApiProperty({ ...BYTES, description: "what the pool's volumes claim, in bytes" })
  used_size!: number;
}

@ApiSchema({ name: 'StoragePoolStatistic' })
export class StoragePoolStatisticSchema implements StoragePoolStatisticView {
  @ApiProperty(COUNT)
  storage_pools!: number;

  @ApiProperty(COUNT)
  volumes!: number;

  @ApiProperty(BYTES)
  physical_size!: number;

  @ApiProperty(BYTES)
  reserved_size!: number;

  @ApiProperty(BYTES)
  total_size!: number;

  @ApiProperty(BYTES)
  used_size!: number;

  @ApiProperty(BYTES)
  free_size!: number;
}

abstract class VolumeSpecLimitsSchema {
  @ApiProperty(COUNT)
  min_iops!: number;

  @ApiProperty(COUNT)
  max_iops!: number;

  @ApiProperty({ ...COUNT, description: 'IOPS per GiB of the volume' })
  step_iops!: number;

  @ApiProperty({ ...BYTES, description: 'bytes per second' })
  min_throughput!: number;

  @ApiProperty({ ...BYTES, description: 'bytes per second' })
  max_throughput!: number;

  @ApiProperty({ ...BYTES, description: 'bytes per second per GiB of the volume' })
  step_throughput!: number;
}

@ApiSchema({ name: 'VolumeSpec' })
export class VolumeSpecViewSchema extends VolumeSpecLimitsSchema implements VolumeSpecView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ minLength: 1, maxLength: 64 })
  name!: string;

  @ApiProperty({ maxLength: 256 })
  description!: string;

  @ApiProperty({ format: 'uuid' })
  storage_pool_uuid!: string;

  @ApiProperty()
  storage_pool_name!: string;

  @ApiProperty({ enum: [VolumeSpecState.Available], description: '1 available' })
  state!: VolumeSpecState;

  @ApiProperty({ ...COUNT, description: 'how many clusters the specification is registered in' })
  cluster_count!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

@ApiSchema({ name: 'ClusterVolumeSpec' })
export class ClusterVolumeSpecViewSchema extends VolumeSpecLimitsSchema implements ClusterVolumeSpecView {
  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  volume_spec_uuid!: string;

  @ApiProperty({ description: "the specification's current name" })
  volume_spec_name!: string;

  @ApiProperty({ format: 'date-time', description: 'when the specification was registered in the cluster' })
  created_at!: string;
}

@ApiSchema({ name: 'ClusterVolumeSpecRelation' })
export class ClusterVolumeSpecRelationViewSchema implements ClusterVolumeSpecRelationView {
  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  volume_spec_uuid!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

@ApiSchema({ name: 'Snapshot' })
export class SnapshotViewSchema extends OperatedResourceSchema implements SnapshotView {
  @ApiProperty({ format: 'uuid' })
  user_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  volume_uuid!: string;

  @ApiProperty()
  volume_name!: string;

  @ApiProperty({ type: 'integer', description: "the volume's version the snapshot keeps" })
  volume_version!: number;

  @ApiProperty({ type: 'integer' })
  parent_volume_version!: number;

  @ApiProperty({ enum: [...SNAPSHOT_STATES], description: '0 unavailable (being taken), 1 available, 10 failed' })
  state!: SnapshotState;

  @ApiProperty({ type: [TaskViewSchema], description: 'its latest tasks (getSnapshot); empty in lists' })
  tasks!: TaskView[];
}

@ApiSchema({ name: 'Volume' })
export class VolumeViewSchema extends OperatedResourceSchema implements VolumeView {
  @ApiProperty({ format: 'uuid', description: 'the owner' })
  user_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  az_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ format: 'uuid', description: 'the host whose agent does its work (and holds it, on a local pool)' })
  host_uuid!: string;

  @ApiProperty({ description: 'the host\'s name; "" once the host is gone' })
  host_name!: string;

  @ApiProperty({ description: "the host's management address" })
  host_ip!: string;

  @ApiProperty({ format: 'uuid' })
  storage_pool_uuid!: string;

  @ApiProperty()
  storage_pool_name!: string;

  @ApiProperty(POOL_TYPE)
  storage_pool_type!: StoragePoolType;

  @ApiProperty({ format: 'uuid' })
  volume_spec_uuid!: string;

  @ApiProperty()
  spec_name!: string;

  @ApiProperty({ description: 'the image it was made from; "" for an empty volume' })
  image_uuid!: string;

  @ApiProperty()
  image_name!: string;

  @ApiProperty({ ...BYTES, minimum: 1 })
  size!: number;

  @ApiProperty({ ...COUNT, description: 'clamp(step_iops × GiB, min_iops, max_iops) of its spec' })
  iops!: number;

  @ApiProperty({ ...BYTES, description: 'bytes per second: clamp(step_throughput × GiB, min, max) of its spec' })
  throughput!: number;

  @ApiProperty({ description: 'qcow2 or raw' })
  format!: string;

  @ApiProperty(POOL_TYPE)
  type!: StoragePoolType;

  @ApiProperty({ enum: [0, 1], description: '1 for a root volume' })
  root!: 0 | 1;

  @ApiProperty({ enum: [0, 1] })
  cdrom!: 0 | 1;

  @ApiProperty({ description: 'where its host keeps it; "" until created' })
  install_path!: string;

  @ApiProperty({ enum: [...VOLUME_STATES], description: '0 unavailable (being created), 1 available, 2 in use, 10 failed' })
  state!: VolumeState;

  @ApiProperty({ type: 'integer', description: "the volume's own version (snapshots keep one)" })
  version!: number;

  @ApiProperty({ type: 'integer' })
  parent_version!: number;

  @ApiProperty(COUNT)
  snapshot_count!: number;

  @ApiProperty({ type: [SnapshotViewSchema], description: 'its snapshots (getVolume); empty in lists' })
  snapshots!: SnapshotView[];

  @ApiProperty({ type: 'array', items: { type: 'object' }, description: 'the VMs it is attached to' })
  attached_vms!: unknown[];

  @ApiProperty({ type: [TaskViewSchema], description: 'its latest tasks (getVolume); empty in lists' })
  tasks!: TaskView[];
}

@ApiSchema({ name: 'VolumeStatistic' })
export class VolumeStatisticSchema implements VolumeStatisticView {
  @ApiProperty(COUNT)
  volumes!: number;

  @ApiProperty(COUNT)
  unavailable!: number;

  @ApiProperty(COUNT)
  available!: number;

  @ApiProperty(COUNT)
  in_use!: number;

  @ApiProperty(COUNT)
  failed!: number;

  @ApiProperty({ ...BYTES, description: 'bytes the volumes claim (failed ones claim nothing)' })
  size!: number;

  @ApiProperty(COUNT)
  snapshots!: number;
}
