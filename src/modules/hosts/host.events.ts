import { DomainEvent } from '@chime/event-log';
import type { ClientState, HostState, MonitorState, NodeFacts } from './host.contract';

/** A client's own state, as its events rebuild it (the heartbeat's time and usage counts are not part of it). */
export interface ClientAggregate extends Required<NodeFacts> {
  uuid: string;
  description: string;
  state: ClientState;
  monitor_state: MonitorState;
  monitor_message: string;
  /** Whether it holds a credential that works. */
  enrolled: boolean;
  created_at: string;
}
/** A host's own state; its node's facts belong to the client, its cluster's name to the cluster. */
export interface HostAggregate {
  uuid: string;
  az_uuid: string;
  cluster_uuid: string;
  description: string;
  state: HostState;
  cpu_ratio: number;
  memory_ratio: number;
  reserved_vcpus: number;
  reserved_memory: number;
  used_vcpus: number;
  used_memory: number;
  created_at: string;
}

/** A node's agent enrolled for the first time. */
export class ClientEnrolled extends DomainEvent<ClientAggregate> {
  static override readonly type = 'ClientEnrolled';
}
/** A known node enrolled again: a new credential, the old one revoked; its facts as reported. */
export class ClientReenrolled extends DomainEvent<{ uuid: string; changes: Partial<NodeFacts> }> {
  static override readonly type = 'ClientReenrolled';
}
/** The node's facts changed (a heartbeat reported other ones). */
export class ClientUpdated extends DomainEvent<{ uuid: string; changes: Partial<NodeFacts> }> {
  static override readonly type = 'ClientUpdated';
}
/** The node became reachable, unreachable (its heartbeats stopped) or reported an error. */
export class ClientMonitorStateChanged extends DomainEvent<{
  uuid: string;
  monitor_state: MonitorState;
  monitor_message: string;
  /** Seconds since the last heartbeat, when it went unreachable. */
  silent_for?: number;
}> {
  static override readonly type = 'ClientMonitorStateChanged';
}
/** An administrator adopted the client as a host of a cluster. */
export class ClientAdopted extends DomainEvent<{ uuid: string; cluster_uuid: string }> {
  static override readonly type = 'ClientAdopted';
}
/** Its host was deleted: the client is free again and its credential revoked. */
export class ClientReleased extends DomainEvent<{ uuid: string; cluster_uuid: string }> {
  static override readonly type = 'ClientReleased';
}

export class HostCreated extends DomainEvent<HostAggregate> {
  static override readonly type = 'HostCreated';
}
/** Only the fields that changed. */
export class HostUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<Pick<HostAggregate, 'description' | 'cpu_ratio' | 'memory_ratio' | 'reserved_vcpus' | 'reserved_memory'>>;
}> {
  static override readonly type = 'HostUpdated';
}
/** enableHost, disableHost, suspendHost. */
export class HostStateChanged extends DomainEvent<{ uuid: string; state: HostState }> {
  static override readonly type = 'HostStateChanged';
}
export class HostDeleted extends DomainEvent<{ uuid: string; cluster_uuid: string; az_uuid: string }> {
  static override readonly type = 'HostDeleted';
}
