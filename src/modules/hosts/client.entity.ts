import { Column, Entity, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { ClientState, MonitorState } from './host.contract';

export const CLIENT_STREAM = 'client';

/** A bigint column read as a number: counts and byte sizes here stay far below 2^53. */
export const BIGINT: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | null) => (value === null ? value : Number(value)),
};

/**
 * A node whose agent enrolled (ChimeStack's `t_client`). The facts and the monitor state are
 * event-sourced; the heartbeat's time and usage counts, the task counter and the credential's
 * hash are operational state, not part of the aggregate (see host.replay.ts).
 */
@Entity({ name: 'clients' })
export class ClientEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('smallint')
  state!: ClientState;

  @Column('text', { name: 'rack_name' })
  rackName!: string;

  @Column('text', { name: 'manage_ip' })
  manageIp!: string;

  @Column('text', { name: 'node_ip' })
  nodeIp!: string;

  @Column('text', { name: 'storage_ip' })
  storageIp!: string;

  @Column('text', { name: 'reserved_ip1' })
  reservedIp1!: string;

  @Column('text', { name: 'reserved_ip2' })
  reservedIp2!: string;

  @Column('integer', { name: 'physical_vcpus' })
  physicalVcpus!: number;

  @Column('bigint', { name: 'physical_memory', transformer: BIGINT })
  physicalMemory!: number;

  @Column('smallint', { name: 'monitor_state' })
  monitorState!: MonitorState;

  @Column('text', { name: 'monitor_message' })
  monitorMessage!: string;

  /** SHA-256 of the agent's credential (hex); null once revoked. */
  @Column('text', { name: 'credential_hash', nullable: true })
  credentialHash!: string | null;

  @Column('timestamptz', { name: 'heartbeat_at', nullable: true })
  heartbeatAt!: Date | null;

  @Column('integer')
  domains!: number;

  @Column('integer', { name: 'active_domains' })
  activeDomains!: number;

  @Column('integer', { name: 'used_vcpus' })
  usedVcpus!: number;

  @Column('bigint', { name: 'used_memory', transformer: BIGINT })
  usedMemory!: number;

  @Column('integer', { name: 'active_used_vcpus' })
  activeUsedVcpus!: number;

  @Column('bigint', { name: 'active_used_memory', transformer: BIGINT })
  activeUsedMemory!: number;

  /** The number of the node's last task (its tasks are numbered 1, 2, 3 … under this row's lock). */
  @Column('bigint', { name: 'task_head', transformer: BIGINT })
  taskHead!: number;

  /** Version of the client's event stream. */
  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}
