import { Column, Entity, PrimaryColumn } from 'typeorm';
import { BIGINT } from '../../platform/database/bigint';
import type { OperationState } from '../../platform/domain/operations';
import type { VmState } from './compute.contract';

export const VM_STREAM = 'vm';

/** A VM (ChimeStack's t_vm). Its host's claim is its vcpus and memory while it has a host. */
@Entity({ name: 'vms' })
export class VmEntity {
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

  /** The host it ran on before its last move; `''` when it never moved. */
  @Column('text', { name: 'last_host_uuid' })
  lastHostUuid!: string;

  @Column('uuid', { name: 'instance_spec_uuid' })
  instanceSpecUuid!: string;

  /** The image of its root volume (or cdrom); `''` for none. */
  @Column('text', { name: 'image_uuid' })
  imageUuid!: string;

  @Column('integer')
  vcpus!: number;

  @Column('bigint', { transformer: BIGINT })
  memory!: number;

  @Column('smallint')
  state!: VmState;

  @Column('text', { name: 'boot_type' })
  bootType!: string;

  @Column('text', { name: 'hyper_type' })
  hyperType!: string;

  @Column('text', { name: 'os_type' })
  osType!: string;

  @Column('text', { name: 'os_arch' })
  osArch!: string;

  @Column('text', { name: 'os_detail' })
  osDetail!: string;

  /** The port of its console on its host, as its agent reports it (0 until then). */
  @Column('integer', { name: 'vnc_port' })
  vncPort!: number;

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

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** A volume of a VM (ChimeStack's r_vm_volume), in the order attached. */
@Entity({ name: 'vm_volumes' })
export class VmVolumeEntity {
  @PrimaryColumn('uuid', { name: 'vm_uuid' })
  vmUuid!: string;

  @PrimaryColumn('uuid', { name: 'volume_uuid' })
  volumeUuid!: string;

  /** The device the agent gives it (vda, vdb …). */
  @Column('text')
  target!: string;

  @Column('integer')
  position!: number;
}

/** A one-time console ticket (getVmVnc): only its hash is kept. */
@Entity({ name: 'vm_vnc_tickets' })
export class VmVncTicketEntity {
  @PrimaryColumn('text', { name: 'ticket_hash' })
  ticketHash!: string;

  @Column('uuid', { name: 'vm_uuid' })
  vmUuid!: string;

  @Column('uuid', { name: 'user_uuid' })
  userUuid!: string;

  @Column('timestamptz', { name: 'expires_at' })
  expiresAt!: Date;

  @Column('timestamptz', { name: 'used_at', nullable: true })
  usedAt!: Date | null;
}
