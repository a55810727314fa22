/** The operation log, the audit trail (API.md §6.2). */
import type { ApiError } from './envelope';

/**
 * `success`; `denied` (refused by the role); `failed` (a failed login, or a change by a signed-in
 * user that answered an error: invalid, not found, taken, internal …).
 */
export type OperationLogOutcome = 'success' | 'denied' | 'failed';

export interface OperationLogView {
  /** Increasing integer, 1, 2, 3 … in the event log's order. */
  id: number;
  created_at: string;
  method: string;
  path: string;
  /** The request body as JSON, every `password` and `token` value replaced by "***"; "" without a body. */
  input: string;
  ip: string;
  user_uuid: string | null;
  user_name: string | null;
  request_id: string;
  outcome: OperationLogOutcome;
  /** What the request was answered, as in its failure envelope; only on `denied` and `failed` entries. */
  error?: ApiError;
}

/**
 * An entry's method: the request's HTTP method; IMPORT for a run of `npm run import`; for what the
 * server does by itself, MONITOR (a node found unreachable) and TIMEOUT (a node's task timed out).
 */
export const OPERATION_METHODS = ['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'IMPORT', 'MONITOR', 'TIMEOUT'] as const;

export interface ListOperationLogFilters {
  method?: (typeof OPERATION_METHODS)[number];
  user_uuid?: string;
  /** The request path, exactly, e.g. `/v1/az`. */
  path?: string;
}

export const OPERATION_LOG_SORTABLE = ['created_at', 'id'] as const;
export type OperationLogSortField = (typeof OPERATION_LOG_SORTABLE)[number];
