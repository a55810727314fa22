import { Injectable } from '@nestjs/common';
import type { RequestContext } from './request-context';

export type FailureListener = (context: RequestContext, error: unknown) => void;

/**
 * Where the error filter reports a request that failed, for modules that keep an audit trail of
 * failures (the operation log records failed logins and denied requests). Listeners run after the
 * response is decided and must not throw.
 */
@Injectable()
export class RequestAudit {
  private readonly listeners: FailureListener[] = [];

  onFailure(listener: FailureListener): void {
    this.listeners.push(listener);
  }

  failed(context: RequestContext, error: unknown): void {
    for (const listener of this.listeners) listener(context, error);
  }
}
