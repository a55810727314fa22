import type {
  ClusterSortField,
  ClusterView,
  CreateClusterRequest,
  ListClusterFilters,
  ListQuery,
  ListResult,
  UpdateClusterRequest,
} from '@chime/contracts';
import type { Operation, OperationCaller } from './operation';

/** The `cluster` category (API.md §4.2): always addressed under its AZ; the pattern is described in user-api.ts. */
export const CLUSTER_OPERATIONS = {
  listCluster: { method: 'GET', path: '/v1/az/{AzUuid}/cluster' },
  createCluster: { method: 'POST', path: '/v1/az/{AzUuid}/cluster' },
  getCluster: { method: 'GET', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}' },
  updateCluster: { method: 'PATCH', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}' },
  deleteCluster: { method: 'DELETE', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}' },
  enableCluster: { method: 'PUT', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}/enable' },
  disableCluster: { method: 'PUT', path: '/v1/az/{AzUuid}/cluster/{ClusterUuid}/disable' },
} as const satisfies Record<string, Operation>;

export class ClusterApi {
  constructor(private readonly client: OperationCaller) {}

  listCluster(AzUuid: string, query: ListClusterFilters & ListQuery<ClusterSortField> = {}): Promise<ListResult<ClusterView>> {
    return this.client.call(CLUSTER_OPERATIONS.listCluster, { pathParams: { AzUuid }, query });
  }

  createCluster(AzUuid: string, body: CreateClusterRequest): Promise<{ cluster: ClusterView }> {
    return this.client.call(CLUSTER_OPERATIONS.createCluster, { pathParams: { AzUuid }, body });
  }

  getCluster(AzUuid: string, ClusterUuid: string): Promise<{ cluster: ClusterView }> {
    return this.client.call(CLUSTER_OPERATIONS.getCluster, { pathParams: { AzUuid, ClusterUuid } });
  }

  updateCluster(AzUuid: string, ClusterUuid: string, body: UpdateClusterRequest): Promise<{ cluster: 'ok' }> {
    return this.client.call(CLUSTER_OPERATIONS.updateCluster, { pathParams: { AzUuid, ClusterUuid }, body });
  }

  deleteCluster(AzUuid: string, ClusterUuid: string): Promise<1> {
    return this.client.call(CLUSTER_OPERATIONS.deleteCluster, { pathParams: { AzUuid, ClusterUuid } });
  }

  enableCluster(AzUuid: string, ClusterUuid: string): Promise<{ cluster: 'ok' }> {
    return this.client.call(CLUSTER_OPERATIONS.enableCluster, { pathParams: { AzUuid, ClusterUuid } });
  }

  disableCluster(AzUuid: string, ClusterUuid: string): Promise<{ cluster: 'ok' }> {
    return this.client.call(CLUSTER_OPERATIONS.disableCluster, { pathParams: { AzUuid, ClusterUuid } });
  }
}
