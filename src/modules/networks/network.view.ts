import { NamedResourceSchema } from '../../platform/http/resource-fields';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { State } from '@chime/contracts';
import { NetworkType, type NetworkView } from './network.contract';
import type { NetworkEntity } from './network.entity';
import type { NetworkState } from './network.events';

export function toNetworkState(network: NetworkEntity): NetworkState {
  return {
    uuid: network.uuid,
    name: network.name,
    description: network.description,
    bridge_name: network.bridgeName,
    interface_name: network.interfaceName,
    type: network.type,
    vlan_id: network.vlanId,
    state: network.state,
    az_uuid: network.azUuid,
    cluster_uuid: network.clusterUuid,
    created_at: network.createdAt.toISOString(),
  };
}

/** `clusterName` is the cluster's current name. `vlan_id` is a string, as ChimeStack shows it. */
export function toNetworkView(network: NetworkEntity, clusterName: string): NetworkView {
  return {
    ...toNetworkState(network),
    vlan_id: network.vlanId === null ? '' : String(network.vlanId),
    cluster_name: clusterName,
  };
}

/** The wire shape of a network, for the OpenAPI document. */
@ApiSchema({ name: 'Network' })
export class NetworkViewSchema extends NamedResourceSchema implements NetworkView {
  @ApiProperty({ example: 'br1', description: "the network's bridge on the hosts" })
  bridge_name!: string;

  @ApiProperty({ example: 'ens224', description: 'the host interface the network uses' })
  interface_name!: string;

  @ApiProperty({
    enum: [NetworkType.Classical, NetworkType.Vlan, NetworkType.Vxlan],
    description: '0 classical, 1 VLAN, 2 VXLAN',
  })
  type!: NetworkType;

  @ApiProperty({
    example: '',
    pattern: '^([1-9][0-9]{0,7})?$',
    description: 'the VLAN id (type 1) or VXLAN VNI (type 2) in decimal; "" for a classical network',
  })
  vlan_id!: string;

  @ApiProperty({ enum: [State.Disabled, State.Enabled], description: '1 available' })
  state!: State;

  @ApiProperty({ format: 'uuid' })
  az_uuid!: string;

  @ApiProperty({ format: 'uuid' })
  cluster_uuid!: string;

  @ApiProperty({ description: "the cluster's current name" })
  cluster_name!: string;
}
