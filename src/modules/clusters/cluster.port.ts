import { Injectable } from '@nestjs/common';
import { State } from '@chime/contracts';
import { DataSource, EntityManager } from 'typeorm';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import { ClusterEntity } from './cluster.entity';
import { findCluster, lockCluster } from './cluster.store';

export interface ClusterSummary {
  uuid: string;
  name: string;
  az_uuid: string;
  state: State;
}

function summary(cluster: ClusterEntity): ClusterSummary {
  return { uuid: cluster.uuid, name: cluster.name, az_uuid: cluster.azUuid, state: cluster.state };
}

/**
 * What other modules may know of clusters, and may do with them: the clusters module's only export
 * (a global provider, so a module that keeps things under a cluster needs no import of this one).
 */
@Injectable()
export class ClusterPort {
  constructor(private readonly dataSource: DataSource) {}

  /** Whether the cluster exists in that AZ. */
  async isIn(azUuid: string, clusterUuid: string, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    return (await manager.count(ClusterEntity, { where: { uuid: clusterUuid, azUuid } })) > 0;
  }

  /** The cluster of that AZ; 404 when there is none there. */
  async get(azUuid: string, clusterUuid: string, manager: EntityManager = this.dataSource.manager): Promise<ClusterSummary> {
    return summary(await findCluster(manager, azUuid, clusterUuid));
  }

  /** The names of these clusters, for views that show them (clusters deleted since are left out). */
  async names(clusterUuids: string[], manager: EntityManager = this.dataSource.manager): Promise<Map<string, string>> {
    if (clusterUuids.length === 0) return new Map();
    const rows = await manager
      .getRepository(ClusterEntity)
      .createQueryBuilder('c')
      .select(['c.uuid', 'c.name'])
      .where('c.uuid IN (:...uuids)', { uuids: [...new Set(clusterUuids)] })
      .getMany();
    return new Map(rows.map((row) => [row.uuid, row.name]));
  }

  /**
   * Within a transaction that adds something to a cluster (a network, a spec relation …): locks the
   * cluster's row until the commit, so that additions to one cluster take turns (its limits hold)
   * and the cluster cannot be deleted meanwhile. 404 when it is not in that AZ; 400
   * FAILED_PRECONDITION when it is disabled (a disabled cluster, like a disabled AZ, takes nothing new).
   */
  async lockForAddition(manager: EntityManager, azUuid: string, clusterUuid: string): Promise<ClusterSummary> {
    const cluster = await lockCluster(manager, azUuid, clusterUuid);
    if (cluster.state !== State.Enabled) {
      throw new FailedPreconditionError(`cluster ${clusterUuid} is disabled and accepts nothing new`);
    }
    return summary(cluster);
  }
}
