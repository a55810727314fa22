import type { UserView } from '@chime/contracts';
import { DomainEvent } from '@chime/event-log';

/** A user's state as events carry it: the view, so everything but the password. */
export type UserState = UserView;

export class UserCreated extends DomainEvent<UserState> {
  static override readonly type = 'UserCreated';
}
/** Only the fields that changed. */
export class UserUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<Pick<UserState, 'name' | 'nick_name' | 'avatar' | 'role'>>;
}> {
  static override readonly type = 'UserUpdated';
}
/** The password changed; the new hash stays out of the log. */
export class UserPasswordChanged extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'UserPasswordChanged';
}
/**
 * A hash imported from ChimeStack (bcrypt) was replaced by an argon2id one at the user's first
 * login: the password is the same, so no session ends. Neither hash is in the log.
 */
export class UserPasswordRehashed extends DomainEvent<{ uuid: string; scheme: 'argon2id' }> {
  static override readonly type = 'UserPasswordRehashed';
}
export class UserDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'UserDeleted';
}
export class UserDefaultChanged extends DomainEvent<{ uuid: string; az_uuid: string | null; clusters_uuid: string | null }> {
  static override readonly type = 'UserDefaultChanged';
}

export class TokenIssued extends DomainEvent<{ id: string; user_uuid: string; created_at: string; expired_at: string }> {
  static override readonly type = 'TokenIssued';
}
export class TokenRevoked extends DomainEvent<{
  id: string;
  user_uuid: string;
  reason: 'logout' | 'password_changed' | 'user_deleted';
}> {
  static override readonly type = 'TokenRevoked';
}
