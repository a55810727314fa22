import { randomUUID } from 'node:crypto';
import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { UnitOfWork } from '@chime/event-log';
import { PermissionDeniedError, UnauthenticatedError } from '../../platform/errors/domain-error';
import { RequestAudit } from '../../platform/http/request-audit';
import type { RequestContext } from '../../platform/http/request-context';
import { AccessDenied, LoginFailed, SECURITY_STREAM } from './security.events';

const LOGIN_PATH = '/v1/login';

/** Turns failed logins and denied requests into security events (and so into operation-log entries). */
@Injectable()
export class SecurityAudit implements OnModuleInit {
  private readonly logger = new Logger(SecurityAudit.name);

  constructor(
    private readonly audit: RequestAudit,
    private readonly uow: UnitOfWork,
  ) {}

  onModuleInit(): void {
    this.audit.onFailure(async (context, error) => {
      const event = this.eventFor(context, error);
      if (!event) return;
      await this.record(context, event).catch((e: unknown) => this.logger.error({ err: e }, `could not record ${event.type}`));
    });
  }

  private eventFor(context: RequestContext, error: unknown): LoginFailed | AccessDenied | undefined {
    if (error instanceof PermissionDeniedError) return new AccessDenied({ reason: error.message });
    if (error instanceof UnauthenticatedError && context.method === 'POST' && context.path === LOGIN_PATH) {
      const userName = parseUserName(context.input);
      return new LoginFailed({ user_name: userName });
    }
    return undefined;
  }

  private async record(context: RequestContext, event: LoginFailed | AccessDenied): Promise<void> {
    await this.uow.run((tx) => tx.append({ type: SECURITY_STREAM, id: randomUUID() }, 0, [event]), {
      request_id: context.requestId,
      user_uuid: context.actor?.uuid ?? null,
      user_name: context.actor?.name ?? null,
      ip: context.ip,
      method: context.method,
      path: context.path,
      input: context.input,
    });
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
