import { DomainEvent } from '@chime/event-log';
import type { NetworkView, SubnetView } from './network.contract';

/** A network's own state; its cluster's name is not part of it (views look it up). */
export type NetworkState = Omit<NetworkView, 'cluster_name' | 'vlan_id'> & {
  /** The VLAN id or VXLAN VNI as a number; the view shows it as a string. */
  vlan_id: number | null;
};

/** A subnet's own state, addresses in canonical form; its network's name is not part of it. */
export type SubnetState = Omit<SubnetView, 'network_name'>;

export class NetworkCreated extends DomainEvent<NetworkState> {
  static override readonly type = 'NetworkCreated';
}
/** Only the fields that changed. */
export class NetworkUpdated extends DomainEvent<{ uuid: string; changes: Partial<Pick<NetworkState, 'name' | 'description'>> }> {
  static override readonly type = 'NetworkUpdated';
}
export class NetworkDeleted extends DomainEvent<{ uuid: string; cluster_uuid: string; az_uuid: string }> {
  static override readonly type = 'NetworkDeleted';
}

export class SubnetCreated extends DomainEvent<SubnetState> {
  static override readonly type = 'SubnetCreated';
}
/** Only the fields that changed (a changed CIDR may come with its type, the IP version). */
export class SubnetUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<Pick<SubnetState, 'name' | 'description' | 'cidr' | 'gateway' | 'reserved_ips' | 'type'>>;
}> {
  static override readonly type = 'SubnetUpdated';
}
export class SubnetDeleted extends DomainEvent<{ uuid: string; network_uuid: string }> {
  static override readonly type = 'SubnetDeleted';
}
