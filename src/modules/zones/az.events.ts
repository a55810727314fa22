import type { AzView } from '@chime/contracts';
import { DomainEvent } from '@chime/event-log';

export type AzState = AzView;

export class AzCreated extends DomainEvent<AzState> {
  static override readonly type = 'AzCreated';
}
/** Only the fields that changed. */
export class AzUpdated extends DomainEvent<{ uuid: string; changes: Partial<Pick<AzState, 'name' | 'description'>> }> {
  static override readonly type = 'AzUpdated';
}
export class AzEnabled extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'AzEnabled';
}
export class AzDisabled extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'AzDisabled';
}
export class AzDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'AzDeleted';
}
