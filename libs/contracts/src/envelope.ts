/** The response envelope of every `/v1` call (API.md §1.1). */
export type ErrorStatus =
  | 'INVALID_ARGUMENT'
  | 'ALREADY_EXISTS'
  | 'FAILED_PRECONDITION'
  | 'LIMIT_EXCEEDED'
  | 'UNAUTHENTICATED'
  | 'PERMISSION_DENIED'
  | 'NOT_FOUND'
  | 'PAYLOAD_TOO_LARGE'
  | 'RESOURCE_EXHAUSTED'
  | 'DEADLINE_EXCEEDED'
  | 'INTERNAL'
  | 'UNAVAILABLE';

export interface ApiError {
  code: number;
  message: string;
  status: ErrorStatus;
}

export interface SuccessEnvelope<T> {
  requestId: string;
  result: T;
}

export interface FailureEnvelope {
  requestId: string;
  error: ApiError;
}

export type Envelope<T> = SuccessEnvelope<T> | FailureEnvelope;

/** HTTP status of each error status; `error.code` always equals it. */
export const HTTP_STATUS_OF: Readonly<Record<ErrorStatus, number>> = {
  INVALID_ARGUMENT: 400,
  ALREADY_EXISTS: 400,
  FAILED_PRECONDITION: 400,
  LIMIT_EXCEEDED: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  PAYLOAD_TOO_LARGE: 413,
  RESOURCE_EXHAUSTED: 429,
  DEADLINE_EXCEEDED: 408,
  INTERNAL: 500,
  UNAVAILABLE: 500,
};
