import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Role, type ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import type { Actor } from '../../../platform/http/request-context';
import type { OperationLogListParams } from '../operation-log.dto';
import { OperationLogEntity } from '../operation-log.entity';
import { EntityRows } from '../../../platform/database/entity-rows';
import { OperationLogView, toOperationLogView } from '../operation-log.view';

/**
 * `total` of an operation-log list is exact up to this many entries; beyond, it is this + 1 ("more
 * than 10,000"): counting a log of millions on every page would cost more than the page itself.
 */
export const OPERATION_LOG_COUNT_CAP = 10_000;

const OPERATION_LOG_LIST: ListSpec = {
  sort: { created_at: 'createdAt', id: 'id' },
  exact: { method: 'method', user_uuid: 'userUuid', path: 'path', outcome: 'outcome', request_id: 'requestId' },
  prefix: { path_prefix: 'path' },
  from: { created_after: 'createdAt' },
  until: { created_before: 'createdAt' },
  tiebreak: 'id',
  countCap: OPERATION_LOG_COUNT_CAP,
};

const OPERATION_LOG_ROWS = new EntityRows(OperationLogEntity);

export class ListOperationLogQuery extends Query<ListResult<OperationLogView>> {
  constructor(
    readonly actor: Actor,
    readonly params: OperationLogListParams,
  ) {
    super();
  }
}

/** Newest first; a user (role 0) sees only its own entries. */
@QueryHandler(ListOperationLogQuery)
export class ListOperationLogHandler implements IQueryHandler<ListOperationLogQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ actor, params }: ListOperationLogQuery): Promise<ListResult<OperationLogView>> {
    const scope = actor.role < Role.ReadOnlyAdmin ? { userUuid: actor.uuid } : {};
    return findPage(this.dataSource.manager, OPERATION_LOG_ROWS, scope, params, OPERATION_LOG_LIST, toOperationLogView);
  }
}
