import { Column, Entity, PrimaryColumn, ViewColumn, ViewEntity } from 'typeorm';
import { BIGINT } from './client.entity';
import type { HostState, MonitorState, TaskState } from './host.contract';

export const HOST_STREAM = 'host';

/** A client adopted into a cluster (ChimeStack's `t_host` with `t_host_inventory`); same uuid as its client. */
@Entity({ name: 'hosts' })
export class HostEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('uuid', { name: 'az_uuid' })
  azUuid!: string;

  @Column('uuid', { name: 'cluster_uuid' })
  clusterUuid!: string;

  @Column('text')
  description!: string;

  @Column('smallint')
  state!: HostState;

  @Column('double precision', { name: 'cpu_ratio' })
  cpuRatio!: number;

  @Column('double precision', { name: 'memory_ratio' })
  memoryRatio!: number;

  @Column('integer', { name: 'reserved_vcpus' })
  reservedVcpus!: number;

  @Column('bigint', { name: 'reserved_memory', transformer: BIGINT })
  reservedMemory!: number;

  /** Claimed by what is placed on the host (compute); 0 until then. */
  @Column('integer', { name: 'used_vcpus' })
  usedVcpus!: number;

  @Column('bigint', { name: 'used_memory', transformer: BIGINT })
  usedMemory!: number;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/**
 * A host as it is read (the view `host_rows`): its row, its node's facts and monitor state, and its
 * last host task. Lists filter and sort on it in one statement.
 */
@ViewEntity({ name: 'host_rows', synchronize: false })
export class HostRowEntity {
  @ViewColumn()
  uuid!: string;
  @ViewColumn({ name: 'az_uuid' })
  azUuid!: string;
  @ViewColumn({ name: 'cluster_uuid' })
  clusterUuid!: string;
  @ViewColumn()
  name!: string;
  @ViewColumn()
  description!: string;
  @ViewColumn()
  state!: HostState;
  @ViewColumn({ name: 'cpu_ratio' })
  cpuRatio!: number;
  @ViewColumn({ name: 'memory_ratio' })
  memoryRatio!: number;
  @ViewColumn({ name: 'reserved_vcpus' })
  reservedVcpus!: number;
  @ViewColumn({ name: 'reserved_memory', transformer: BIGINT })
  reservedMemory!: number;
  @ViewColumn({ name: 'used_vcpus' })
  usedVcpus!: number;
  @ViewColumn({ name: 'used_memory', transformer: BIGINT })
  usedMemory!: number;
  @ViewColumn({ name: 'created_at' })
  createdAt!: Date;
  @ViewColumn({ name: 'rack_name' })
  rackName!: string;
  @ViewColumn({ name: 'manage_ip' })
  manageIp!: string;
  @ViewColumn({ name: 'node_ip' })
  nodeIp!: string;
  @ViewColumn({ name: 'storage_ip' })
  storageIp!: string;
  @ViewColumn({ name: 'reserved_ip1' })
  reservedIp1!: string;
  @ViewColumn({ name: 'reserved_ip2' })
  reservedIp2!: string;
  @ViewColumn({ name: 'physical_vcpus' })
  physicalVcpus!: number;
  @ViewColumn({ name: 'physical_memory', transformer: BIGINT })
  physicalMemory!: number;
  @ViewColumn()
  domains!: number;
  @ViewColumn({ name: 'active_domains' })
  activeDomains!: number;
  @ViewColumn({ name: 'monitor_state' })
  monitorState!: MonitorState;
  @ViewColumn({ name: 'monitor_message' })
  monitorMessage!: string;
  @ViewColumn({ name: 'heartbeat_at' })
  heartbeatAt!: Date | null;
  @ViewColumn({ name: 'last_task_uuid' })
  lastTaskUuid!: string | null;
  @ViewColumn({ name: 'last_operation_name' })
  lastOperationName!: string | null;
  @ViewColumn({ name: 'last_operation_state' })
  lastOperationState!: TaskState | null;
  @ViewColumn({ name: 'last_operation_created_at' })
  lastOperationCreatedAt!: Date | null;
  @ViewColumn({ name: 'last_operation_finished_at' })
  lastOperationFinishedAt!: Date | null;
}
