import { DomainEvent } from '@chime/event-log';

/** Security events go to the log like any other, so that the operation log can be rebuilt from it. */
export const SECURITY_STREAM = 'security';

/** A login with a wrong user name or password. */
export class LoginFailed extends DomainEvent<{ user_name: string | null }> {
  static override readonly type = 'LoginFailed';
}
/** An authenticated request that its role does not allow. */
export class AccessDenied extends DomainEvent<{ reason: string }> {
  static override readonly type = 'AccessDenied';
}
