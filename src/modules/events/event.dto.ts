import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min, ValidateBy } from 'class-validator';
import { QueryInt, IsAnyUuid } from '../../platform/http/validation';

/** `after=now`: a stream that starts at the head of the log. */
export const HEAD = 'now';

const IsPositionOrHead = () =>
  ValidateBy({
    name: 'isPositionOrHead',
    validator: {
      validate: (value: unknown) => value === HEAD || (Number.isInteger(value) && (value as number) >= 0),
      defaultMessage: () => `after must be an event position (an integer from 0) or "${HEAD}"`,
    },
  });

export class EventStreamParams {
  @ApiPropertyOptional({
    description:
      'position of the last event already seen; 0 (the default) starts at the beginning, ' +
      '`now` with the events committed after the stream opened. A Last-Event-ID header takes precedence.',
    type: String,
    // On the wire a query value is a string: `now`, or the digits of a position.
    pattern: `^(${HEAD}|[0-9]{1,15})$`,
    example: HEAD,
  })
  @IsOptional()
  @QueryInt()
  @IsPositionOrHead()
  after?: number | typeof HEAD;
}

export class EventListParams {
  @ApiPropertyOptional({
    description: 'position of the last event already seen; 0 (the default) starts at the beginning',
    minimum: 0,
  })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({
    description:
      "aggregate kind, e.g. user, token, az, cluster, security, or an extension module's (instance_spec, network, subnet)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  stream_type?: string;

  @ApiPropertyOptional()
  @IsOptional()
  @IsString()
  @MaxLength(64)
  stream_id?: string;

  @ApiPropertyOptional({ description: 'event type, e.g. ClusterCreated' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  type?: string;

  @ApiPropertyOptional({
    format: 'uuid',
    description: 'the events one request caused, with those consumers appended in reaction (metadata.request_id)',
  })
  @IsOptional()
  @IsAnyUuid('request_id must be a UUID')
  request_id?: string;
}
