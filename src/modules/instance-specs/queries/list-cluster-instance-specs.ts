import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, ListSpec } from '../../../platform/http/list-query';
import { ClusterPort } from '../../clusters/cluster.port';
import type { ClusterInstanceSpecView } from '../instance-spec.contract';
import type { ClusterInstanceSpecListParams } from '../instance-spec.dto';
import { ClusterInstanceSpecListing } from '../instance-spec.entity';
import { EntityRows } from '../../../platform/database/entity-rows';
import { toClusterInstanceSpecView } from '../instance-spec.view';

const CLUSTER_INSTANCE_SPEC_LIST: ListSpec = {
  sort: { name: 'name', vcpus: 'vcpus', memory: 'memory', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  tiebreak: 'instanceSpecUuid',
};

/** listClusterInstanceSpecRelation. */
const REGISTRATION_ROWS = new EntityRows(ClusterInstanceSpecListing);

export class ListClusterInstanceSpecsQuery extends Query<ListResult<ClusterInstanceSpecView>> {
  constructor(
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly params: ClusterInstanceSpecListParams,
  ) {
    super();
  }
}

/** The specs registered in one cluster; 404 when the cluster is not in that AZ. */
@QueryHandler(ListClusterInstanceSpecsQuery)
export class ListClusterInstanceSpecsHandler implements IQueryHandler<ListClusterInstanceSpecsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ azUuid, clusterUuid, params }: ListClusterInstanceSpecsQuery): Promise<ListResult<ClusterInstanceSpecView>> {
    await this.clusters.get(azUuid, clusterUuid);
    return findPage(
      this.dataSource.manager,
      REGISTRATION_ROWS,
      { clusterUuid },
      params,
      CLUSTER_INSTANCE_SPEC_LIST,
      toClusterInstanceSpecView,
    );
  }
}
