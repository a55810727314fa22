import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource, In } from 'typeorm';
import { EntityRows } from '../../../platform/database/entity-rows';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import { ClusterPort } from '../../clusters/cluster.port';
import type { ClusterVolumeSpecView, VolumeSpecView } from '../storage.contract';
import type { ClusterVolumeSpecListParams, VolumeSpecListParams } from '../storage.dto';
import { ClusterVolumeSpecListing, StoragePoolEntity, type VolumeSpecEntity } from '../storage.entity';
import { findSpec, SPEC_ROWS } from '../storage.store';
import { toClusterVolumeSpecView, toVolumeSpecView } from '../storage.view';

const SPEC_LIST: ListSpec = {
  sort: {
    name: 'name',
    cluster_count: 'clusterCount',
    max_iops: 'maxIops',
    max_throughput: 'maxThroughput',
    created_at: 'createdAt',
  },
  text: ['name'],
  substring: { name: 'name' },
  exact: { storage_pool_uuid: 'storagePoolUuid' },
  tiebreak: 'uuid',
};

const REGISTRATION_LIST: ListSpec = {
  sort: { name: 'name', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  tiebreak: 'volumeSpecUuid',
};
const REGISTRATION_ROWS = new EntityRows(ClusterVolumeSpecListing);

async function poolNames(dataSource: DataSource, specs: VolumeSpecEntity[]): Promise<Map<string, string>> {
  if (specs.length === 0) return new Map();
  const pools = await dataSource.manager.find(StoragePoolEntity, {
    where: { uuid: In([...new Set(specs.map((spec) => spec.storagePoolUuid))]) },
    select: { uuid: true, name: true },
  });
  return new Map(pools.map((pool) => [pool.uuid, pool.name]));
}

export class GetVolumeSpecQuery extends Query<VolumeSpecView> {
  constructor(readonly uuid: string) {
    super();
  }
}

@QueryHandler(GetVolumeSpecQuery)
export class GetVolumeSpecHandler implements IQueryHandler<GetVolumeSpecQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ uuid }: GetVolumeSpecQuery): Promise<VolumeSpecView> {
    const spec = await findSpec(this.dataSource.manager, uuid);
    return toVolumeSpecView(spec, (await poolNames(this.dataSource, [spec])).get(spec.storagePoolUuid) ?? '');
  }
}

export class ListVolumeSpecsQuery extends Query<ListResult<VolumeSpecView>> {
  constructor(readonly params: VolumeSpecListParams) {
    super();
  }
}

@QueryHandler(ListVolumeSpecsQuery)
export class ListVolumeSpecsHandler implements IQueryHandler<ListVolumeSpecsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ params }: ListVolumeSpecsQuery): Promise<ListResult<VolumeSpecView>> {
    const page = await findPage(this.dataSource.manager, SPEC_ROWS, {}, params, SPEC_LIST, (spec: VolumeSpecEntity) => spec);
    const names = await poolNames(this.dataSource, page.elements);
    return { ...page, elements: page.elements.map((spec) => toVolumeSpecView(spec, names.get(spec.storagePoolUuid) ?? '')) };
  }
}

export class ListClusterVolumeSpecsQuery extends Query<ListResult<ClusterVolumeSpecView>> {
  constructor(
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly params: ClusterVolumeSpecListParams,
  ) {
    super();
  }
}

/** listClusterVolumeSpecRelation: the specs registered in one cluster; 404 when the cluster is not in that AZ. */
@QueryHandler(ListClusterVolumeSpecsQuery)
export class ListClusterVolumeSpecsHandler implements IQueryHandler<ListClusterVolumeSpecsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ azUuid, clusterUuid, params }: ListClusterVolumeSpecsQuery): Promise<ListResult<ClusterVolumeSpecView>> {
    await this.clusters.get(azUuid, clusterUuid);
    return findPage(this.dataSource.manager, REGISTRATION_ROWS, { clusterUuid }, params, REGISTRATION_LIST, toClusterVolumeSpecView);
  }
}
