import { DurableConsumer, EventConsumer, StoredEvent, Transaction } from '@chime/event-log';
import type { ApiError } from '@chime/contracts';
import type { EntityManager } from 'typeorm';
import type { Outcome } from './operation-log.entity';
import { AccessDenied, LoginFailed, RequestFailed } from './security.events';

export const OPERATION_LOG_CONSUMER = 'operation-log';

const OUTCOME_OF: Record<string, Outcome> = {
  [LoginFailed.type]: 'failed',
  [AccessDenied.type]: 'denied',
  [RequestFailed.type]: 'failed',
};

/** The error a request was answered, from its security event (the migration fills older entries alike). */
export const LOGIN_FAILED_ERROR: ApiError = { code: 401, status: 'UNAUTHENTICATED', message: 'wrong user name or password' };

function errorOf(event: StoredEvent): ApiError | undefined {
  switch (event.type) {
    case RequestFailed.type:
      return event.data as unknown as ApiError;
    case AccessDenied.type:
      return { code: 403, status: 'PERMISSION_DENIED', message: (event.data as AccessDenied['data']).reason };
    case LoginFailed.type:
      return LOGIN_FAILED_ERROR;
    default:
      return undefined;
  }
}

/**
 * Builds the operation log from the event log: one entry per request, from the first event the
 * request caused (a password change also revokes tokens: still one entry). Events caused by no
 * request (the bootstrap of the super administrator) make no entry. Ids count the entries in the
 * log's read order (the consumer is the only writer, one batch at a time); unlike a sequence, which
 * a rolled-back batch would leave with a gap, they come out the same when the log is replayed,
 * however the events are split into batches.
 */
@DurableConsumer(OPERATION_LOG_CONSUMER)
export class OperationLogProjection implements EventConsumer {
  handle(event: StoredEvent, tx: Transaction): Promise<void> {
    return projectOperationLog([event], tx.manager, 'operation_log');
  }

  handleBatch(events: StoredEvent[], manager: EntityManager): Promise<void> {
    return projectOperationLog(events, manager, 'operation_log');
  }
}

/**
 * Applies events, in read order, to an operation-log table (the live one, or a scratch copy when
 * verifying a replay) in one statement: the first event of each request not yet in the table makes
 * its entry, numbered after the table's last id. Whether a request has its entry already is one
 * probe of the request id's unique index per incoming row: written as NOT EXISTS, the planner
 * (guessing 100 incoming rows) made it a hash anti-join over the whole table, 2.7 ms per batch at
 * 7,000 entries where the probes take 0.2.
 */
export async function projectOperationLog(events: StoredEvent[], manager: EntityManager, table: string): Promise<void> {
  const rows = events
    .filter((event) => event.metadata.request_id)
    .map((event, ord) => ({
      ord,
      ...errorColumns(errorOf(event)),
      created_at: event.createdAt.toISOString(),
      method: event.metadata.method ?? '',
      path: event.metadata.path ?? '',
      input: event.metadata.input ?? '',
      ip: event.metadata.ip ?? '',
      user_uuid: event.metadata.user_uuid,
      user_name: event.metadata.user_name,
      request_id: event.metadata.request_id,
      outcome: OUTCOME_OF[event.type] ?? 'success',
      event_position: event.position,
    }));
  if (rows.length === 0) return;
  await manager.query(
    `WITH incoming AS (
       SELECT * FROM jsonb_to_recordset($1::jsonb) AS r(
         ord int, created_at timestamptz, method text, path text, input text, ip text,
         user_uuid uuid, user_name text, request_id uuid, outcome text, event_position bigint,
         error_code int, error_status text, error_message text)
     ),
     firsts AS (
       SELECT DISTINCT ON (request_id) * FROM incoming
        WHERE (SELECT e.id FROM ${table} e WHERE e.request_id = incoming.request_id) IS NULL
        ORDER BY request_id, ord
     )
     INSERT INTO ${table} (id, created_at, method, path, input, ip, user_uuid, user_name, request_id, outcome, event_position,
                           error_code, error_status, error_message)
     SELECT (SELECT coalesce(max(id), 0) FROM ${table}) + row_number() OVER (ORDER BY ord),
            created_at, method, path, input, ip, user_uuid, user_name, request_id, outcome, event_position,
            error_code, error_status, error_message
       FROM firsts`,
    [JSON.stringify(rows)],
  );
}

function errorColumns(error: ApiError | undefined) {
  return { error_code: error?.code ?? null, error_status: error?.status ?? null, error_message: error?.message ?? null };
}
