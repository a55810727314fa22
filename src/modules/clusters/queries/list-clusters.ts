import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ClusterView, ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import { AzPort } from '../../zones/az.port';
import type { ClusterListParams } from '../cluster.dto';
import { CLUSTER_ROWS } from '../cluster.store';
import { toClusterView } from '../cluster.view';

const CLUSTER_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', type: 'type', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', type: 'type', hypervisor_type: 'hypervisorType', arch: 'arch' },
  tiebreak: 'uuid',
};

export class ListClustersQuery extends Query<ListResult<ClusterView>> {
  constructor(
    readonly azUuid: string,
    readonly params: ClusterListParams,
  ) {
    super();
  }
}

/** The clusters of one AZ; 404 when the AZ does not exist. */
@QueryHandler(ListClustersQuery)
export class ListClustersHandler implements IQueryHandler<ListClustersQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly zones: AzPort,
  ) {}

  async execute({ azUuid, params }: ListClustersQuery): Promise<ListResult<ClusterView>> {
    const az = await this.zones.get(azUuid);
    return findPage(this.dataSource.manager, CLUSTER_ROWS, { azUuid }, params, CLUSTER_LIST, (cluster) =>
      toClusterView(cluster, az.name),
    );
  }
}
