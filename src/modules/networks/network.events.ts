import { DomainEvent } from '@chime/event-log';
import type { NetworkType, SubnetType } from './network.contract';
import type { State } from '@chime/contracts';

/** A network's own state; its cluster's name is not part of it (views look it up). */
export interface NetworkState {
  uuid: string;
  name: string;
  description: string;
  bridge_name: string;
  interface_name: string;
  type: NetworkType;
  vlan_id: number | null;
  state: State;
  az_uuid: string;
  cluster_uuid: string;
  created_at: string;
}

/** A subnet's own state, addresses in canonical form; its network's name is not part of it. */
export interface SubnetState {
  uuid: string;
  name: string;
  description: string;
  cidr: string;
  gateway: string;
  reserved_ips: string;
  type: SubnetType;
  state: State;
  network_uuid: string;
  created_at: string;
}

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
