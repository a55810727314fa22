import type { ApiError } from '@chime/contracts';
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
/**
 * A change (POST, PATCH, PUT, DELETE) by a signed-in user that failed otherwise: invalid, not
 * found, taken, a failed precondition, an internal error. Its data is the error it was answered.
 */
export class RequestFailed extends DomainEvent<ApiError> {
  static override readonly type = 'RequestFailed';
}
