import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { InstanceSpecView } from '../instance-spec.contract';
import { findInstanceSpec } from '../instance-spec.store';
import { toInstanceSpecView } from '../instance-spec.view';

export class GetInstanceSpecQuery extends Query<InstanceSpecView> {
  constructor(readonly uuid: string) {
    super();
  }
}

@QueryHandler(GetInstanceSpecQuery)
export class GetInstanceSpecHandler implements IQueryHandler<GetInstanceSpecQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ uuid }: GetInstanceSpecQuery): Promise<InstanceSpecView> {
    return toInstanceSpecView(await findInstanceSpec(this.dataSource.manager, uuid));
  }
}
