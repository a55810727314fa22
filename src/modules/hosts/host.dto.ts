import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional, ApiSchema, OmitType } from '@nestjs/swagger';
import { IsIn, IsInt, IsNumber, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { IntChoiceFilter, NameFilter, ResourceDescription } from '../../platform/http/resource-fields';
import { IsAnyUuid, QueryInt } from '../../platform/http/validation';
import {
  CLIENT_SORTABLE,
  ClientState,
  HOST_SORTABLE,
  HostState,
  MAX_NODE_MEMORY,
  MAX_NODE_VCPUS,
  MAX_RATIO,
  MonitorState,
  type CreateHostRequest,
  type UpdateHostRequest,
} from './host.contract';

/** An over-commit ratio: how many times the node's physical amount may be allocated. */
const Ratio = (field: string, what: string) =>
  applyDecorators(
    ApiPropertyOptional({
      type: Number,
      minimum: 0.01,
      maximum: MAX_RATIO,
      default: 1,
      example: 2,
      description: `the ${what}'s allocation ratio, e.g. 2.0 allows to allocate twice the node's physical ${what}`,
    }),
    IsOptional(),
    IsNumber({ allowNaN: false, allowInfinity: false }, { message: `${field} must be a number` }),
    Min(0.01, { message: `${field} must be at least 0.01` }),
    Max(MAX_RATIO, { message: `${field} must be at most ${MAX_RATIO}` }),
  );

@ApiSchema({ name: 'CreateHostRequest' })
export class CreateHostDto implements CreateHostRequest {
  @ApiProperty({ format: 'uuid', description: "the client's uuid: the node to adopt (see listClient)" })
  @IsString()
  @IsAnyUuid('uuid must be a UUID')
  uuid!: string;

  @ResourceDescription()
  description?: string;

  @Ratio('cpu_ratio', 'CPU')
  cpu_ratio?: number;

  @Ratio('memory_ratio', 'memory')
  memory_ratio?: number;

  @ApiPropertyOptional({ type: 'integer', minimum: 0, default: 0, description: 'vCPUs kept for the node, never given to VMs' })
  @IsOptional()
  @IsInt({ message: 'reserved_vcpus must be an integer' })
  @Min(0)
  @Max(MAX_NODE_VCPUS)
  reserved_vcpus?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    default: 0,
    description: 'bytes of memory kept for the node, never given to VMs',
  })
  @IsOptional()
  @IsInt({ message: 'reserved_memory must be an integer' })
  @Min(0)
  @Max(MAX_NODE_MEMORY)
  reserved_memory?: number;
}

/** Any of the create fields but `uuid`; fields left out or sent as `null` stay as they are. */
@ApiSchema({ name: 'UpdateHostRequest' })
export class UpdateHostDto extends OmitType(CreateHostDto, ['uuid'] as const) implements UpdateHostRequest {}

const MONITOR_RULE = 'monitor_state must be 0, 1 or 2';
const MONITOR_STATES = [MonitorState.Unreachable, MonitorState.Reachable, MonitorState.Error];

/** A list of nodes (hosts or clients): the list query with the filters on what their agents report. */
function NodeListQuery<Sort extends string>(sortable: readonly Sort[]) {
  class Query extends ListQuery(sortable) {
    @NameFilter()
    name?: string;

    @IntChoiceFilter(MONITOR_STATES, MONITOR_RULE, '0 unreachable, 1 reachable, 2 error')
    monitor_state?: MonitorState;

    @ApiPropertyOptional({ description: 'exact rack name' })
    @IsOptional()
    @IsString()
    @MaxLength(32)
    rack_name?: string;

    @ApiPropertyOptional({ description: 'exact management IP address' })
    @IsOptional()
    @IsString()
    @MaxLength(64)
    manage_ip?: string;

    @ApiPropertyOptional({ format: 'uuid', description: "the node's uuid (a host has its node's)" })
    @IsOptional()
    @IsString()
    @IsAnyUuid('uuid must be a UUID')
    uuid?: string;
  }
  return Query;
}

export class HostListParams extends NodeListQuery(HOST_SORTABLE) {
  @IntChoiceFilter(
    [HostState.Disabled, HostState.Enabled, HostState.Suspended],
    'state must be 0, 1 or 2',
    '0 disabled, 1 enabled, 2 suspended',
  )
  state?: HostState;
}

export class ClientListParams extends NodeListQuery(CLIENT_SORTABLE) {
  @IntChoiceFilter([ClientState.Free, ClientState.Adopted], 'state must be 0 or 1', '0 not adopted yet, 1 adopted as a host')
  state?: ClientState;

  @ApiPropertyOptional({
    enum: [0, 1],
    default: 0,
    description: '1: every client; 0 (default): only the clients not adopted yet, unless `state` says otherwise',
  })
  @IsOptional()
  @QueryInt()
  @IsIn([0, 1], { message: 'all must be 0 or 1' })
  all?: 0 | 1;
}

export class HostStatisticParams {
  @ApiPropertyOptional({ format: 'uuid', description: "the cluster's uuid" })
  @IsOptional()
  @IsString()
  @IsAnyUuid('cluster_uuid must be a UUID')
  cluster_uuid?: string;

  @ApiPropertyOptional({ format: 'uuid', description: "the host's uuid" })
  @IsOptional()
  @IsString()
  @IsAnyUuid('host_uuid must be a UUID')
  host_uuid?: string;
}

/** The node name pattern: a host name (letters, digits, `.`, `_`, `-`), 1 to 64 characters. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const NodeName = () =>
  Matches(NODE_NAME, { message: 'name must be a host name: 1 to 64 of A-Z a-z 0-9 . _ -, starting with a letter or digit' });
