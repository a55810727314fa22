import { Injectable } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import { DomainEvent, EventMetadata, StreamRef } from './domain-event';
import { StreamVersionConflictError } from './event-log.errors';

/**
 * Who or what a unit of work is done for, copied into the metadata of every event it appends: the
 * request that caused it (its id, user, address, method, path and redacted body), or SERVER_ORIGIN
 * for the server's own work (start-up, monitors). Every command carries its origin explicitly.
 */
export type Origin = EventMetadata;

/** The origin of work the server does on its own: no request, no user. */
export const SERVER_ORIGIN: Origin = Object.freeze({
  request_id: null,
  user_uuid: null,
  user_name: null,
  ip: null,
  method: null,
  path: null,
  input: null,
});

/**
 * Attempts per command, and the cap of the random pause between them. Every conflict means another
 * writer committed, so the contenders make progress; the pause, drawn at random from a range that
 * doubles after each attempt, spreads out a crowd of writers that all lost to the same winner.
 * (With 5 attempts and 10 ms pauses, 20 writers racing on one stream on PostgreSQL failed every time.)
 */
const MAX_ATTEMPTS = 12;
const MAX_PAUSE_MS = 200;
/** PostgreSQL errors after which running the whole transaction again is safe and likely to succeed. */
const RETRYABLE_CODES = new Set(['40001', '40P01']); // serialization failure, deadlock

/**
 * Appends a stream's events inside a unit of work. The new rows carry the writing transaction's
 * id (see the migration), which is what lets readers never skip an event that commits late.
 */
export const APPEND_SQL = `
WITH previous AS (
  SELECT transaction_id FROM event_log WHERE stream_type = $1 AND stream_id = $2 AND version = $3
)
INSERT INTO event_log (stream_type, stream_id, version, type, data, metadata)
SELECT $1, $2, $3 + e.ord, e.event->>'type', e.event->'data', $4::jsonb
FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(event, ord)
WHERE ($3 = 0 OR EXISTS (SELECT 1 FROM previous))
  AND NOT EXISTS (SELECT 1 FROM previous WHERE previous.transaction_id > pg_current_xact_id())
RETURNING position`;

/** A command's transaction: change state through `manager`, record what happened with `append`. */
export class Transaction {
  constructor(
    readonly manager: EntityManager,
    /** What goes into the metadata of every event appended here: the unit of work's origin. */
    readonly metadata: Origin,
    private readonly appended: DomainEvent[],
  ) {}

  /**
   * Appends events to a stream whose last version the caller has read as `expectedVersion`
   * (0 for a new stream); returns the stream's new version.
   *
   * Rule for callers: lock the aggregate's row (SELECT … FOR UPDATE) before the transaction's first
   * write, so its transaction id is taken after any earlier writer of the stream committed. (A
   * DELETE of the row as the first write locks it too: EntityRows.deleteOne.) If that rule is
   * broken the append fails with a conflict rather than put the stream out of read order.
   */
  async append(stream: StreamRef, expectedVersion: number, events: DomainEvent[]): Promise<number> {
    if (events.length === 0) return expectedVersion;
    const payload = JSON.stringify(events.map((e) => ({ type: e.type, data: e.data })));
    let rows: unknown[];
    try {
      // A named query object goes to node-postgres untouched: prepared once per connection.
      const values = [stream.type, stream.id, expectedVersion, JSON.stringify(this.metadata), payload];
      rows = await this.manager.query({ name: 'chime_append', text: APPEND_SQL, values } as unknown as string);
    } catch (error) {
      if ((error as { driverError?: { constraint?: string } }).driverError?.constraint === 'event_log_stream_version_key') {
        throw new StreamVersionConflictError(`${stream.type}/${stream.id}`, expectedVersion);
      }
      throw error;
    }
    if (rows.length !== events.length) {
      throw new StreamVersionConflictError(`${stream.type}/${stream.id}`, expectedVersion);
    }
    this.appended.push(...events);
    return expectedVersion + events.length;
  }
}

/**
 * Runs a command's work in one database transaction: its state changes and its events commit
 * together or not at all. Events go to the in-process EventBus only after the commit.
 * Nothing else writes to the event log.
 */
@Injectable()
export class UnitOfWork {
  constructor(
    private readonly dataSource: DataSource,
    private readonly eventBus: EventBus,
  ) {}

  /**
   * Runs `work` for `origin` (see Origin), whose fields go into the metadata of every event it
   * appends. The work may run more than once (after a version conflict or a serialization failure),
   * so it must not have effects outside the transaction.
   */
  async run<T>(origin: Origin, work: (tx: Transaction) => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const appended: DomainEvent[] = [];
      try {
        const result = await this.dataSource.transaction((manager) => work(new Transaction(manager, origin, appended)));
        if (appended.length > 0) this.eventBus.publishAll(appended);
        return result;
      } catch (error) {
        if (attempt >= MAX_ATTEMPTS || !isRetryable(error)) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(MAX_PAUSE_MS, 5 * 2 ** attempt)));
      }
    }
  }
}

function isRetryable(error: unknown): boolean {
  if (error instanceof StreamVersionConflictError) return true;
  const code =
    (error as { driverError?: { code?: string }; code?: string }).driverError?.code ?? (error as { code?: string }).code;
  return code !== undefined && RETRYABLE_CODES.has(code);
}
