import type { EntityManager } from 'typeorm';
import { describeForeignKey, describeUniqueConstraint } from '../../platform/database/database-errors';
import { NotFoundError } from '../../platform/errors/domain-error';
import { NetworkEntity } from './network.entity';
import { SubnetEntity } from './subnet.entity';

describeUniqueConstraint('networks_cluster_name_key', 'a network with this name already exists in the cluster');
describeUniqueConstraint('networks_cluster_bridge_key', 'a network with this bridge_name already exists in the cluster');
describeUniqueConstraint(
  'networks_cluster_vlan_key',
  'a VLAN network with this vlan_id on this interface_name already exists in the cluster',
);
describeUniqueConstraint('networks_cluster_vni_key', 'a VXLAN network with this vlan_id (VNI) already exists in the cluster');
describeUniqueConstraint('subnets_network_name_key', 'a subnet with this name already exists in the network');
// The clusters module's deleteCluster fails on this key (see networks.migration.ts).
describeForeignKey('networks_cluster_uuid_fkey', 'the cluster still holds networks; delete them first');
describeForeignKey('subnets_network_uuid_fkey', 'the network still holds subnets; delete them first');

/** Where a network is addressed: `/v1/az/{AzUuid}/cluster/{ClusterUuid}/network/{NetworkUuid}`. */
export interface NetworkPath {
  azUuid: string;
  clusterUuid: string;
  networkUuid: string;
}

function notFound({ azUuid, clusterUuid, networkUuid }: NetworkPath): NotFoundError {
  return new NotFoundError(`network ${networkUuid} not found in cluster ${clusterUuid} of availability zone ${azUuid}`);
}

const where = ({ azUuid, clusterUuid, networkUuid }: NetworkPath) => ({ uuid: networkUuid, clusterUuid, azUuid });

/** The network at that path; 404 when there is none there. */
export async function findNetwork(manager: EntityManager, path: NetworkPath): Promise<NetworkEntity> {
  const network = await manager.findOne(NetworkEntity, { where: where(path) });
  if (!network) throw notFound(path);
  return network;
}

/** The network at that path, its row locked until the commit; 404 when there is none there. */
export async function lockNetwork(manager: EntityManager, path: NetworkPath): Promise<NetworkEntity> {
  const network = await manager.findOne(NetworkEntity, { where: where(path), lock: { mode: 'pessimistic_write' } });
  if (!network) throw notFound(path);
  return network;
}

/** A subnet of that network; 404 when it has none of that uuid. Locked when `lock` is set. */
export async function findSubnet(manager: EntityManager, networkUuid: string, uuid: string, lock = false): Promise<SubnetEntity> {
  const subnet = await manager.findOne(SubnetEntity, {
    where: { uuid, networkUuid },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!subnet) throw new NotFoundError(`subnet ${uuid} not found in network ${networkUuid}`);
  return subnet;
}
