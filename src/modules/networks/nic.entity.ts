import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { NicState } from './nic.contract';

export const NIC_STREAM = 'nic';

@Entity({ name: 'nics' })
export class NicEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  /** The owner (no foreign key: like volumes, a NIC keeps its owner's uuid). */
  @Column('uuid', { name: 'user_uuid' })
  userUuid!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('uuid', { name: 'subnet_uuid' })
  subnetUuid!: string;

  /** Canonical; unique within the subnet (index nics_subnet_ip_key). */
  @Column('text')
  ip!: string;

  /** `52:54:00:xx:xx:xx`, unique (index nics_mac_key). */
  @Column('text')
  mac!: string;

  @Column('smallint', { name: 'is_primary' })
  primary!: 0 | 1;

  /** The security group, or null. */
  @Column('uuid', { name: 'sg_uuid', nullable: true })
  sgUuid!: string | null;

  /** The VM it is attached to (the compute module's; no foreign key), or null. */
  @Column('uuid', { name: 'vm_uuid', nullable: true })
  vmUuid!: string | null;

  @Column('smallint')
  state!: NicState;

  @Column('text')
  operation!: string;

  /** Version of the NIC's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
