import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import { ClusterPort } from '../../clusters/cluster.port';
import type { NetworkView } from '../network.contract';
import type { NetworkListParams } from '../network.dto';
import { NetworkEntity } from '../network.entity';
import { toNetworkView } from '../network.view';

const NETWORK_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', type: 'type', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', type: 'type', bridge_name: 'bridgeName', interface_name: 'interfaceName' },
  tiebreak: 'uuid',
};

export class ListNetworksQuery extends Query<ListResult<NetworkView>> {
  constructor(
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly params: NetworkListParams,
  ) {
    super();
  }
}

/** The networks of one cluster; 404 when the cluster is not in that AZ. */
@QueryHandler(ListNetworksQuery)
export class ListNetworksHandler implements IQueryHandler<ListNetworksQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ azUuid, clusterUuid, params }: ListNetworksQuery): Promise<ListResult<NetworkView>> {
    const cluster = await this.clusters.get(azUuid, clusterUuid);
    const qb = this.dataSource
      .getRepository(NetworkEntity)
      .createQueryBuilder('network')
      .where('network.clusterUuid = :clusterUuid', { clusterUuid });
    return findPage(qb, params, NETWORK_LIST, (network) => toNetworkView(network, cluster.name));
  }
}
