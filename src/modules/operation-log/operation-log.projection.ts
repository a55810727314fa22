import { DurableConsumer, EventConsumer, StoredEvent } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import type { Outcome } from './operation-log.entity';
import { AccessDenied, LoginFailed } from './security.events';

export const OPERATION_LOG_CONSUMER = 'operation-log';

const OUTCOME_OF: Record<string, Outcome> = { [LoginFailed.name]: 'failed', [AccessDenied.name]: 'denied' };

/**
 * Builds the operation log from the event log: one entry per request, from the first event the
 * request caused (a password change also revokes tokens: still one entry). Events caused by no
 * request (the bootstrap of the super administrator) make no entry. Ids count the entries in the
 * log's read order (the consumer is the only writer, one batch at a time); unlike a sequence, which
 * a rolled-back batch would leave with a gap, they come out the same when the log is replayed.
 */
@DurableConsumer(OPERATION_LOG_CONSUMER)
export class OperationLogProjection implements EventConsumer {
  handle(event: StoredEvent, manager: EntityManager): Promise<void> {
    return projectOperationLog(event, manager, 'operation_log');
  }
}

/** Applies one event to an operation-log table (the live one, or a scratch copy when verifying a replay). */
export async function projectOperationLog(event: StoredEvent, manager: EntityManager, table: string): Promise<void> {
  const m = event.metadata;
  if (!m.request_id) return;
  await manager.query(
    `INSERT INTO ${table} (id, created_at, method, path, input, ip, user_uuid, user_name, request_id, outcome, event_position)
     SELECT coalesce(max(id), 0) + 1, $1::timestamptz, $2::text, $3::text, $4::text, $5::text, $6::uuid, $7::text, $8::uuid, $9::text, $10::bigint
       FROM ${table}
     ON CONFLICT (request_id) DO NOTHING`,
    [
      event.createdAt,
      m.method ?? '',
      m.path ?? '',
      m.input ?? '',
      m.ip ?? '',
      m.user_uuid,
      m.user_name,
      m.request_id,
      OUTCOME_OF[event.type] ?? 'success',
      event.position,
    ],
  );
}
