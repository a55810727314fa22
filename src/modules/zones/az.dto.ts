import { ApiPropertyOptional, PartialType, PickType, ApiSchema } from '@nestjs/swagger';
import { AZ_SORTABLE, State, type CreateAzRequest, type UpdateAzRequest } from '@chime/contracts';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { NameFilter, ResourceDescription, ResourceName, StateFilter } from '../../platform/http/resource-fields';

@ApiSchema({ name: 'CreateAzRequest' })
export class CreateAzDto implements CreateAzRequest {
  @ResourceName()
  name!: string;

  @ResourceDescription()
  description?: string;

  @ApiPropertyOptional({ maxLength: 64 })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  parent?: string;
}

/** Name and description; `parent` is set once, on create. */
@ApiSchema({ name: 'UpdateAzRequest' })
export class UpdateAzDto
  extends PartialType(PickType(CreateAzDto, ['name', 'description'] as const))
  implements UpdateAzRequest {}

export class AzListParams extends ListQuery(AZ_SORTABLE) {
  @NameFilter()
  name?: string;

  @StateFilter()
  state?: State;
}
