import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { State } from '@chime/contracts';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import { QueryInt } from './validation';

/** The `name` of a resource (AZ, cluster): 1 to 64 characters, not only blanks. */
export const ResourceName = () =>
  applyDecorators(
    ApiProperty({ minLength: 1, maxLength: 64 }),
    IsString(),
    Length(1, 64),
    Matches(/\S/, { message: 'name must not be blank' }),
  );

/** An optional `description` of a resource: at most 256 characters. */
export const ResourceDescription = () =>
  applyDecorators(ApiPropertyOptional({ maxLength: 256 }), IsOptional(), IsString(), MaxLength(256));

/** The `name` filter of a list: a case-insensitive substring. */
export const NameFilter = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'case-insensitive substring of the name' }),
    IsOptional(),
    IsString(),
    MaxLength(64),
  );

/** The `state` filter of a list: 1 enabled, 0 disabled. */
export const StateFilter = () =>
  applyDecorators(
    ApiPropertyOptional({ enum: [State.Disabled, State.Enabled] }),
    IsOptional(),
    QueryInt(),
    IsInt(),
    IsIn([State.Disabled, State.Enabled], { message: 'state must be 0 or 1' }),
  );
