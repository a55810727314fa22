import type { State } from '@chime/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NetworkType } from './network.contract';

export const NETWORK_STREAM = 'network';

@Entity({ name: 'networks' })
export class NetworkEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  /** The AZ of its cluster (a cluster never changes AZ), kept so that paths are checked in one look-up. */
  @Column('uuid', { name: 'az_uuid' })
  azUuid!: string;

  @Column('uuid', { name: 'cluster_uuid' })
  clusterUuid!: string;

  /** Unique within its cluster regardless of case (index networks_cluster_name_key). */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  /** Unique within its cluster (index networks_cluster_bridge_key): one bridge per host device name. */
  @Column('text', { name: 'bridge_name' })
  bridgeName!: string;

  @Column('text', { name: 'interface_name' })
  interfaceName!: string;

  @Column('smallint')
  type!: NetworkType;

  /** VLAN id (type 1) or VXLAN VNI (type 2); null for a classical network. */
  @Column('integer', { name: 'vlan_id', nullable: true })
  vlanId!: number | null;

  @Column('smallint')
  state!: State;

  /** Version of the network's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
