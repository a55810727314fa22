import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { AzView, ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import type { AzListParams } from '../az.dto';
import { AZ_ROWS } from '../az.store';
import { toAzView } from '../az.view';

const AZ_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state' },
  tiebreak: 'uuid',
};

export class ListAzsQuery extends Query<ListResult<AzView>> {
  constructor(readonly params: AzListParams) {
    super();
  }
}

@QueryHandler(ListAzsQuery)
export class ListAzsHandler implements IQueryHandler<ListAzsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ params }: ListAzsQuery): Promise<ListResult<AzView>> {
    return findPage(this.dataSource.manager, AZ_ROWS, {}, params, AZ_LIST, toAzView);
  }
}
