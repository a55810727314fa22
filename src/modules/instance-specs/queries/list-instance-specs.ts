import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import type { InstanceSpecView } from '../instance-spec.contract';
import type { InstanceSpecListParams } from '../instance-spec.dto';
import { InstanceSpecEntity } from '../instance-spec.entity';
import { EntityRows } from '../../../platform/database/entity-rows';
import { toInstanceSpecView } from '../instance-spec.view';

const INSTANCE_SPEC_LIST: ListSpec = {
  sort: { name: 'name', vcpus: 'vcpus', memory: 'memory', type: 'type', cluster_count: 'clusterCount', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { type: 'type' },
  tiebreak: 'uuid',
};

const INSTANCE_SPEC_ROWS = new EntityRows(InstanceSpecEntity);

export class ListInstanceSpecsQuery extends Query<ListResult<InstanceSpecView>> {
  constructor(readonly params: InstanceSpecListParams) {
    super();
  }
}

@QueryHandler(ListInstanceSpecsQuery)
export class ListInstanceSpecsHandler implements IQueryHandler<ListInstanceSpecsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ params }: ListInstanceSpecsQuery): Promise<ListResult<InstanceSpecView>> {
    return findPage(this.dataSource.manager, INSTANCE_SPEC_ROWS, {}, params, INSTANCE_SPEC_LIST, toInstanceSpecView);
  }
}
