import type { ClusterView } from '@chime/contracts';
import type { ClusterEntity } from './cluster.entity';
import type { ClusterState } from './cluster.events';

export function toClusterState(cluster: ClusterEntity): ClusterState {
  return {
    uuid: cluster.uuid,
    name: cluster.name,
    description: cluster.description,
    arch: cluster.arch,
    hypervisor_type: cluster.hypervisorType,
    type: cluster.type,
    state: cluster.state,
    az_uuid: cluster.azUuid,
    created_at: cluster.createdAt.toISOString(),
  };
}

/** `azName` is the AZ's current name. */
export function toClusterView(cluster: ClusterEntity, azName: string): ClusterView {
  return { ...toClusterState(cluster), az_name: azName };
}
