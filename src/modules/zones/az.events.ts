import type { AzView } from '@chime/contracts';
import { DomainEvent } from '@chime/event-log';

export type AzState = AzView;

export class AzCreated extends DomainEvent<AzState> {}
/** Only the fields that changed. */
export class AzUpdated extends DomainEvent<{ uuid: string; changes: Partial<Pick<AzState, 'name' | 'description'>> }> {}
export class AzEnabled extends DomainEvent<{ uuid: string }> {}
export class AzDisabled extends DomainEvent<{ uuid: string }> {}
export class AzDeleted extends DomainEvent<{ uuid: string }> {}
