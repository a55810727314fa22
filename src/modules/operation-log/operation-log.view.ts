import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import {
  HTTP_STATUS_OF,
  OPERATION_METHODS,
  type ApiError,
  type ErrorStatus,
  type OperationLogOutcome,
  type OperationLogView,
} from '@chime/contracts';
import type { OperationLogEntity } from './operation-log.entity';

// The view is a contract type now; re-exported for this module's files that import it from here.
export type { OperationLogView };

export function toOperationLogView(entry: OperationLogEntity): OperationLogView {
  return {
    id: Number(entry.id),
    created_at: entry.createdAt.toISOString(),
    method: entry.method,
    path: entry.path,
    input: entry.input,
    ip: entry.ip,
    user_uuid: entry.userUuid,
    user_name: entry.userName,
    request_id: entry.requestId,
    outcome: entry.outcome,
    ...(entry.errorStatus && {
      error: { code: Number(entry.errorCode), message: entry.errorMessage ?? '', status: entry.errorStatus },
    }),
  };
}

/** The envelope's error, as an entry keeps it. */
@ApiSchema({ name: 'OperationLogError' })
class OperationLogErrorSchema implements ApiError {
  @ApiProperty({ type: 'integer', example: 400, description: 'the HTTP status' })
  code!: number;

  @ApiProperty({ type: String })
  message!: string;

  @ApiProperty({ type: String, enum: Object.keys(HTTP_STATUS_OF), example: 'INVALID_ARGUMENT' })
  status!: ErrorStatus;
}

/** The wire shape of an operation-log entry, for the OpenAPI document. */
@ApiSchema({ name: 'OperationLog' })
export class OperationLogViewSchema implements OperationLogView {
  @ApiProperty({ type: 'integer', format: 'int64', minimum: 1, description: "increasing, in the event log's order" })
  id!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({
    enum: [...OPERATION_METHODS],
    description: 'the HTTP method; IMPORT for a run of `npm run import`; MONITOR, TIMEOUT for what the server did by itself',
  })
  method!: string;

  @ApiProperty({ example: '/v1/az' })
  path!: string;

  @ApiProperty({ description: 'the request body as JSON, every password and token replaced by "***"; "" without a body' })
  input!: string;

  @ApiProperty()
  ip!: string;

  @ApiProperty({ type: String, format: 'uuid', nullable: true })
  user_uuid!: string | null;

  @ApiProperty({ type: String, nullable: true })
  user_name!: string | null;

  @ApiProperty({ format: 'uuid' })
  request_id!: string;

  @ApiProperty({
    enum: ['success', 'denied', 'failed'],
    description: 'denied: refused by the role; failed: a failed login, or a change by a signed-in user answered with an error',
  })
  outcome!: OperationLogOutcome;

  @ApiPropertyOptional({
    type: OperationLogErrorSchema,
    description: 'the error the request was answered; only when it failed or was denied',
  })
  error?: ApiError;
}
