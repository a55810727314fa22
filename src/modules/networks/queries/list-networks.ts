import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import { ClusterPort } from '../../clusters/cluster.port';
import type { NetworkView } from '../network.contract';
import type { NetworkListParams } from '../network.dto';
import { NetworkEntity } from '../network.entity';
import { EntityRows } from '../../../platform/database/entity-rows';
import { toNetworkView } from '../network.view';

const NETWORK_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', type: 'type', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', type: 'type', bridge_name: 'bridgeName', interface_name: 'interfaceName' },
  tiebreak: 'uuid',
};

const NETWORK_ROWS = new EntityRows(NetworkEntity);

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
    return findPage(this.dataSource.manager, NETWORK_ROWS, { clusterUuid }, params, NETWORK_LIST, (network) =>
      toNetworkView(network, cluster.name),
    );
  }
}
