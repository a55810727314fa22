import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ClusterPort } from '../../clusters/cluster.port';
import type { NetworkView } from '../network.contract';
import { findNetwork, type NetworkPath } from '../network.store';
import { toNetworkView } from '../network.view';

export class GetNetworkQuery extends Query<NetworkView> {
  constructor(readonly path: NetworkPath) {
    super();
  }
}

@QueryHandler(GetNetworkQuery)
export class GetNetworkHandler implements IQueryHandler<GetNetworkQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ path }: GetNetworkQuery): Promise<NetworkView> {
    const cluster = await this.clusters.get(path.azUuid, path.clusterUuid);
    return toNetworkView(await findNetwork(this.dataSource.manager, path), cluster.name);
  }
}
