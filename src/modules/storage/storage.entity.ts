import { Column, Entity, PrimaryColumn, ViewColumn, ViewEntity } from 'typeorm';
import { BIGINT } from '../../platform/database/bigint';
import type { OperationState } from '../../platform/domain/operations';
import type {
  SnapshotState,
  StoragePoolState,
  StoragePoolType,
  VolumeSpecState,
  VolumeState,
} from './storage.contract';

export const STORAGE_POOL_STREAM = 'storage_pool';
export const VOLUME_SPEC_STREAM = 'volume_spec';
export const VOLUME_STREAM = 'volume';
export const SNAPSHOT_STREAM = 'snapshot';

/** A storage pool of a cluster with its inventory (ChimeStack's `t_storage_pool` + `t_storage_pool_inventory`). */
@Entity({ name: 'storage_pools' })
export class StoragePoolEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('uuid', { name: 'az_uuid' })
  azUuid!: string;

  @Column('uuid', { name: 'cluster_uuid' })
  clusterUuid!: string;

  /** Unique in its cluster regardless of case (index storage_pools_name_key). */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('smallint')
  type!: StoragePoolType;

  @Column('smallint')
  state!: StoragePoolState;

  @Column('text')
  meta!: string;

  @Column('bigint', { name: 'physical_size', transformer: BIGINT })
  physicalSize!: number;

  @Column('double precision', { name: 'size_ratio' })
  sizeRatio!: number;

  @Column('bigint', { name: 'reserved_size', transformer: BIGINT })
  reservedSize!: number;

  @Column('bigint', { name: 'total_size', transformer: BIGINT })
  totalSize!: number;

  /** What its volumes claim: changed only under the pool's row lock, never above total_size. */
  @Column('bigint', { name: 'used_size', transformer: BIGINT })
  usedSize!: number;

  @Column('integer', { name: 'volume_count' })
  volumeCount!: number;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** ChimeStack's `t_volume_spec`: the IOPS and throughput a volume gets per GiB, within bounds. */
@Entity({ name: 'volume_specs' })
export class VolumeSpecEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('uuid', { name: 'storage_pool_uuid' })
  storagePoolUuid!: string;

  @Column('smallint')
  state!: VolumeSpecState;

  @Column('integer', { name: 'min_iops' })
  minIops!: number;

  @Column('integer', { name: 'max_iops' })
  maxIops!: number;

  @Column('integer', { name: 'step_iops' })
  stepIops!: number;

  @Column('bigint', { name: 'min_throughput', transformer: BIGINT })
  minThroughput!: number;

  @Column('bigint', { name: 'max_throughput', transformer: BIGINT })
  maxThroughput!: number;

  @Column('bigint', { name: 'step_throughput', transformer: BIGINT })
  stepThroughput!: number;

  @Column('integer', { name: 'cluster_count' })
  clusterCount!: number;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** A volume spec registered in a cluster (`r_cluster_volume_spec`). */
@Entity({ name: 'cluster_volume_specs' })
export class ClusterVolumeSpecEntity {
  @PrimaryColumn('uuid', { name: 'cluster_uuid' })
  clusterUuid!: string;

  @PrimaryColumn('uuid', { name: 'volume_spec_uuid' })
  volumeSpecUuid!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** A cluster's registrations with their specs (a database view, for listClusterVolumeSpecRelation). */
@ViewEntity({ name: 'cluster_volume_spec_list', synchronize: false })
export class ClusterVolumeSpecListing {
  @ViewColumn({ name: 'cluster_uuid' })
  clusterUuid!: string;

  @ViewColumn({ name: 'volume_spec_uuid' })
  volumeSpecUuid!: string;

  @ViewColumn()
  name!: string;

  @ViewColumn({ name: 'min_iops' })
  minIops!: number;

  @ViewColumn({ name: 'max_iops' })
  maxIops!: number;

  @ViewColumn({ name: 'step_iops' })
  stepIops!: number;

