import type { EntityManager } from 'typeorm';
import { EntityRows } from '../../platform/database/entity-rows';
import { describeForeignKey } from '../../platform/database/database-errors';
import { NotFoundError } from '../../platform/errors/domain-error';
import { ClientEntity } from './client.entity';
import { HostEntity, HostRowEntity } from './host.entity';

// The clusters module's deleteCluster fails on this key (see hosts.migration.ts).
describeForeignKey('hosts_cluster_uuid_fkey', 'the cluster still holds hosts; delete them first');

export const CLIENT_ROWS = new EntityRows(ClientEntity);
export const HOST_ROWS = new EntityRows(HostEntity);
export const HOST_VIEW_ROWS = new EntityRows(HostRowEntity);

/** Where a host is addressed: `/v1/az/{AzUuid}/cluster/{ClusterUuid}/host/{HostUuid}`. */
export interface HostPath {
  azUuid: string;
  clusterUuid: string;
  hostUuid: string;
}

function notFound({ azUuid, clusterUuid, hostUuid }: HostPath): NotFoundError {
  return new NotFoundError(`host ${hostUuid} not found in cluster ${clusterUuid} of availability zone ${azUuid}`);
}

const where = ({ azUuid, clusterUuid, hostUuid }: HostPath) => ({ uuid: hostUuid, clusterUuid, azUuid });

/** The host at that path as it is read (with its node's facts); 404 when there is none there. */
export async function findHostRow(manager: EntityManager, path: HostPath): Promise<HostRowEntity> {
  const host = await HOST_VIEW_ROWS.findOne(manager, where(path));
  if (!host) throw notFound(path);
  return host;
}

/** The host at that path, its row locked until the commit; 404 when there is none there. */
export async function lockHost(manager: EntityManager, path: HostPath): Promise<HostEntity> {
  const host = await HOST_ROWS.findOne(manager, where(path), { lock: true });
  if (!host) throw notFound(path);
  return host;
}

/** The client of that uuid, its row locked until the commit, or undefined. */
export function lockClient(manager: EntityManager, uuid: string): Promise<ClientEntity | undefined> {
  return CLIENT_ROWS.findOne(manager, { uuid }, { lock: true });
}
