import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import { QueryInt } from '../../platform/http/validation';

export class EventStreamParams {
  @ApiPropertyOptional({
    description: 'position of the last event already seen; 0 (the default) starts at the beginning',
    minimum: 0,
  })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(0)
  after?: number;
}

export class EventListParams extends EventStreamParams {
  @ApiPropertyOptional({ minimum: 1, maximum: 1000, default: 100 })
  @IsOptional()
  @QueryInt()
  @IsInt()
  @Min(1)
  @Max(1000)
  limit?: number;

  @ApiPropertyOptional({ description: 'aggregate kind: user, token, az, cluster, security' })
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
}
