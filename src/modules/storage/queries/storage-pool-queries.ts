import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import { ClusterPort } from '../../clusters/cluster.port';
import type { StoragePoolStatisticView, StoragePoolView } from '../storage.contract';
import type { AllStoragePoolListParams, StoragePoolListParams, StoragePoolStatisticParams } from '../storage.dto';
import type { StoragePoolEntity } from '../storage.entity';
import { findPool, POOL_ROWS, type PoolPath } from '../storage.store';
import { toStoragePoolView } from '../storage.view';

const POOL_LIST: ListSpec = {
  sort: {
    name: 'name',
    type: 'type',
    state: 'state',
    physical_size: 'physicalSize',
    total_size: 'totalSize',
    used_size: 'usedSize',
    created_at: 'createdAt',
  },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', type: 'type' },
  tiebreak: 'uuid',
};

export class GetStoragePoolQuery extends Query<StoragePoolView> {
  constructor(readonly path: PoolPath) {
    super();
  }
}

@QueryHandler(GetStoragePoolQuery)
export class GetStoragePoolHandler implements IQueryHandler<GetStoragePoolQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ path }: GetStoragePoolQuery): Promise<StoragePoolView> {
    const cluster = await this.clusters.get(path.azUuid, path.clusterUuid);
    return toStoragePoolView(await findPool(this.dataSource.manager, path), cluster.name);
  }
}

export class ListStoragePoolsQuery extends Query<ListResult<StoragePoolView>> {
  /** Without a cluster: every cluster's pools (listStoragePoolAll). */
  constructor(
    readonly params: StoragePoolListParams | AllStoragePoolListParams,
    readonly cluster?: { azUuid: string; clusterUuid: string },
  ) {
    super();
  }
}

@QueryHandler(ListStoragePoolsQuery)
export class ListStoragePoolsHandler implements IQueryHandler<ListStoragePoolsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ params, cluster }: ListStoragePoolsQuery): Promise<ListResult<StoragePoolView>> {
    const manager = this.dataSource.manager;
    if (cluster) await this.clusters.get(cluster.azUuid, cluster.clusterUuid, manager);
    const scope = cluster ? { azUuid: cluster.azUuid, clusterUuid: cluster.clusterUuid } : {};
    const page = await findPage(manager, POOL_ROWS, scope, params, POOL_LIST, (pool: StoragePoolEntity) => pool);
    const names = await this.clusters.names(page.elements.map((pool) => pool.clusterUuid), manager);
    return { ...page, elements: page.elements.map((pool) => toStoragePoolView(pool, names.get(pool.clusterUuid) ?? '')) };
  }
}

const STATISTIC = `
SELECT count(*)::int AS storage_pools,
       coalesce(sum(volume_count), 0)::int AS volumes,
       coalesce(sum(physical_size), 0)::float8 AS physical_size,
       coalesce(sum(reserved_size), 0)::float8 AS reserved_size,
       coalesce(sum(total_size), 0)::float8 AS total_size,
       coalesce(sum(used_size), 0)::float8 AS used_size,
       coalesce(sum(total_size - used_size), 0)::float8 AS free_size
  FROM storage_pools
 WHERE ($1::uuid IS NULL OR cluster_uuid = $1) AND ($2::uuid IS NULL OR uuid = $2)`;

export class GetStoragePoolStatisticQuery extends Query<StoragePoolStatisticView> {
  constructor(readonly params: StoragePoolStatisticParams) {
    super();
  }
}

/** Counts and sizes of the pools: all of them, a cluster's, or one pool. */
@QueryHandler(GetStoragePoolStatisticQuery)
export class GetStoragePoolStatisticHandler implements IQueryHandler<GetStoragePoolStatisticQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ params }: GetStoragePoolStatisticQuery): Promise<StoragePoolStatisticView> {
    const [row]: StoragePoolStatisticView[] = await this.dataSource.query(STATISTIC, [
      params.cluster_uuid ?? null,
      params.storage_pool_uuid ?? null,
    ]);
    return row;
  }
}
