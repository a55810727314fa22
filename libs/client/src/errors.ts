import type { ErrorStatus } from '@chime/contracts';

/** The server answered with a failure envelope `{requestId, error}` (API.md §1.1). */
export class ChimeApiError extends Error {
  override readonly name = 'ChimeApiError';

  constructor(
    /** The HTTP status, as the envelope's `error.code`. */
    readonly code: number,
    readonly status: ErrorStatus,
    message: string,
    /** Quote it when asking about the failure: every server log line of the request carries it. */
    readonly requestId: string,
  ) {
    super(message);
  }

  /** The failure envelope as the server sent it. */
  toEnvelope(): { requestId: string; error: { code: number; message: string; status: ErrorStatus } } {
    return { requestId: this.requestId, error: { code: this.code, message: this.message, status: this.status } };
  }
}

/** No answer at all: the server is down, the endpoint is wrong, or it did not answer in time. */
export class ChimeConnectionError extends Error {
  override readonly name = 'ChimeConnectionError';

  constructor(
    readonly endpoint: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
