import { Column, Entity, PrimaryColumn, ViewColumn, ViewEntity, type ValueTransformer } from 'typeorm';
import type { InstanceSpecState, InstanceSpecType } from './instance-spec.contract';

export const INSTANCE_SPEC_STREAM = 'instance_spec';

/** A bigint column read as a number: byte counts stay far below 2^53 (INSTANCE_SPEC_LIMITS.maxMemory). */
const BYTES: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? value : Number(value)),
};

@Entity({ name: 'instance_specs' })
export class InstanceSpecEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  /** Unique regardless of case (index instance_specs_name_key). */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('integer')
  vcpus!: number;

  @Column('bigint', { transformer: BYTES })
  memory!: number;

  @Column('smallint')
  type!: InstanceSpecType;

  @Column('smallint')
  state!: InstanceSpecState;

  /** Rows of cluster_instance_specs for this spec, kept under the spec's row lock. */
  @Column('integer', { name: 'cluster_count' })
  clusterCount!: number;

  /** Version of the spec's event stream (its registrations included). */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** A spec registered in a cluster. */
@Entity({ name: 'cluster_instance_specs' })
export class ClusterInstanceSpecEntity {
  @PrimaryColumn('uuid', { name: 'cluster_uuid' })
  clusterUuid!: string;

  @PrimaryColumn('uuid', { name: 'instance_spec_uuid' })
  instanceSpecUuid!: string;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/**
 * A cluster's registrations with their specs' names and sizes: the rows listClusterInstanceSpecRelation
 * pages through (a database view, created by the migration, so the one list helper can filter and sort it).
 */
@ViewEntity({ name: 'cluster_instance_spec_list', synchronize: false })
export class ClusterInstanceSpecListing {
  @ViewColumn({ name: 'cluster_uuid' })
  clusterUuid!: string;

  @ViewColumn({ name: 'instance_spec_uuid' })
  instanceSpecUuid!: string;

  @ViewColumn()
  name!: string;

  @ViewColumn()
  vcpus!: number;

  @ViewColumn({ transformer: BYTES })
  memory!: number;

  @ViewColumn({ name: 'created_at' })
  createdAt!: Date;
}
