/** A host's management state (ChimeStack's `t_host.state`): `0` disabled, `1` enabled, `2` suspended. */
export enum HostState {
  Disabled = 0,
  Enabled = 1,
  Suspended = 2,
}

/** What the heartbeats say of a node (`monitor_state` in chime.sql): `0` unreachable, `1` reachable, `2` error. */
export enum MonitorState {
  Unreachable = 0,
  Reachable = 1,
  Error = 2,
}

/** A client (a node whose agent enrolled): `0` not adopted yet, `1` adopted as a host. */
export enum ClientState {
  Free = 0,
  Adopted = 1,
}

/** A task for a node's agent (ChimeStack's `t_task.state`): `0` running, `1` succeeded, `2` failed. */
export enum TaskState {
  Running = 0,
  Succeeded = 1,
  Failed = 2,
}

/** Platform limits of this module (Usage/limit.md). */
export const HOST_LIMITS = { hostsPerCluster: 256 } as const;

/** The largest over-commit ratio a host takes, and the most vCPUs and bytes of memory a node may report. */
export const MAX_RATIO = 100;
export const MAX_NODE_VCPUS = 65_536;
export const MAX_NODE_MEMORY = 2 ** 52;

/** What an agent reports of its node (enrolment and every heartbeat). */
export interface NodeFacts {
  name: string;
  rack_name?: string;
  manage_ip: string;
  node_ip?: string;
  storage_ip?: string;
  reserved_ip1?: string;
  reserved_ip2?: string;
  physical_vcpus: number;
  physical_memory: number;
}

/** What an agent sees of the domains (VMs) on its node, every heartbeat. */
export interface NodeUsage {
  domains: number;
  active_domains: number;
  used_vcpus: number;
  used_memory: number;
  active_used_vcpus: number;
  active_used_memory: number;
}

export interface ClientView extends Required<NodeFacts>, NodeUsage {
  uuid: string;
  description: string;
  state: ClientState;
  monitor_state: MonitorState;
  /** What the agent last reported wrong with its node; "" when nothing. */
  monitor_message: string;
  heartbeat_at: string | null;
  created_at: string;
}

export interface TaskView {
  uuid: string;
  request_id: string | null;
  description: string;
  state: TaskState;
  resource_type: string;
  resource_uuid: string;
  operation_name: string;
  message: string;
  created_at: string;
  updated_at: string;
  finished_at: string | null;
}

export interface HostView {
  uuid: string;
  name: string;
  description: string;
  state: HostState;
  az_uuid: string;
  cluster_uuid: string;
  cluster_name: string;
  rack_name: string;
  manage_ip: string;
  node_ip: string;
  storage_ip: string;
  reserved_ip1: string;
  reserved_ip2: string;
  monitor_state: MonitorState;
  /** What the agent last reported wrong with its node; "" when nothing. */
  monitor_message: string;
  heartbeat_at: string | null;
  cpu_ratio: number;
  memory_ratio: number;
  physical_vcpus: number;
  reserved_vcpus: number;
  total_vcpus: number;
  used_vcpus: number;
  physical_memory: number;
  reserved_memory: number;
  total_memory: number;
  used_memory: number;
  domains: number;
  active_domains: number;
  vm_count: number;
  vm_running_count: number;
  /** The uuid of the host's task still running, "" when none. */
  operation: string;
  last_operation_name: string;
  last_operation_state: TaskState;
  last_operation_created_at: string | null;
  last_operation_finished_at: string | null;
  tasks: TaskView[];
  /** Filled by the modules that own them (HostPort.contribute); empty in lists. */
  networks: object[];
  storage_pools: object[];
  vms: object[];
  created_at: string;
}

export interface CreateHostRequest {
  /** The client's uuid: the node to adopt. */
  uuid: string;
  description?: string;
  cpu_ratio?: number;
  memory_ratio?: number;
  reserved_vcpus?: number;
  reserved_memory?: number;
}

export type UpdateHostRequest = Omit<CreateHostRequest, 'uuid'>;

export interface HostStatisticView {
  hosts: number;
  enabled: number;
  disabled: number;
  suspended: number;
  reachable: number;
  unreachable: number;
  error: number;
  physical_vcpus: number;
  total_vcpus: number;
  used_vcpus: number;
  physical_memory: number;
  total_memory: number;
  used_memory: number;
}

export const HOST_SORTABLE = ['name', 'state', 'monitor_state', 'created_at', 'heartbeat_at'] as const;
export const CLIENT_SORTABLE = ['name', 'state', 'monitor_state', 'created_at', 'heartbeat_at'] as const;

// The agent protocol (README, "The agent protocol").

export interface EnrolAgentRequest extends NodeFacts {
  join_token: string;
  /** The node's uuid, chosen by the agent once and kept. */
  uuid: string;
}

export interface AgentEnrolment {
  client_uuid: string;
  credential: string;
  heartbeat_interval: number;
  heartbeat_misses: number;
}

export interface AgentHeartbeatRequest extends NodeFacts, NodeUsage {
  /** A problem the node sees (the node is then in monitor state 2, error); "" or left out when healthy. */
  error?: string;
}

export interface AgentHostView {
  uuid: string;
  az_uuid: string;
  cluster_uuid: string;
  state: HostState;
}

export interface AgentHeartbeat {
  client_uuid: string;
  monitor_state: MonitorState;
  heartbeat_interval: number;
  heartbeat_misses: number;
  /** The number of the node's last task: a watcher whose cursor is below it has tasks to read. */
  task_head: number;
  /** The host the node was adopted as; left out while it is a client. */
  host?: AgentHostView;
}

export interface AgentTaskView {
  uuid: string;
  seq: number;
  request_id: string | null;
  resource_type: string;
  resource_uuid: string;
  operation: string;
  description: string;
  payload: Record<string, unknown>;
  state: TaskState;
  message: string;
  created_at: string;
  deadline_at: string;
  finished_at: string | null;
}

export interface AgentTaskPage {
  elements: AgentTaskView[];
  size: number;
  /** The cursor to pass as `after` next time. */
  next: number;
  /** The number of the node's last task. */
  head: number;
}

export interface ReportAgentTaskRequest {
  state: TaskState.Succeeded | TaskState.Failed;
  message?: string;
  result?: Record<string, unknown>;
}

/** The longest a watch (`wait`) may hold a request, in seconds. */
export const MAX_TASK_WAIT = 300;
