import { DomainEvent } from '@chime/event-log';
import type { SecurityGroupView } from './security-group.contract';

export type SecurityGroupState = SecurityGroupView;

export class SecurityGroupCreated extends DomainEvent<SecurityGroupState> {
  static override readonly type = 'SecurityGroupCreated';
}
/** Only the fields that changed (a rule list that changed is there whole); `updated_at` moves only with a change. */
export class SecurityGroupUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<Pick<SecurityGroupState, 'name' | 'description' | 'ingress_rules' | 'egress_rules'>>;
  updated_at: string;
}> {
  static override readonly type = 'SecurityGroupUpdated';
}
export class SecurityGroupDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'SecurityGroupDeleted';
}
