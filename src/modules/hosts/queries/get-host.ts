import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ClusterPort } from '../../clusters/cluster.port';
import type { HostView } from '../host.contract';
import { findHostRow, type HostPath } from '../host.store';
import { toHostView, toTaskView } from '../host.view';
import { TaskEntity } from '../task.entity';
import { HostDetails } from '../host-details';

/** How many of a host's tasks getHost shows, newest first. */
const RECENT_TASKS = 20;

export class GetHostQuery extends Query<HostView> {
  constructor(readonly path: HostPath) {
    super();
  }
}

@QueryHandler(GetHostQuery)
export class GetHostHandler implements IQueryHandler<GetHostQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly clusters: ClusterPort,
    private readonly details: HostDetails,
  ) {}

  async execute({ path }: GetHostQuery): Promise<HostView> {
    const manager = this.dataSource.manager;
    const cluster = await this.clusters.get(path.azUuid, path.clusterUuid, manager);
    const host = await findHostRow(manager, path);
    const tasks = await manager.find(TaskEntity, {
      where: { resourceType: 'host', resourceUuid: host.uuid },
      order: { createdAt: 'DESC', seq: 'DESC' },
      take: RECENT_TASKS,
    });
    const details = await this.details.of(manager, { uuid: host.uuid, az_uuid: host.azUuid, cluster_uuid: host.clusterUuid });
    const counts = await this.details.counts(manager, [host.uuid]);
    return { ...toHostView(host, cluster.name, tasks.map(toTaskView)), ...details, ...counts(host.uuid) };
  }
}
