import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { AzView } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findAz } from '../az.store';
import { toAzView } from '../az.view';

export class GetAzQuery extends Query<AzView> {
  constructor(readonly uuid: string) {
    super();
  }
}

@QueryHandler(GetAzQuery)
export class GetAzHandler implements IQueryHandler<GetAzQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ uuid }: GetAzQuery): Promise<AzView> {
    return toAzView(await findAz(this.dataSource.manager, uuid));
  }
}
