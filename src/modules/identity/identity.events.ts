import type { UserView } from '@chime/contracts';
import { DomainEvent } from '@chime/event-log';

/** A user's state as events carry it: the view, so everything but the password. */
export type UserState = UserView;

export class UserCreated extends DomainEvent<UserState> {}
/** Only the fields that changed. */
export class UserUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<Pick<UserState, 'name' | 'nick_name' | 'avatar' | 'role'>>;
}> {}
/** The password changed; the new hash stays out of the log. */
export class UserPasswordChanged extends DomainEvent<{ uuid: string }> {}
export class UserDeleted extends DomainEvent<{ uuid: string }> {}
export class UserDefaultChanged extends DomainEvent<{ uuid: string; az_uuid: string | null; clusters_uuid: string | null }> {}

export class TokenIssued extends DomainEvent<{ id: string; user_uuid: string; created_at: string; expired_at: string }> {}
export class TokenRevoked extends DomainEvent<{
  id: string;
  user_uuid: string;
  reason: 'logout' | 'password_changed' | 'user_deleted';
}> {}
