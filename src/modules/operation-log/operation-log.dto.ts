import { ApiPropertyOptional } from '@nestjs/swagger';
import { OPERATION_LOG_SORTABLE } from '@chime/contracts';
import { IsIn, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { ListQuery } from '../../platform/http/list-query';

const METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'];

export class OperationLogListParams extends ListQuery(OPERATION_LOG_SORTABLE) {
  @ApiPropertyOptional({ enum: METHODS })
  @IsOptional()
  @IsIn(METHODS, { message: `method must be one of ${METHODS.join(', ')}` })
  method?: string;

  @ApiPropertyOptional({ format: 'uuid' })
  @IsOptional()
  @IsUUID('all', { message: 'user_uuid must be a UUID' })
  user_uuid?: string;

  @ApiPropertyOptional({ description: 'the request path, exactly, e.g. /v1/az' })
  @IsOptional()
  @IsString()
  @MaxLength(1024)
  path?: string;
}
