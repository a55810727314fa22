import type { ListOperationLogFilters, ListQuery, ListResult, OperationLogSortField, OperationLogView } from '@chime/contracts';
import type { Operation, OperationCaller } from './operation';

/**
 * The `operation_log` category (API.md §6.2); the pattern is described in user-api.ts. The log is
 * filled from the event log by a consumer, so an entry appears shortly after its request, not with it.
 */
export const OPERATION_LOG_OPERATIONS = {
  listOperationLog: { method: 'GET', path: '/v1/operation_log' },
  getOperationLog: { method: 'GET', path: '/v1/operation_log/{id}' },
} as const satisfies Record<string, Operation>;

export class OperationLogApi {
  constructor(private readonly client: OperationCaller) {}

  listOperationLog(
    query: ListOperationLogFilters & ListQuery<OperationLogSortField> = {},
  ): Promise<ListResult<OperationLogView>> {
    return this.client.call(OPERATION_LOG_OPERATIONS.listOperationLog, { query });
  }

  getOperationLog(id: number): Promise<{ operation_log: OperationLogView }> {
    return this.client.call(OPERATION_LOG_OPERATIONS.getOperationLog, { pathParams: { id } });
  }
}
