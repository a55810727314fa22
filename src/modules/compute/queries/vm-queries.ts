import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import type { Where } from '../../../platform/database/entity-rows';
import { Ownership } from '../../../platform/domain/ownership';
import type { Actor } from '../../../platform/http/request-context';
import type { VmStatisticView, VmView } from '../compute.contract';
import type { VmListParams } from '../compute.dto';
import type { VmEntity } from '../vm.entity';
import { visibleVm, VM_ROWS } from '../vm.store';
import { VmViews } from '../vm-views';

const VM_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', vcpus: 'vcpus', memory: 'memory', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: {
    state: 'state',
    uuid: 'uuid',
    host_uuid: 'hostUuid',
    az_uuid: 'azUuid',
    cluster_uuid: 'clusterUuid',
  },
  tiebreak: 'uuid',
};

export class ListVmsQuery extends Query<ListResult<VmView>> {
  constructor(
    readonly actor: Actor,
    readonly params: VmListParams,
  ) {
    super();
  }
}

/** listVm: a user's own VMs; all of them for administrators. */
@QueryHandler(ListVmsQuery)
export class ListVmsHandler implements IQueryHandler<ListVmsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly views: VmViews,
  ) {}

  async execute({ actor, params }: ListVmsQuery): Promise<ListResult<VmView>> {
    const manager = this.dataSource.manager;
    const owner = Ownership.ownerScope(actor);
    const scope = (owner ? { userUuid: owner } : {}) as Where<VmEntity>;
    const page = await findPage(manager, VM_ROWS, scope, params, VM_LIST, (row: VmEntity) => row);
    return { ...page, elements: await this.views.list(manager, page.elements) };
  }
}

export class DescribeVmQuery extends Query<VmView> {
  constructor(
    readonly actor: Actor,
    readonly vmUuid: string,
  ) {
    super();
  }
}

@QueryHandler(DescribeVmQuery)
export class DescribeVmHandler implements IQueryHandler<DescribeVmQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly views: VmViews,
  ) {}

  async execute({ actor, vmUuid }: DescribeVmQuery): Promise<VmView> {
    const manager = this.dataSource.manager;
    return this.views.detail(manager, await visibleVm(manager, actor, vmUuid));
  }
}

const VM_STATISTIC = `
SELECT count(*)::int AS total,
       count(*) FILTER (WHERE state = 1)::int AS running,
       count(*) FILTER (WHERE state = 4)::int AS stopped,
       count(*) FILTER (WHERE state = 0)::int AS unavailable,
       count(*) FILTER (WHERE state = 10)::int AS failed,
       coalesce(sum(vcpus) FILTER (WHERE state <> 10), 0)::int AS vcpus,
       coalesce(sum(memory) FILTER (WHERE state <> 10), 0)::float8 AS memory
  FROM vms
 WHERE ($1::uuid IS NULL OR user_uuid = $1)`;

export class GetVmStatisticQuery extends Query<VmStatisticView> {
  constructor(readonly actor: Actor) {
    super();
  }
}

/** Counts by state, and the vCPUs and memory claimed, of the VMs the caller may see. */
@QueryHandler(GetVmStatisticQuery)
export class GetVmStatisticHandler implements IQueryHandler<GetVmStatisticQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor }: GetVmStatisticQuery): Promise<VmStatisticView> {
    const [row]: VmStatisticView[] = await this.dataSource.query(VM_STATISTIC, [Ownership.ownerScope(actor) ?? null]);
    return row;
  }
}
