import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ClusterEntity } from './cluster.entity';

/** What other modules may know of clusters: the clusters module's only export. */
@Injectable()
export class ClusterDirectory {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the cluster exists in that AZ. */
  async isIn(azUuid: string, clusterUuid: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (await manager.count(ClusterEntity, { where: { uuid: clusterUuid, azUuid } })) > 0;
  }
}
