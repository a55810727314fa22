import { ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { AZ_SORTABLE, State, type CreateAzRequest, type UpdateAzRequest } from '@chime/contracts';
import { IsIn, IsInt, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { ResourceDescription, ResourceName } from '../../platform/http/resource-fields';
import { QueryInt } from '../../platform/http/validation';

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
export class UpdateAzDto
  extends PartialType(PickType(CreateAzDto, ['name', 'description'] as const))
  implements UpdateAzRequest {}

export class AzListParams extends ListQuery(AZ_SORTABLE) {
  @ApiPropertyOptional({ description: 'case-insensitive substring of the name' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  name?: string;

  @ApiPropertyOptional({ enum: [State.Disabled, State.Enabled] })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @IsIn([State.Disabled, State.Enabled], { message: 'state must be 0 or 1' })
  state?: State;
}
