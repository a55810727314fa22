import { ApiProperty, ApiPropertyOptional, ApiSchema, type ApiPropertyOptions } from '@nestjs/swagger';
import {
  ClientState,
  HostState,
  MonitorState,
  TaskState,
  type AgentEnrolment,
  type AgentHeartbeat,
  type AgentHostView,
  type AgentTaskPage,
  type AgentTaskView,
  type ClientView,
  type HostStatisticView,
  type HostView,
  type TaskView,
} from './host.contract';

// The wire shapes of the module, for the OpenAPI document (and so the client, the CLI and the
// e2e suite's response validation).

const HOST_STATES = {
  enum: [HostState.Disabled, HostState.Enabled, HostState.Suspended],
  description: '0 disabled, 1 enabled, 2 suspended',
};
const MONITOR_STATES = {
  enum: [MonitorState.Unreachable, MonitorState.Reachable, MonitorState.Error],
  description: '0 unreachable (heartbeats stopped), 1 reachable, 2 error (the agent reports a problem)',
};
const TASK_STATES = {
  enum: [TaskState.Running, TaskState.Succeeded, TaskState.Failed],
  description: '0 running, 1 succeeded, 2 failed',
};
const TIME_OR_NULL = { type: String, format: 'date-time', nullable: true } as const;
const COUNT = { type: 'integer', minimum: 0 } as const;
const IP = { description: 'an IPv4 or IPv6 address, "" when the node has none' } as const;

/** The facts every node reports, as clients and hosts show them. */
abstract class NodeFactsSchema {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ minLength: 1, maxLength: 64, example: 'host-a428263d', description: "the node's host name" })
  name!: string;

  @ApiProperty({ maxLength: 256 })
  description!: string;

  @ApiProperty({ maxLength: 32, example: 'rack1' })
  rack_name!: string;

  @ApiProperty({ example: '192.168.231.128', description: 'the management address (the one its agent talks from)' })
  manage_ip!: string;

  @ApiProperty(IP)
  node_ip!: string;

  @ApiProperty(IP)
  storage_ip!: string;

  @ApiProperty(IP)
  reserved_ip1!: string;

  @ApiProperty(IP)
  reserved_ip2!: string;

  @ApiProperty({ ...COUNT, description: "the node's logical CPUs" })
  physical_vcpus!: number;

  @ApiProperty({ ...COUNT, description: "the node's memory in bytes" })
  physical_memory!: number;

  @ApiProperty(MONITOR_STATES)
  monitor_state!: MonitorState;

  @ApiProperty({ maxLength: 1024, description: 'what the agent last reported wrong with its node; "" when nothing' })
  monitor_message!: string;

  @ApiProperty({ ...TIME_OR_NULL, description: 'the last heartbeat' })
  heartbeat_at!: string | null;

  @ApiProperty({ ...COUNT, description: 'domains (VMs) defined on the node' })
  domains!: number;

  @ApiProperty({ ...COUNT, description: 'domains running' })
  active_domains!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

@ApiSchema({ name: 'Client' })
export class ClientViewSchema extends NodeFactsSchema implements ClientView {
  @ApiProperty({ enum: [ClientState.Free, ClientState.Adopted], description: '0 not adopted yet, 1 adopted as a host' })
  state!: ClientState;

  @ApiProperty({ ...COUNT, description: 'vCPUs of the domains on the node, as its agent sees them' })
  used_vcpus!: number;

  @ApiProperty({ ...COUNT, description: 'memory of the domains on the node, in bytes' })
  used_memory!: number;

  @ApiProperty({ ...COUNT, description: 'vCPUs of the running domains' })
  active_used_vcpus!: number;

  @ApiProperty({ ...COUNT, description: 'memory of the running domains, in bytes' })
  active_used_memory!: number;
}

@ApiSchema({ name: 'Task' })
export class TaskViewSchema implements TaskView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'the request that caused it' })
  request_id!: string | null;

  @ApiProperty({ example: 'create-host-a428263d-64a9-4653-8d7e-556c20c0d77a' })
  description!: string;

  @ApiProperty(TASK_STATES)
  state!: TaskState;

  @ApiProperty({ example: 'host' })
  resource_type!: string;

  @ApiProperty({ format: 'uuid' })
  resource_uuid!: string;

  @ApiProperty({ example: 'create' })
  operation_name!: string;

  @ApiProperty({ description: 'why it failed; "" otherwise' })
  message!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;

  @ApiProperty(TIME_OR_NULL)
  finished_at!: string | null;
}

const DETAIL = (what: string): ApiPropertyOptions => ({
  type: 'array',
  items: { type: 'object', additionalProperties: true },
  description: `${what}: getHost only (lists leave it empty); empty while no module provides it`,
});

@ApiSchema({ name: 'Host' })
export class HostViewSchema extends NodeFactsSchema implements HostView {
  @ApiProperty(HOST_STATES)
  state!: HostState;

