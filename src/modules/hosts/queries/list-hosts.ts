import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import type { ListResult } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import { ClusterPort } from '../../clusters/cluster.port';
import type { HostView } from '../host.contract';
import type { HostListParams } from '../host.dto';
import { HOST_VIEW_ROWS } from '../host.store';
import { HostDetails } from '../host-details';
import { toHostView } from '../host.view';

const HOST_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', monitor_state: 'monitorState', created_at: 'createdAt', heartbeat_at: 'heartbeatAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', monitor_state: 'monitorState', rack_name: 'rackName', manage_ip: 'manageIp', uuid: 'uuid' },
  tiebreak: 'uuid',
};

export class ListHostsQuery extends Query<ListResult<HostView>> {
  constructor(
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly params: HostListParams,
  ) {
    super();
  }
}

/** The hosts of one cluster; 404 when the cluster is not in that AZ. */
@QueryHandler(ListHostsQuery)
export class ListHostsHandler implements IQueryHandler<ListHostsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
    private readonly details: HostDetails,
  ) {}

  async execute({ azUuid, clusterUuid, params }: ListHostsQuery): Promise<ListResult<HostView>> {
    const cluster = await this.clusters.get(azUuid, clusterUuid);
    const page = await findPage(this.dataSource.manager, HOST_VIEW_ROWS, { clusterUuid }, params, HOST_LIST, (host) =>
      toHostView(host, cluster.name),
    );
    const counts = await this.details.counts(
      this.dataSource.manager,
      page.elements.map((host) => host.uuid),
    );
    return { ...page, elements: page.elements.map((host) => ({ ...host, ...counts(host.uuid) })) };
  }
}
