import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import type { ApiError } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { PermissionDeniedError, UnauthenticatedError } from '../../platform/errors/domain-error';
import { RequestAudit } from '../../platform/http/request-audit';
import { AccessDenied, LoginFailed, RequestFailed, SECURITY_STREAM } from './security.events';

const LOGIN_PATH = '/v1/login';
const CHANGES = new Set(['POST', 'PATCH', 'PUT', 'DELETE']);
/** Validation can list many fields; the entry keeps the start of the message. */
const MAX_MESSAGE = 2000;

type AuditEvent = LoginFailed | AccessDenied | RequestFailed;

/**
 * Turns failed requests into security events, so into operation-log entries: failed logins,
 * denied requests, and changes by a signed-in user that failed otherwise. Each is appended in a
 * short transaction of its own (the request's, if it had one, rolled back) before the error is
 * answered. Reads, requests without a user (agents, a refused token, a body refused before the
 * token was checked) and requests failed because the database is unavailable make no entry: the
 * last are only logged, as appending would wait for the same database again.
 */
@Injectable()
export class SecurityAudit implements OnModuleInit {
  private readonly logger = new Logger(SecurityAudit.name);

  constructor(
    private readonly audit: RequestAudit,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    this.audit.onFailure(async (origin, cause, error) => {
      const event = this.eventFor(origin, cause, error);
      if (!event) return;
      await this.uow
        .run(origin, (tx) => tx.append({ type: SECURITY_STREAM, id: randomUUID() }, 0, [event]))
        .catch((e: unknown) => this.logger.error({ err: e, reqId: origin.request_id }, `could not record ${event.type}`));
    });
  }

  private eventFor(origin: Origin, cause: unknown, error: ApiError): AuditEvent | undefined {
    if (cause instanceof PermissionDeniedError) return new AccessDenied({ reason: cause.message });
    if (cause instanceof UnauthenticatedError && origin.method === 'POST' && origin.path === LOGIN_PATH) {
      const userName = parseUserName(origin.input ?? '');
      return new LoginFailed({ user_name: userName });
    }
    if (!CHANGES.has(origin.method ?? '') || origin.user_uuid === null) return undefined;
    if (error.status === 'UNAVAILABLE') {
      this.logger.warn(
        { reqId: origin.request_id },
        `${origin.method} ${origin.path} failed (database unavailable): not in the operation log`,
      );
      return undefined;
    }
    return new RequestFailed({ code: error.code, status: error.status, message: error.message.slice(0, MAX_MESSAGE) });
  }
}

function parseUserName(input: string): string | null {
  try {
    const name = (JSON.parse(input) as { user_name?: unknown }).user_name;
    return typeof name === 'string' ? name.slice(0, 64) : null;
  } catch {
    return null;
  }
}
