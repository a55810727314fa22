import { Injectable } from '@nestjs/common';
import type { RequestContext } from './request-context';

export type FailureListener = (context: RequestContext, error: unknown) => Promise<void>;

/**
 * Where the error filter reports a request that failed, for modules that keep an audit trail of
 * failures (the operation log records failed logins and denied requests). The error response
 * waits for the listeners, so that a client cannot outrun the audit trail; they must not throw.
 */
@Injectable()
export class RequestAudit {
  private readonly listeners: FailureListener[] = [];

  onFailure(listener: FailureListener): void {
    this.listeners.push(listener);
  }

  async failed(context: RequestContext, error: unknown): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(context, error)));
  }
}
