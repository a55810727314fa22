import type { ClusterView } from '@chime/contracts';
import { DomainEvent } from '@chime/event-log';

/** A cluster's own state; its AZ's name is not part of it (views look it up). */
export type ClusterState = Omit<ClusterView, 'az_name'>;

export class ClusterCreated extends DomainEvent<ClusterState> {
  static override readonly type = 'ClusterCreated';
}
/** Only the fields that changed. */
export class ClusterUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<Pick<ClusterState, 'name' | 'description' | 'arch' | 'hypervisor_type' | 'type'>>;
}> {
  static override readonly type = 'ClusterUpdated';
}
export class ClusterEnabled extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'ClusterEnabled';
}
export class ClusterDisabled extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'ClusterDisabled';
}
export class ClusterDeleted extends DomainEvent<{ uuid: string; az_uuid: string }> {
  static override readonly type = 'ClusterDeleted';
}
