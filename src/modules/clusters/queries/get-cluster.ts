import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ClusterView } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { AzPort } from '../../zones/az.port';
import { findCluster } from '../cluster.store';
import { toClusterView } from '../cluster.view';

export class GetClusterQuery extends Query<ClusterView> {
  constructor(
    readonly azUuid: string,
    readonly uuid: string,
  ) {
    super();
  }
}

@QueryHandler(GetClusterQuery)
export class GetClusterHandler implements IQueryHandler<GetClusterQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly zones: AzPort,
  ) {}

  async execute({ azUuid, uuid }: GetClusterQuery): Promise<ClusterView> {
    const az = await this.zones.get(azUuid);
    return toClusterView(await findCluster(this.dataSource.manager, azUuid, uuid), az.name);
  }
}
