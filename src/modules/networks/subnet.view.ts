import { NamedResourceSchema } from '../../platform/http/resource-fields';
import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { State } from '@chime/contracts';
import { SubnetType, type SubnetView } from './network.contract';
import type { SubnetState } from './network.events';
import type { SubnetEntity } from './subnet.entity';

export function toSubnetState(subnet: SubnetEntity): SubnetState {
  return {
    uuid: subnet.uuid,
    name: subnet.name,
    description: subnet.description,
    cidr: subnet.cidr,
    gateway: subnet.gateway,
    reserved_ips: subnet.reservedIps,
    type: subnet.type,
    state: subnet.state,
    network_uuid: subnet.networkUuid,
    created_at: subnet.createdAt.toISOString(),
  };
}

/** `networkName` is the network's current name. */
export function toSubnetView(subnet: SubnetEntity, networkName: string): SubnetView {
  return Object.assign(toSubnetState(subnet), { network_name: networkName }); // not a spread: see toClusterView
}

/** The wire shape of a subnet, for the OpenAPI document. */
@ApiSchema({ name: 'Subnet' })
export class SubnetViewSchema extends NamedResourceSchema implements SubnetView {
  @ApiProperty({ example: '192.168.231.0/24', description: 'network address and prefix length, host bits cleared' })
  cidr!: string;

  @ApiProperty({ example: '192.168.231.2', description: 'an address inside the CIDR, or ""' })
  gateway!: string;

  @ApiProperty({
    example: '192.168.231.254,192.168.231.1-192.168.231.100',
    description: 'addresses and first-last ranges inside the CIDR, comma-separated, never given to virtual machines; or ""',
  })
  reserved_ips!: string;

  @ApiProperty({ enum: [SubnetType.Ipv4, SubnetType.Ipv6], description: '0 IPv4, 1 IPv6 (from the CIDR)' })
  type!: SubnetType;

  @ApiProperty({ enum: [State.Disabled, State.Enabled], description: '1 available' })
  state!: State;

  @ApiProperty({ format: 'uuid' })
  network_uuid!: string;

  @ApiProperty({ description: "the network's current name" })
  network_name!: string;
}