  @ViewColumn({ name: 'min_throughput', transformer: BIGINT })
  minThroughput!: number;

  @ViewColumn({ name: 'max_throughput', transformer: BIGINT })
  maxThroughput!: number;

  @ViewColumn({ name: 'step_throughput', transformer: BIGINT })
  stepThroughput!: number;

  @ViewColumn({ name: 'created_at' })
  createdAt!: Date;
}

/** What runs on a volume or snapshot now, and how its last task went. */
abstract class Operated {
  /** `Creating#<request id>` while a task runs on it; "" otherwise. */
  @Column('text')
  operation!: string;

  @Column('text', { name: 'last_operation_name' })
  lastOperationName!: string;

  @Column('smallint', { name: 'last_operation_state' })
  lastOperationState!: OperationState;

  @Column('timestamptz', { name: 'last_operation_created_at', nullable: true })
  lastOperationCreatedAt!: Date | null;

  @Column('timestamptz', { name: 'last_operation_finished_at', nullable: true })
  lastOperationFinishedAt!: Date | null;
}

/** ChimeStack's `t_volume`: a volume on a host, in a pool, claiming `size` of the pool. */
@Entity({ name: 'volumes' })
export class VolumeEntity extends Operated {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('uuid', { name: 'user_uuid' })
  userUuid!: string;

  @Column('uuid', { name: 'az_uuid' })
  azUuid!: string;

  @Column('uuid', { name: 'cluster_uuid' })
  clusterUuid!: string;

  @Column('uuid', { name: 'host_uuid' })
  hostUuid!: string;

  @Column('uuid', { name: 'storage_pool_uuid' })
  storagePoolUuid!: string;

  @Column('uuid', { name: 'volume_spec_uuid' })
  volumeSpecUuid!: string;

  @Column('uuid', { name: 'image_uuid', nullable: true })
  imageUuid!: string | null;

  @Column('bigint', { transformer: BIGINT })
  size!: number;

  @Column('integer')
  iops!: number;

  @Column('bigint', { transformer: BIGINT })
  throughput!: number;

  @Column('text')
  format!: string;

  @Column('smallint')
  type!: StoragePoolType;

  @Column('smallint')
  root!: 0 | 1;

  @Column('smallint')
  cdrom!: 0 | 1;

  @Column('text', { name: 'install_path' })
  installPath!: string;

  @Column('smallint')
  state!: VolumeState;

  /** The volume's own version (`version` on the wire): a snapshot keeps one, a restore goes back to it. */
  @Column('integer', { name: 'data_version' })
  dataVersion!: number;

  @Column('integer', { name: 'parent_version' })
  parentVersion!: number;

  @Column('integer', { name: 'snapshot_count' })
  snapshotCount!: number;

  /** Version of the volume's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** A volume with its pool's and spec's names (database view volume_rows), as lists read it. */
@ViewEntity({ name: 'volume_rows', synchronize: false })
export class VolumeRowEntity extends VolumeEntity {
  @ViewColumn({ name: 'storage_pool_name' })
  storagePoolName!: string;

  @ViewColumn({ name: 'spec_name' })
  specName!: string;
}

/** ChimeStack's `t_snapshot`. */
@Entity({ name: 'snapshots' })
export class SnapshotEntity extends Operated {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('uuid', { name: 'user_uuid' })
  userUuid!: string;

  @Column('uuid', { name: 'volume_uuid' })
  volumeUuid!: string;

  @Column('integer', { name: 'volume_version' })
  volumeVersion!: number;

  @Column('integer', { name: 'parent_volume_version' })
  parentVolumeVersion!: number;

  @Column('smallint')
  state!: SnapshotState;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** A snapshot with its volume's name (database view snapshot_rows). */
@ViewEntity({ name: 'snapshot_rows', synchronize: false })
export class SnapshotRowEntity extends SnapshotEntity {
  @ViewColumn({ name: 'volume_name' })
  volumeName!: string;
}
