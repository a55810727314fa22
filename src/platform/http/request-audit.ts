import { Injectable } from '@nestjs/common';
import type { ApiError } from '@chime/contracts';
import type { Origin } from '@chime/event-log';

/**
 * `origin` is the failed request's (see originOf); `error` what the client is answered (the
 * envelope's error); `cause` what was thrown.
 */
export type FailureListener = (origin: Origin, cause: unknown, error: ApiError) => Promise<void>;

/**
 * Where the error filter reports a request that failed, for modules that keep an audit trail of
 * failures (the operation log records failed logins, denied requests and failed changes). The
 * error response waits for the listeners, so that a client cannot outrun the audit trail; they
 * must not throw. Successful requests never come here.
 */
@Injectable()
export class RequestAudit {
  private readonly listeners: FailureListener[] = [];

  onFailure(listener: FailureListener): void {
    this.listeners.push(listener);
  }

  async failed(origin: Origin, cause: unknown, error: ApiError): Promise<void> {
    await Promise.all(this.listeners.map((listener) => listener(origin, cause, error)));
  }
}
