import type { ErrorStatus } from '@chime/contracts';

/**
 * The one family of errors that domain code throws. Each kind carries the API status string;
 * only the HTTP exception filter turns it into a status code and an envelope.
 */
export abstract class DomainError extends Error {
  abstract readonly status: ErrorStatus;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class InvalidArgumentError extends DomainError {
  readonly status = 'INVALID_ARGUMENT' as const;
}

export class NotFoundError extends DomainError {
  readonly status = 'NOT_FOUND' as const;

  static of(kind: string, id: string | number): NotFoundError {
    return new NotFoundError(`${kind} ${id} not found`);
  }
}

export class AlreadyExistsError extends DomainError {
  readonly status = 'ALREADY_EXISTS' as const;
}

export class FailedPreconditionError extends DomainError {
  readonly status = 'FAILED_PRECONDITION' as const;
}

export class LimitExceededError extends DomainError {
  readonly status = 'LIMIT_EXCEEDED' as const;
}

export class UnauthenticatedError extends DomainError {
  readonly status = 'UNAUTHENTICATED' as const;
}

export class PermissionDeniedError extends DomainError {
  readonly status = 'PERMISSION_DENIED' as const;
}

export class PayloadTooLargeError extends DomainError {
  readonly status = 'PAYLOAD_TOO_LARGE' as const;
}

export class ResourceExhaustedError extends DomainError {
  readonly status = 'RESOURCE_EXHAUSTED' as const;

  constructor(
    message: string,
    /** Seconds until the client may try again; sent as `Retry-After`. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class UnavailableError extends DomainError {
  readonly status = 'UNAVAILABLE' as const;
}
