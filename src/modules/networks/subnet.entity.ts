import type { State } from '@chime/contracts';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { SubnetType } from './network.contract';

export const SUBNET_STREAM = 'subnet';

@Entity({ name: 'subnets' })
export class SubnetEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('uuid', { name: 'network_uuid' })
  networkUuid!: string;

  /** Unique within its network regardless of case (index subnets_network_name_key). */
  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  /** Canonical: the network address and prefix length (`192.168.231.0/24`, `2001:db8::/64`). */
  @Column('text')
  cidr!: string;

  /** A canonical address inside the CIDR, or `''`. */
  @Column('text')
  gateway!: string;

  /** Canonical addresses and `a-b` ranges inside the CIDR, comma-separated, or `''`. */
  @Column('text', { name: 'reserved_ips' })
  reservedIps!: string;

  @Column('smallint')
  type!: SubnetType;

  @Column('smallint')
  state!: State;

  /** Version of the subnet's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
