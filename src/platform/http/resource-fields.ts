import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';

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
