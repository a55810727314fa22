import { ApiProperty, ApiPropertyOptional, ApiSchema, PartialType } from '@nestjs/swagger';
import { IsIn, IsInt, IsOptional, Max, Min } from 'class-validator';
import { IsAnyUuid } from '../../platform/http/validation';
import { ListQuery } from '../../platform/http/list-query';
import { NameFilter, ResourceDescription, ResourceName, IntChoiceFilter } from '../../platform/http/resource-fields';
import {
  CLUSTER_INSTANCE_SPEC_SORTABLE,
  INSTANCE_SPEC_LIMITS,
  INSTANCE_SPEC_SORTABLE,
  InstanceSpecType,
  type CreateClusterInstanceSpecRequest,
  type CreateInstanceSpecRequest,
  type UpdateInstanceSpecRequest,
} from './instance-spec.contract';

const TYPES = [InstanceSpecType.Shared, InstanceSpecType.Dedicated];
const TYPE_RULE = 'type must be 0 (shared) or 1 (dedicated)';
const VCPUS_RULE = `vcpus must be an integer from 1 to ${INSTANCE_SPEC_LIMITS.maxVcpus}`;
const MEMORY_RULE = `memory must be a number of bytes, an integer from 1 to ${INSTANCE_SPEC_LIMITS.maxMemory} (16 TiB)`;

export const INSTANCE_SPEC_DEFAULTS = { type: InstanceSpecType.Shared, description: '' } as const;

@ApiSchema({ name: 'CreateInstanceSpecRequest' })
export class CreateInstanceSpecDto implements CreateInstanceSpecRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiProperty({ type: 'integer', minimum: 1, maximum: INSTANCE_SPEC_LIMITS.maxVcpus, example: 2 })
  @IsInt({ message: VCPUS_RULE })
  @Min(1, { message: VCPUS_RULE })
  @Max(INSTANCE_SPEC_LIMITS.maxVcpus, { message: VCPUS_RULE })
  vcpus!: number;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 1,
    maximum: INSTANCE_SPEC_LIMITS.maxMemory,
    description: 'bytes',
    example: 4294967296,
  })
  @IsInt({ message: MEMORY_RULE })
  @Min(1, { message: MEMORY_RULE })
  @Max(INSTANCE_SPEC_LIMITS.maxMemory, { message: MEMORY_RULE })
  memory!: number;

  @ApiPropertyOptional({ enum: TYPES, default: INSTANCE_SPEC_DEFAULTS.type, description: '0 shared, 1 dedicated' })
  @IsOptional()
  @IsIn(TYPES, { message: TYPE_RULE })
  type?: InstanceSpecType;
}

/** Any of the create fields. */
@ApiSchema({ name: 'UpdateInstanceSpecRequest' })
export class UpdateInstanceSpecDto extends PartialType(CreateInstanceSpecDto) implements UpdateInstanceSpecRequest {}

export class InstanceSpecListParams extends ListQuery(INSTANCE_SPEC_SORTABLE) {
  @NameFilter()
  name?: string;

  @IntChoiceFilter(TYPES, TYPE_RULE, '0 shared, 1 dedicated')
  type?: InstanceSpecType;
}

@ApiSchema({ name: 'CreateClusterInstanceSpecRequest' })
export class CreateClusterInstanceSpecDto implements CreateClusterInstanceSpecRequest {
  @ApiProperty({ format: 'uuid' })
  @IsAnyUuid('instance_spec_uuid must be a UUID')
  instance_spec_uuid!: string;
}

/** `name` filters by the specification's name. */
export class ClusterInstanceSpecListParams extends ListQuery(CLUSTER_INSTANCE_SPEC_SORTABLE) {
  @NameFilter()
  name?: string;
}
