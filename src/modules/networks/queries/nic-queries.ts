import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { Ownership } from '../../../platform/domain/ownership';
import type { Where } from '../../../platform/database/entity-rows';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import type { Actor } from '../../../platform/http/request-context';
import type { NicStatisticView, NicView } from '../nic.contract';
import type { NicListParams } from '../nic.dto';
import type { NicEntity } from '../nic.entity';
import { NIC_ROWS, nicNotFound } from '../nic.store';
import { NicViews } from '../nic.view';

const NIC_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', uuid: 'uuid', subnet_uuid: 'subnetUuid' },
  tiebreak: 'uuid',
};

export class ListNicsQuery extends Query<ListResult<NicView>> {
  constructor(
    readonly actor: Actor,
    readonly params: NicListParams,
  ) {
    super();
  }
}

/** The NICs the caller may see: a user's own, everyone's for administrators. */
@QueryHandler(ListNicsQuery)
export class ListNicsHandler implements IQueryHandler<ListNicsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly views: NicViews,
  ) {}

  async execute({ actor, params }: ListNicsQuery): Promise<ListResult<NicView>> {
    const manager = this.dataSource.manager;
    const owner = Ownership.ownerScope(actor);
    const scope = (owner ? { userUuid: owner } : {}) as Where<NicEntity>;
    const page = await findPage(manager, NIC_ROWS, scope, params, NIC_LIST, (row: NicEntity) => row);
    return { ...page, elements: await this.views.list(manager, page.elements) };
  }
}

export class GetNicQuery extends Query<NicView> {
  constructor(
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

@QueryHandler(GetNicQuery)
export class GetNicHandler implements IQueryHandler<GetNicQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly views: NicViews,
  ) {}

  async execute({ actor, uuid }: GetNicQuery): Promise<NicView> {
    const nic = await NIC_ROWS.findOne(this.dataSource.manager, { uuid });
    if (!nic) throw nicNotFound(uuid);
    Ownership.assertVisible(actor, nic.userUuid, () => nicNotFound(uuid));
    return this.views.one(this.dataSource.manager, nic);
  }
}

const NIC_STATISTIC = `
SELECT count(*)::int AS nics,
       count(*) FILTER (WHERE state = 0)::int AS busy,
       count(*) FILTER (WHERE state = 1)::int AS available,
       count(*) FILTER (WHERE state = 2)::int AS in_use
  FROM nics
 WHERE ($1::uuid IS NULL OR user_uuid = $1)`;

export class GetNicStatisticQuery extends Query<NicStatisticView> {
  constructor(readonly actor: Actor) {
    super();
  }
}

/** Counts by state of the NICs the caller may see (a user's own; all, for administrators). */
@QueryHandler(GetNicStatisticQuery)
export class GetNicStatisticHandler implements IQueryHandler<GetNicStatisticQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor }: GetNicStatisticQuery): Promise<NicStatisticView> {
    const [row]: NicStatisticView[] = await this.dataSource.query(NIC_STATISTIC, [Ownership.ownerScope(actor) ?? null]);
    return row;
  }
}
