import { ApiPropertyOptional, PartialType, ApiSchema } from '@nestjs/swagger';
import { CLUSTER_SORTABLE, ClusterType, State, type CreateClusterRequest, type UpdateClusterRequest } from '@chime/contracts';
import { IsIn, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { NameFilter, ResourceDescription, ResourceName, StateFilter, IntChoiceFilter } from '../../platform/http/resource-fields';

const TYPES = [ClusterType.HyperConverged, ClusterType.ComputeOnly, ClusterType.StorageOnly];
const TYPE_RULE = 'type must be 0 (hyper-converged), 1 (compute only) or 2 (storage only)';
/** Architectures and hypervisor types are names like x86_64, aarch64, kvm. */
const TOKEN = /^[A-Za-z0-9_.-]{1,32}$/;

export const CLUSTER_DEFAULTS = { arch: 'x86_64', hypervisor_type: 'kvm', type: ClusterType.HyperConverged } as const;

@ApiSchema({ name: 'CreateClusterRequest' })
export class CreateClusterDto implements CreateClusterRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiPropertyOptional({ default: CLUSTER_DEFAULTS.arch, pattern: TOKEN.source })
  @IsOptional()
  @IsString()
  @Matches(TOKEN, { message: 'arch must be 1 to 32 of A-Z a-z 0-9 _ . -' })
  arch?: string;

  @ApiPropertyOptional({ default: CLUSTER_DEFAULTS.hypervisor_type, pattern: TOKEN.source })
  @IsOptional()
  @IsString()
  @Matches(TOKEN, { message: 'hypervisor_type must be 1 to 32 of A-Z a-z 0-9 _ . -' })
  hypervisor_type?: string;

  @ApiPropertyOptional({ enum: TYPES, default: CLUSTER_DEFAULTS.type })
  @IsOptional()
  @IsIn(TYPES, { message: TYPE_RULE })
  type?: ClusterType;
}

/** Any of the create fields. */
@ApiSchema({ name: 'UpdateClusterRequest' })
export class UpdateClusterDto extends PartialType(CreateClusterDto) implements UpdateClusterRequest {}

export class ClusterListParams extends ListQuery(CLUSTER_SORTABLE) {
  @NameFilter()
  name?: string;

  @StateFilter()
  state?: State;

  @IntChoiceFilter(TYPES, TYPE_RULE)
  type?: ClusterType;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  hypervisor_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(32)
  arch?: string;
}
