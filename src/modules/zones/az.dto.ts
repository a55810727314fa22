import { ApiProperty, ApiPropertyOptional, PartialType, PickType } from '@nestjs/swagger';
import { AZ_SORTABLE, State, type CreateAzRequest, type UpdateAzRequest } from '@chime/contracts';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { QueryInt } from '../../platform/http/validation';

const NOT_BLANK = /\S/;

export class CreateAzDto implements CreateAzRequest {
  @ApiProperty({ minLength: 1, maxLength: 64 })
  @IsString()
  @Length(1, 64)
  @Matches(NOT_BLANK, { message: 'name must not be blank' })
  name!: string;

  @ApiPropertyOptional({ maxLength: 256 })
  @IsOptional()
  @IsString()
  @MaxLength(256)
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