  @ApiProperty({ format: 'uuid' })
  az_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ description: "the cluster's current name" })
  cluster_name!: string;

  @ApiProperty({ type: Number, minimum: 0.01, maximum: 100, example: 2, description: 'CPU over-commit ratio' })
  cpu_ratio!: number;

  @ApiProperty({ type: Number, minimum: 0.01, maximum: 100, example: 1, description: 'memory over-commit ratio' })
  memory_ratio!: number;

  @ApiProperty({ ...COUNT, description: 'vCPUs kept for the node itself' })
  reserved_vcpus!: number;

  @ApiProperty({ ...COUNT, description: 'vCPUs that may be placed: physical_vcpus × cpu_ratio − reserved_vcpus' })
  total_vcpus!: number;

  @ApiProperty({ ...COUNT, description: 'vCPUs placed on it' })
  used_vcpus!: number;

  @ApiProperty({ ...COUNT, description: 'bytes kept for the node itself' })
  reserved_memory!: number;

  @ApiProperty({ ...COUNT, description: 'bytes that may be placed: physical_memory × memory_ratio − reserved_memory' })
  total_memory!: number;

  @ApiProperty({ ...COUNT, description: 'bytes placed on it' })
  used_memory!: number;

  @ApiProperty(COUNT)
  vm_count!: number;

  @ApiProperty(COUNT)
  vm_running_count!: number;

  @ApiProperty({ description: 'the uuid of its task still running, "" when none' })
  operation!: string;

  @ApiProperty({ example: 'create', description: 'the operation of its last task, "" when it had none' })
  last_operation_name!: string;

  @ApiProperty(TASK_STATES)
  last_operation_state!: TaskState;

  @ApiProperty(TIME_OR_NULL)
  last_operation_created_at!: string | null;

  @ApiProperty(TIME_OR_NULL)
  last_operation_finished_at!: string | null;

  @ApiProperty({ type: [TaskViewSchema], description: 'its 20 latest host tasks, newest first (getHost; empty in lists)' })
  tasks!: TaskView[];

  @ApiProperty(DETAIL("the cluster's networks on the host"))
  networks!: object[];

  @ApiProperty(DETAIL("the cluster's storage pools (schema StoragePool), which the host's volumes use"))
  storage_pools!: object[];

  @ApiProperty(DETAIL('the VMs on the host'))
  vms!: object[];
}

@ApiSchema({ name: 'HostStatistic' })
export class HostStatisticSchema implements HostStatisticView {
  @ApiProperty({ ...COUNT, description: 'hosts counted' })
  hosts!: number;
  @ApiProperty(COUNT)
  enabled!: number;
  @ApiProperty(COUNT)
  disabled!: number;
  @ApiProperty(COUNT)
  suspended!: number;
  @ApiProperty(COUNT)
  reachable!: number;
  @ApiProperty(COUNT)
  unreachable!: number;
  @ApiProperty(COUNT)
  error!: number;
  @ApiProperty(COUNT)
  physical_vcpus!: number;
  @ApiProperty(COUNT)
  total_vcpus!: number;
  @ApiProperty(COUNT)
  used_vcpus!: number;
  @ApiProperty(COUNT)
  physical_memory!: number;
  @ApiProperty(COUNT)
  total_memory!: number;
  @ApiProperty(COUNT)
  used_memory!: number;
}

@ApiSchema({ name: 'AgentEnrolment' })
export class AgentEnrolmentSchema implements AgentEnrolment {
  @ApiProperty({ format: 'uuid', description: "the node's uuid, as a client" })
  client_uuid!: string;

  @ApiProperty({ description: "the agent's credential: send it as `Authorization: Bearer <credential>`; shown only here" })
  credential!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'seconds between two heartbeats' })
  heartbeat_interval!: number;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'heartbeats missed before the node is unreachable' })
  heartbeat_misses!: number;
}

@ApiSchema({ name: 'AgentHost' })
export class AgentHostSchema implements AgentHostView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;
  @ApiProperty({ format: 'uuid' })
  az_uuid!: string;
  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;
  @ApiProperty(HOST_STATES)
  state!: HostState;
}

@ApiSchema({ name: 'AgentHeartbeat' })
export class AgentHeartbeatSchema implements AgentHeartbeat {
  @ApiProperty({ format: 'uuid' })
  client_uuid!: string;

  @ApiProperty(MONITOR_STATES)
  monitor_state!: MonitorState;

  @ApiProperty({ type: 'integer', minimum: 1 })
  heartbeat_interval!: number;

  @ApiProperty({ type: 'integer', minimum: 1 })
  heartbeat_misses!: number;

  @ApiProperty({ ...COUNT, description: "the number of the node's last task" })
  task_head!: number;

  @ApiPropertyOptional({ type: AgentHostSchema, description: 'the host the node was adopted as; left out while it is a client' })
  host?: AgentHostView;
}

@ApiSchema({ name: 'AgentTask' })
export class AgentTaskSchema implements AgentTaskView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: "the task's number among its node's tasks" })
  seq!: number;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  request_id!: string | null;

  @ApiProperty({ example: 'host' })
  resource_type!: string;

  @ApiProperty({ format: 'uuid' })
  resource_uuid!: string;

  @ApiProperty({ example: 'create' })
  operation!: string;

  @ApiProperty()
  description!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: 'what the agent needs to do it' })
  payload!: Record<string, unknown>;

  @ApiProperty(TASK_STATES)
  state!: TaskState;

  @ApiProperty()
  message!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', description: 'when it fails as timed out unless its agent reports before' })
  deadline_at!: string;

  @ApiProperty(TIME_OR_NULL)
  finished_at!: string | null;
}

@ApiSchema({ name: 'AgentTaskPage' })
export class AgentTaskPageSchema implements AgentTaskPage {
  @ApiProperty({ type: [AgentTaskSchema] })
  elements!: AgentTaskView[];

  @ApiProperty(COUNT)
  size!: number;

  @ApiProperty({ ...COUNT, description: 'the cursor to pass as `after` next time' })
  next!: number;

  @ApiProperty({ ...COUNT, description: "the number of the node's last task" })
  head!: number;
}
