import { ApiPropertyOptional } from '@nestjs/swagger';
import { OPERATION_LOG_SORTABLE, OPERATION_METHODS } from '@chime/contracts';
import { IsIn, IsOptional, IsString, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';
import { QueryTime, IsAnyUuid } from '../../platform/http/validation';

const METHODS = [...OPERATION_METHODS];
const OUTCOMES = ['success', 'denied', 'failed'];

export class OperationLogListParams extends ListQuery(OPERATION_LOG_SORTABLE) {
  @ApiPropertyOptional({ enum: METHODS })
  @IsOptional()
  @IsIn(METHODS, { message: `method must be one of ${METHODS.join(', ')}` })
  method?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsAnyUuid('user_uuid must be a UUID')
  user_uuid?: string;

  @ApiPropertyOptional({ description: 'the request path, exactly, e.g. /v1/az' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  path?: string;

  @ApiPropertyOptional({ description: 'the start of the request path, e.g. /v1/az/ for everything under the AZs' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  path_prefix?: string;

  @ApiPropertyOptional({
    enum: OUTCOMES,
    description: 'success; denied: refused by the role; failed: a failed login, or a change that was answered with an error',
  })
  @IsOptional()
  @IsIn(OUTCOMES, { message: `outcome must be one of ${OUTCOMES.join(', ')}` })
  outcome?: string;

  @ApiPropertyOptional({ format: 'uuid', description: 'the entry of one request' })
  @IsOptional()
  @IsAnyUuid('request_id must be a UUID')
  request_id?: string;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'entries at or after this time (RFC 3339)' })
  @IsOptional()
  @QueryTime()
  created_after?: Date;

  @ApiPropertyOptional({ type: String, format: 'date-time', description: 'entries before this time (RFC 3339)' })
  @IsOptional()
  @QueryTime()
  created_before?: Date;
}
