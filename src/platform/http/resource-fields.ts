import { applyDecorators } from '@nestjs/common';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { State } from '@chime/contracts';
import { IsIn, IsInt, IsOptional, IsString, Length, Matches, MaxLength } from 'class-validator';
import type { OperationState } from '../domain/operations';
import { IsAnyUuid, QueryInt } from './validation';

/** Bidirectional controls reorder the text after them on screen (a name could show reversed in a table). */
const NO_BIDI_CONTROLS = /^[^\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]*$/;
/** Something a person can see: not a blank, control, zero-width, combining or filler character. */
const VISIBLE = /[^\p{White_Space}\p{Cc}\p{Cf}\p{Z}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/u;
const NO_CONTROLS = /^\P{Cc}*$/u;

/** Text shown in tables (names, nick names, descriptions): no bidirectional controls. */
export const DisplayText = () =>
  Matches(NO_BIDI_CONTROLS, { message: '$property must not contain bidirectional control characters' });

/** A name people tell things apart by: at least one visible character, no control or bidirectional characters. */
export const VisibleName = () =>
  applyDecorators(
    Matches(VISIBLE, { message: '$property must contain a visible character' }),
    Matches(NO_CONTROLS, { message: '$property must not contain control characters' }),
    DisplayText(),
  );

/** The `name` of a resource (AZ, cluster): 1 to 64 characters, something visible among them. */
export const ResourceName = () =>
  applyDecorators(ApiProperty({ minLength: 1, maxLength: 64 }), IsString(), Length(1, 64), VisibleName());

/** An optional `description` of a resource: at most 256 characters. */
export const ResourceDescription = () =>
  applyDecorators(ApiPropertyOptional({ maxLength: 256 }), IsOptional(), IsString(), MaxLength(256), DisplayText());

/** The `name` filter of a list: a case-insensitive substring. */
export const NameFilter = () =>
  applyDecorators(
    ApiPropertyOptional({ description: 'case-insensitive substring of the name' }),
    IsOptional(),
    IsString(),
    MaxLength(64),
  );

/** A list filter taking one of a few integer codes (a state, a type, a role), written as digits in the query. */
export const IntChoiceFilter = (choices: readonly number[], message: string, description?: string) =>
  applyDecorators(
    ApiPropertyOptional({ enum: [...choices], ...(description === undefined ? {} : { description }) }),
    IsOptional(),
    QueryInt(),
    IsInt(),
    IsIn(choices, { message }),
  );

/** The `state` filter of a list: 1 enabled, 0 disabled. */
export const StateFilter = () => IntChoiceFilter([State.Disabled, State.Enabled], 'state must be 0 or 1');

/**
 * The fields every named resource's view starts with (AZ, cluster, network, …), for the OpenAPI
 * document; a view schema class extends it with its own.
 */
export abstract class NamedResourceSchema {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ minLength: 1, maxLength: 64 })
  name!: string;

  @ApiProperty({ maxLength: 256 })
  description!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

const TIME_OR_NULL = { type: 'string', format: 'date-time', nullable: true } as const;

/** A resource agents work on (volumes, snapshots, VMs, NICs): its own fields, what runs on it, and how its last task went. */
export abstract class OperatedResourceSchema extends NamedResourceSchema {
  @ApiProperty({ description: 'what runs on it now (`Creating#<request id>` …); "" when nothing' })
  operation!: string;

  @ApiProperty({ description: 'the operation of its last task (`create`, `delete`, `start` …); "" before any' })
  last_operation_name!: string;

  @ApiProperty({ enum: [0, 1, 2], description: 'of the last task: 0 none or running, 1 succeeded, 2 failed' })
  last_operation_state!: OperationState;

  @ApiProperty(TIME_OR_NULL)
  last_operation_created_at!: string | null;

  @ApiProperty(TIME_OR_NULL)
  last_operation_finished_at!: string | null;
}

/** An optional UUID field (a filter, or a request's optional reference); a 400 naming it otherwise. */
export const OptionalUuid = (field: string, description: string) =>
  applyDecorators(
    ApiPropertyOptional({ format: 'uuid', description }),
    IsOptional(),
    IsString({ message: `${field} must be a UUID` }),
    IsAnyUuid(`${field} must be a UUID`),
  );
