import { capacity } from '../../platform/domain/capacity';
import type { ClientEntity } from './client.entity';
import { TaskState, type AgentTaskView, type ClientView, type HostView, type NodeFacts, type TaskView } from './host.contract';
import type { HostEntity, HostRowEntity } from './host.entity';
import type { ClientAggregate, HostAggregate } from './host.events';
import type { TaskAggregate } from './task.events';
import type { TaskEntity } from './task.entity';

const iso = (date: Date | null) => (date === null ? null : date.toISOString());

/** Which client column keeps each fact an agent reports. */
const FACT_COLUMNS = {
  name: 'name',
  rack_name: 'rackName',
  manage_ip: 'manageIp',
  node_ip: 'nodeIp',
  storage_ip: 'storageIp',
  reserved_ip1: 'reservedIp1',
  reserved_ip2: 'reservedIp2',
  physical_vcpus: 'physicalVcpus',
  physical_memory: 'physicalMemory',
} as const satisfies Record<keyof NodeFacts, keyof ClientEntity>;

type FactColumn = (typeof FACT_COLUMNS)[keyof NodeFacts];

/** The facts an agent reports, as the client keeps them. */
export function factsOf(client: ClientEntity): Required<NodeFacts> {
  const entries = Object.entries(FACT_COLUMNS).map(([fact, column]) => [fact, client[column]]);
  return Object.fromEntries(entries) as Required<NodeFacts>;
}

/** Facts as client columns: all of them for a new client, the changed ones for an update. */
export function factColumns(facts: Required<NodeFacts>): Pick<ClientEntity, FactColumn>;
export function factColumns(facts: Partial<NodeFacts>): Partial<ClientEntity>;
export function factColumns(facts: Partial<NodeFacts>): Partial<ClientEntity> {
  const entries = Object.entries(FACT_COLUMNS)
    .filter(([fact]) => facts[fact as keyof NodeFacts] !== undefined)
    .map(([fact, column]) => [column, facts[fact as keyof NodeFacts]]);
  return Object.fromEntries(entries) as Partial<ClientEntity>;
}

export function toClientAggregate(client: ClientEntity): ClientAggregate {
  return {
    uuid: client.uuid,
    ...factsOf(client),
    description: client.description,
    state: client.state,
    monitor_state: client.monitorState,
    monitor_message: client.monitorMessage,
    enrolled: client.credentialHash !== null,
    created_at: client.createdAt.toISOString(),
  };
}

export function toClientView(client: ClientEntity): ClientView {
  return {
    uuid: client.uuid,
    ...factsOf(client),
    description: client.description,
    state: client.state,
    monitor_state: client.monitorState,
    monitor_message: client.monitorMessage,
    heartbeat_at: iso(client.heartbeatAt),
    domains: client.domains,
    active_domains: client.activeDomains,
    used_vcpus: client.usedVcpus,
    used_memory: client.usedMemory,
    active_used_vcpus: client.activeUsedVcpus,
    active_used_memory: client.activeUsedMemory,
    created_at: client.createdAt.toISOString(),
  };
}

export function toHostAggregate(host: HostEntity | HostRowEntity): HostAggregate {
  return {
    uuid: host.uuid,
    az_uuid: host.azUuid,
    cluster_uuid: host.clusterUuid,
    description: host.description,
    state: host.state,
    cpu_ratio: host.cpuRatio,
    memory_ratio: host.memoryRatio,
    reserved_vcpus: host.reservedVcpus,
    reserved_memory: host.reservedMemory,
    used_vcpus: host.usedVcpus,
    used_memory: host.usedMemory,
    created_at: host.createdAt.toISOString(),
  };
}

/** `clusterName` is the cluster's current name; `tasks` the host's recent tasks (getHost) or none (lists). */
export function toHostView(row: HostRowEntity, clusterName: string, tasks: TaskView[] = []): HostView {
  const running = row.lastOperationState === TaskState.Running;
  return {
    ...toHostAggregate(row),
    name: row.name,
    cluster_name: clusterName,
    rack_name: row.rackName,
    manage_ip: row.manageIp,
    node_ip: row.nodeIp,
    storage_ip: row.storageIp,
    reserved_ip1: row.reservedIp1,
    reserved_ip2: row.reservedIp2,
    monitor_state: row.monitorState,
    monitor_message: row.monitorMessage,
    heartbeat_at: iso(row.heartbeatAt),
    physical_vcpus: row.physicalVcpus,
    total_vcpus: capacity(row.physicalVcpus, row.cpuRatio, row.reservedVcpus),
    physical_memory: row.physicalMemory,
    total_memory: capacity(row.physicalMemory, row.memoryRatio, row.reservedMemory),
    domains: row.domains,
    active_domains: row.activeDomains,
    vm_count: 0,
    vm_running_count: 0,
    operation: running && row.lastTaskUuid ? row.lastTaskUuid : '',
    last_operation_name: row.lastOperationName ?? '',
    last_operation_state: row.lastOperationState ?? TaskState.Running,
    last_operation_created_at: iso(row.lastOperationCreatedAt),
    last_operation_finished_at: iso(row.lastOperationFinishedAt),
    tasks,
    networks: [],
    storage_pools: [],
    vms: [],
  };
}

export function toTaskAggregate(task: TaskEntity): TaskAggregate {
  return {
    uuid: task.uuid,
    client_uuid: task.clientUuid,
    seq: task.seq,
    request_id: task.requestId,
    description: task.description,
    state: task.state,
    resource_type: task.resourceType,
    resource_uuid: task.resourceUuid,
    operation: task.operation,
    payload: task.payload,
    result: task.result,
    message: task.message,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    deadline_at: task.deadlineAt.toISOString(),
    finished_at: iso(task.finishedAt),
    ...(task.serverSide ? { server_side: true as const } : {}),
  };
}

/** A task as administrators see it (ChimeStack's host `tasks`). */
export function toTaskView(task: TaskEntity): TaskView {
  return {
    uuid: task.uuid,
    request_id: task.requestId,
    description: task.description,
    state: task.state,
    resource_type: task.resourceType,
    resource_uuid: task.resourceUuid,
    operation_name: task.operation,
    message: task.message,
    created_at: task.createdAt.toISOString(),
    updated_at: task.updatedAt.toISOString(),
    finished_at: iso(task.finishedAt),
  };
}

/** A task as its agent sees it. */
export function toAgentTaskView(task: TaskEntity): AgentTaskView {
  return {
    uuid: task.uuid,
    seq: task.seq,
    request_id: task.requestId,
    resource_type: task.resourceType,
    resource_uuid: task.resourceUuid,
    operation: task.operation,
    description: task.description,
    payload: task.secrets ? { ...task.payload, ...task.secrets } : task.payload,
    state: task.state,
    message: task.message,
    created_at: task.createdAt.toISOString(),
    deadline_at: task.deadlineAt.toISOString(),
    finished_at: iso(task.finishedAt),
  };
}
