import type { EntityManager } from 'typeorm';
import { describeForeignKey, describeUniqueConstraint } from '../../platform/database/database-errors';
import { EntityRows } from '../../platform/database/entity-rows';
import { NotFoundError } from '../../platform/errors/domain-error';
import { ClusterEntity } from './cluster.entity';

describeUniqueConstraint('clusters_az_name_key', 'a cluster with this name already exists in the availability zone');
describeForeignKey('clusters_az_uuid_fkey', 'the availability zone still holds clusters; delete them first');

export const CLUSTER_ROWS = new EntityRows(ClusterEntity);

export const clusterNotFound = (azUuid: string, uuid: string) =>
  new NotFoundError(`cluster ${uuid} not found in availability zone ${azUuid}`);

/** Loads a cluster of an AZ and locks its row; 404 when there is none in that AZ. */
export async function lockCluster(manager: EntityManager, azUuid: string, uuid: string): Promise<ClusterEntity> {
  const cluster = await CLUSTER_ROWS.findOne(manager, { uuid, azUuid }, { lock: true });
  if (!cluster) throw clusterNotFound(azUuid, uuid);
  return cluster;
}

export async function findCluster(manager: EntityManager, azUuid: string, uuid: string): Promise<ClusterEntity> {
  const cluster = await CLUSTER_ROWS.findOne(manager, { uuid, azUuid });
  if (!cluster) throw clusterNotFound(azUuid, uuid);
  return cluster;
}
