import { ClusterType, State } from '@chime/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';

export const CLUSTER_STREAM = 'cluster';

@Entity({ name: 'clusters' })
export class ClusterEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('uuid', { name: 'az_uuid' })
  azUuid!: string;

  /** Unique within its AZ regardless of case (index clusters_az_name_key). */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('text')
  arch!: string;

  @Column('text', { name: 'hypervisor_type' })
  hypervisorType!: string;

  @Column('smallint')
  type!: ClusterType;

  @Column('smallint')
  state!: State;

  /** Version of the cluster's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
