import { DomainEvent } from '@chime/event-log';
import type { InstanceSpecView } from './instance-spec.contract';

/**
 * A spec's own state. `cluster_count` is not in it: registrations are events of the spec's stream
 * (InstanceSpecRegistered / InstanceSpecUnregistered), so the replay counts them.
 */
export type InstanceSpecState = Omit<InstanceSpecView, 'cluster_count'>;

export class InstanceSpecCreated extends DomainEvent<InstanceSpecState> {
  static override readonly type = 'InstanceSpecCreated';
}
/** Only the fields that changed. */
export class InstanceSpecUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<Pick<InstanceSpecState, 'name' | 'description' | 'vcpus' | 'memory' | 'type'>>;
}> {
  static override readonly type = 'InstanceSpecUpdated';
}
export class InstanceSpecDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'InstanceSpecDeleted';
}
/** The spec was registered in a cluster (createClusterInstanceSpecRelation). */
export class InstanceSpecRegistered extends DomainEvent<{ uuid: string; cluster_uuid: string; created_at: string }> {
  static override readonly type = 'InstanceSpecRegistered';
}
/**
 * The spec left a cluster: unregistered by a request (deleteClusterInstanceSpecRelation), or because
 * the cluster was deleted (appended by the cluster-deleted consumer, with causation metadata).
 */
export class InstanceSpecUnregistered extends DomainEvent<{ uuid: string; cluster_uuid: string }> {
  static override readonly type = 'InstanceSpecUnregistered';
}
