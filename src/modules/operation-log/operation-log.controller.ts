import { Controller, Get, Query } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiParam, ApiTags } from '@nestjs/swagger';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import type { ListResult } from '@chime/contracts';
import { CurrentActor } from '../../platform/http/current-actor.decorator';
import { IdParam } from '../../platform/http/validation';
import type { Actor } from '../../platform/http/request-context';
import { OperationLogListParams } from './operation-log.dto';
import { OperationLogViewSchema, type OperationLogView } from './operation-log.view';
import { GetOperationLogQuery } from './queries/get-operation-log';
import { ListOperationLogQuery, OPERATION_LOG_COUNT_CAP } from './queries/list-operation-log';

describeApiTag('operation_log', 'The audit trail: every change, failed change, failed login and denied request, newest first.');

/** The audit trail (API.md §6.2). */
@ApiTags('operation_log')
@Controller('v1/operation_log')
export class OperationLogController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @ApiDoc({
    summary: 'list operation log entries',
    description:
      'Newest first. A user (role 0) sees only its own entries. ' +
      `\`total\` is exact up to ${OPERATION_LOG_COUNT_CAP}; beyond, it is ${OPERATION_LOG_COUNT_CAP + 1}, ` +
      `meaning "more than ${OPERATION_LOG_COUNT_CAP}" (pages past it can still be read).`,
    result: listOf(OperationLogViewSchema),
  })
  listOperationLog(@CurrentActor() actor: Actor, @Query() query: OperationLogListParams): Promise<ListResult<OperationLogView>> {
    return this.queries.execute(new ListOperationLogQuery(actor, query));
  }

  @Get(':id')
  @ApiDoc({ summary: "get an operation log entry's detailed information", result: { operation_log: OperationLogViewSchema } })
  @ApiParam({ name: 'id', schema: { type: 'integer', format: 'int64', minimum: 1 } })
  async getOperationLog(@CurrentActor() actor: Actor, @IdParam('id') id: string): Promise<{ operation_log: OperationLogView }> {
    return { operation_log: await this.queries.execute(new GetOperationLogQuery(actor, id)) };
  }
}
