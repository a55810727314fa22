import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import type { Where } from '../../../platform/database/entity-rows';
import { NotFoundError } from '../../../platform/errors/domain-error';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import type { Actor } from '../../../platform/http/request-context';
import { ClusterPort } from '../../clusters/cluster.port';
import { Ownership } from '../../../platform/domain/ownership';
import type { SnapshotView, VolumeStatisticView, VolumeView } from '../storage.contract';
import type { SnapshotListParams, VolumeListParams } from '../storage.dto';
import type { SnapshotRowEntity, VolumeRowEntity } from '../storage.entity';
import { SNAPSHOT_ROWS, VOLUME_ROWS, volumeNotFound, type VolumePath } from '../storage.store';
import { toSnapshotView } from '../storage.view';
import { VolumeViews } from '../volume-views';

const VOLUME_LIST: ListSpec = {
  sort: { name: 'name', size: 'size', state: 'state', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', uuid: 'uuid', host_uuid: 'hostUuid', type: 'type' },
  tiebreak: 'uuid',
};

const SNAPSHOT_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', volume_version: 'volumeVersion', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state' },
  tiebreak: 'uuid',
};

/** The volume a caller may see; 404 for one that is not there, or not theirs (role 0). */
async function visibleVolume(dataSource: DataSource, actor: Actor, uuid: string, path?: Omit<VolumePath, 'volumeUuid'>) {
  const row = await VOLUME_ROWS.findOne(
    dataSource.manager,
    path ? { uuid, azUuid: path.azUuid, clusterUuid: path.clusterUuid } : { uuid },
  );
  if (!row) throw volumeNotFound(uuid, path ? ` in cluster ${path.clusterUuid} of availability zone ${path.azUuid}` : '');
  Ownership.assertVisible(actor, row.userUuid, () => volumeNotFound(uuid));
  return row;
}

function ownerScope<E extends { userUuid: string }>(actor: Actor): Where<E> {
  const owner = Ownership.ownerScope(actor);
  return (owner ? { userUuid: owner } : {}) as Where<E>;
}

export class ListVolumesQuery extends Query<ListResult<VolumeView>> {
  constructor(
    readonly actor: Actor,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly params: VolumeListParams,
  ) {
    super();
  }
}

@QueryHandler(ListVolumesQuery)
export class ListVolumesHandler implements IQueryHandler<ListVolumesQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
    private readonly views: VolumeViews,
  ) {}

  async execute({ actor, azUuid, clusterUuid, params }: ListVolumesQuery): Promise<ListResult<VolumeView>> {
    const manager = this.dataSource.manager;
    await this.clusters.get(azUuid, clusterUuid, manager);
    const scope = { azUuid, clusterUuid, ...ownerScope<VolumeRowEntity>(actor) };
    const page = await findPage(manager, VOLUME_ROWS, scope, params, VOLUME_LIST, (row: VolumeRowEntity) => row);
    return { ...page, elements: await this.views.list(manager, page.elements) };
  }
}

export class GetVolumeQuery extends Query<VolumeView> {
  constructor(
    readonly actor: Actor,
    readonly path: VolumePath,
  ) {
    super();
  }
}

@QueryHandler(GetVolumeQuery)
export class GetVolumeHandler implements IQueryHandler<GetVolumeQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly views: VolumeViews,
  ) {}

  async execute({ actor, path }: GetVolumeQuery): Promise<VolumeView> {
    return this.views.detail(this.dataSource.manager, await visibleVolume(this.dataSource, actor, path.volumeUuid, path));
  }
}

const VOLUME_STATISTIC = `
SELECT count(*)::int AS volumes,
       count(*) FILTER (WHERE state = 0)::int AS unavailable,
       count(*) FILTER (WHERE state = 1)::int AS available,
       count(*) FILTER (WHERE state = 2)::int AS in_use,
       count(*) FILTER (WHERE state = 10)::int AS failed,
       coalesce(sum(size) FILTER (WHERE state <> 10), 0)::float8 AS size,
       coalesce(sum(snapshot_count), 0)::int AS snapshots
  FROM volumes
 WHERE ($1::uuid IS NULL OR user_uuid = $1)`;

export class GetVolumeStatisticQuery extends Query<VolumeStatisticView> {
  constructor(readonly actor: Actor) {
    super();
  }
}

/** Counts by state and bytes of the volumes the caller may see (a user's own; all, for administrators). */
@QueryHandler(GetVolumeStatisticQuery)
export class GetVolumeStatisticHandler implements IQueryHandler<GetVolumeStatisticQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor }: GetVolumeStatisticQuery): Promise<VolumeStatisticView> {
    const [row]: VolumeStatisticView[] = await this.dataSource.query(VOLUME_STATISTIC, [Ownership.ownerScope(actor) ?? null]);
    return row;
  }
}

export class ListSnapshotsQuery extends Query<ListResult<SnapshotView>> {
  /** Without a volume: every snapshot the caller may see (listSnapshot). */
  constructor(
    readonly actor: Actor,
    readonly params: SnapshotListParams,
    readonly volumeUuid?: string,
  ) {
    super();
  }
}

@QueryHandler(ListSnapshotsQuery)
export class ListSnapshotsHandler implements IQueryHandler<ListSnapshotsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, params, volumeUuid }: ListSnapshotsQuery): Promise<ListResult<SnapshotView>> {
    if (volumeUuid) await visibleVolume(this.dataSource, actor, volumeUuid);
    const scope = volumeUuid ? { volumeUuid } : ownerScope<SnapshotRowEntity>(actor);
    return findPage(this.dataSource.manager, SNAPSHOT_ROWS, scope, params, SNAPSHOT_LIST, (row: SnapshotRowEntity) =>
      toSnapshotView(row),
    );
  }
}

export class GetSnapshotQuery extends Query<SnapshotView> {
  constructor(
    readonly actor: Actor,
    readonly volumeUuid: string,
    readonly snapshotUuid: string,
  ) {
    super();
  }
}

@QueryHandler(GetSnapshotQuery)
export class GetSnapshotHandler implements IQueryHandler<GetSnapshotQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly views: VolumeViews,
  ) {}

  async execute({ actor, volumeUuid, snapshotUuid }: GetSnapshotQuery): Promise<SnapshotView> {
    await visibleVolume(this.dataSource, actor, volumeUuid);
    const row = await SNAPSHOT_ROWS.findOne(this.dataSource.manager, { uuid: snapshotUuid, volumeUuid });
    if (!row) throw new NotFoundError(`snapshot ${snapshotUuid} not found on volume ${volumeUuid}`);
    return this.views.snapshot(this.dataSource.manager, row);
  }
}
