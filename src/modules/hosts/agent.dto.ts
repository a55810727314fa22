import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsInt, IsIP, IsObject, IsOptional, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { DisplayText } from '../../platform/http/resource-fields';
import { IsAnyUuid, QueryInt } from '../../platform/http/validation';
import {
  MAX_NODE_MEMORY,
  MAX_NODE_VCPUS,
  MAX_TASK_WAIT,
  TaskState,
  type AgentHeartbeatRequest,
  type EnrolAgentRequest,
  type ReportAgentTaskRequest,
} from './host.contract';
import { NODE_NAME, NodeName } from './host.dto';

/** An address of the node on one of its networks: IPv4 or IPv6, or "" (left out) when it has none there. */
const NodeAddress = (description: string) =>
  applyDecorators(
    ApiPropertyOptional({ maxLength: 64, default: '', description: `${description}; "" when it has none` }),
    IsOptional(),
    IsString(),
    MaxLength(64),
    ValidateIf((_, value) => value !== ''),
    IsIP(undefined, { message: '$property must be an IPv4 or IPv6 address, or ""' }),
  );

const Count = (max: number, description: string) =>
  applyDecorators(
    ApiProperty({ type: 'integer', minimum: 0, maximum: max, description }),
    IsInt({ message: '$property must be an integer' }),
    Min(0),
    Max(max),
  );

/** What an agent says of its node, at enrolment and in every heartbeat. */
class NodeFactsDto {
  @ApiProperty({ pattern: NODE_NAME.source, example: 'host-a428263d', description: "the node's host name" })
  @IsString()
  @NodeName()
  name!: string;

  @ApiPropertyOptional({ maxLength: 32, default: '', example: 'rack1' })
  @IsOptional()
  @IsString()
  @MaxLength(32)
  @DisplayText()
  rack_name?: string;

  @ApiProperty({ example: '192.168.231.128', description: 'the management address' })
  @IsString()
  @IsIP(undefined, { message: 'manage_ip must be an IPv4 or IPv6 address' })
  manage_ip!: string;

  @NodeAddress('the address on the node network')
  node_ip?: string;

  @NodeAddress('the address on the storage network')
  storage_ip?: string;

  @NodeAddress('an address on another network')
  reserved_ip1?: string;

  @NodeAddress('an address on another network')
  reserved_ip2?: string;

  @Count(MAX_NODE_VCPUS, "the node's logical CPUs")
  physical_vcpus!: number;

  @Count(MAX_NODE_MEMORY, "the node's memory in bytes")
  physical_memory!: number;
}

@ApiSchema({ name: 'EnrolAgentRequest' })
export class EnrolAgentDto extends NodeFactsDto implements EnrolAgentRequest {
  @ApiProperty({ description: "the server's CHIME_AGENT_JOIN_TOKEN" })
  @IsString()
  @MaxLength(1024)
  join_token!: string;

  @ApiProperty({ format: 'uuid', description: "the node's uuid, chosen by the agent once and kept across restarts" })
  @IsString()
  @IsAnyUuid('uuid must be a UUID')
  uuid!: string;
}

@ApiSchema({ name: 'AgentHeartbeatRequest' })
export class AgentHeartbeatDto extends NodeFactsDto implements AgentHeartbeatRequest {
  @Count(1_000_000, 'domains (VMs) defined on the node')
  domains!: number;

  @Count(1_000_000, 'domains running')
  active_domains!: number;

  @Count(MAX_NODE_VCPUS * 100, 'vCPUs of the domains on the node')
  used_vcpus!: number;

  @Count(MAX_NODE_MEMORY, 'memory of the domains on the node, in bytes')
  used_memory!: number;

  @Count(MAX_NODE_VCPUS * 100, 'vCPUs of the running domains')
  active_used_vcpus!: number;

  @Count(MAX_NODE_MEMORY, 'memory of the running domains, in bytes')
  active_used_memory!: number;

  @ApiPropertyOptional({
    maxLength: 1024,
    default: '',
    description: 'a problem the node sees (monitor state 2, error); "" when healthy',
  })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @DisplayText()
  error?: string;
}

export class AgentTaskListParams {
  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'the cursor: tasks numbered above it' })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: 'after must be an integer' })
  @Min(0)
  after: number = 0;

  @ApiPropertyOptional({
    enum: [TaskState.Running, TaskState.Succeeded, TaskState.Failed],
    description: 'only tasks in this state',
  })
  @IsOptional()
  @QueryInt()
  @IsIn([TaskState.Running, TaskState.Succeeded, TaskState.Failed], { message: 'state must be 0, 1 or 2' })
  state?: TaskState;

  @ApiPropertyOptional({ type: 'integer', minimum: 1, maximum: 100, default: 100 })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: 'limit must be an integer' })
  @Min(1)
  @Max(100)
  limit: number = 100;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    maximum: MAX_TASK_WAIT,
    default: 0,
    description: 'seconds to hold the request while there is no task to answer with',
  })
  @IsOptional()
  @QueryInt()
  @IsInt({ message: 'wait must be an integer' })
  @Min(0)
  @Max(MAX_TASK_WAIT)
  wait: number = 0;
}

@ApiSchema({ name: 'ReportAgentTaskRequest' })
export class ReportAgentTaskDto implements ReportAgentTaskRequest {
  @ApiProperty({ enum: [TaskState.Succeeded, TaskState.Failed], description: '1 succeeded, 2 failed' })
  @IsIn([TaskState.Succeeded, TaskState.Failed], { message: 'state must be 1 (succeeded) or 2 (failed)' })
  state!: TaskState.Succeeded | TaskState.Failed;

  @ApiPropertyOptional({ maxLength: 1024, description: 'why it failed' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  @DisplayText()
  message?: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true, description: 'what the task produced, for its kind' })
  @IsOptional()
  @IsObject()
  result?: Record<string, unknown>;
}
