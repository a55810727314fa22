import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { EventMetadata, LogCursor, LOG_START, StoredEvent } from './domain-event';

export interface ReadOptions {
  after?: LogCursor;
  limit?: number;
  streamType?: string;
  streamId?: string;
  type?: string;
  /** The events one request caused (its own, and those consumers appended in reaction). */
  requestId?: string;
}

/**
 * Whether an event stands past a cursor: the first one in read order, from the read-order index.
 * Not `EXISTS (…)`: the planner drops the order inside EXISTS and, guessing that a third of the
 * log lies past any cursor, reads the table from its start, a scan of the whole log per consumer
 * batch (0.5 ms at 7,000 events, growing with the log).
 */
export const HELD_BACK_SQL = `SELECT 1 FROM event_log WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
                               ORDER BY transaction_id, position LIMIT 1`;

/** The columns of a StoredEvent. (Order by `event_log.transaction_id`: the bare name is the text alias.) */
const SELECT_EVENTS = `SELECT position, transaction_id::text AS transaction_id, stream_type, stream_id, version, type, data, metadata, created_at
                         FROM event_log`;

interface EventRow {
  position: string;
  transaction_id: string;
  stream_type: string;
  stream_id: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  created_at: Date;
}

/**
 * Reads the log in its one consistent order, (transaction id, position), and only up to the oldest
 * transaction still running. Positions come from a sequence and transactions commit in any order,
 * so "position > checkpoint" would skip an event whose transaction took its position early but
 * committed late. Every transaction whose id is below pg_snapshot_xmin(pg_current_snapshot()) has
 * ended, so nothing can later appear before the returned rows: a reader that checkpoints the last
 * (transaction id, position) it took never misses or repeats an event. (The scheme of the Emmett
 * event store; it costs the writers nothing.)
 */
@Injectable()
export class EventStore {
  constructor(private readonly dataSource: DataSource) {}

  async read(options: ReadOptions = {}, manager: EntityManager = this.dataSource.manager): Promise<StoredEvent[]> {
    const after = options.after ?? LOG_START;
    const params: unknown[] = [after.transactionId, after.position, Math.min(Math.max(options.limit ?? 100, 1), 10_000)];
    const filters: string[] = [];
    for (const [column, value] of [
      ['stream_type', options.streamType],
      ['stream_id', options.streamId],
      ['type', options.type],
      ["metadata->>'request_id'", options.requestId],
    ] as const) {
      if (value !== undefined) {
        params.push(value);
        filters.push(`AND ${column} = $${params.length}`);
      }
    }
    const rows: EventRow[] = await manager.query(
      `${SELECT_EVENTS}
        WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
          ${filters.join(' ')}
        ORDER BY event_log.transaction_id, event_log.position
        LIMIT $3`,
      params,
    );
    return rows.map(toStoredEvent);
  }

  /**
   * Whether committed events stand past `after` now. Asked after a read that returned fewer events
   * than it could: they wait behind an older transaction that is still running (read() stops at
   * the oldest one), or they committed since. A reader that finds so must look again soon: that
   * older transaction may end without appending anything, so no wake-up would come. (Asked in a
   * snapshot of its own: a check of the read's horizon could miss a transaction that ended between
   * the two statements.)
   */
  async heldBack(after: LogCursor, manager: EntityManager = this.dataSource.manager): Promise<boolean> {
    const rows: unknown[] = await manager.query(HELD_BACK_SQL, [after.transactionId, after.position]);
    return rows.length > 0;
  }

  /** The cursor standing just after the event at `position`, or undefined when there is no such event. */
  async cursorAt(position: number, manager: EntityManager = this.dataSource.manager): Promise<LogCursor | undefined> {
    if (position === 0) return LOG_START;
    const rows: { transaction_id: string }[] = await manager.query(
      'SELECT transaction_id::text AS transaction_id FROM event_log WHERE position = $1',
      [position],
    );
    return rows[0] ? { transactionId: rows[0].transaction_id, position } : undefined;
  }

  /**
   * The whole log as this transaction's snapshot sees it, in read order, in pages of `pageSize`
   * (keyset on the read-order index, so memory stays bounded whatever the log's size). For checks
   * that compare the log with the state written beside it in one snapshot (the replay check, run in
   * a REPEATABLE READ transaction), not for consumers.
   */
  async *readPages(manager: EntityManager, pageSize = 5_000): AsyncGenerator<StoredEvent[]> {
    let after = LOG_START;
    for (;;) {
      const rows: EventRow[] = await manager.query(
        `${SELECT_EVENTS}
          WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
          ORDER BY event_log.transaction_id, event_log.position
          LIMIT $3`,
        [after.transactionId, after.position, pageSize],
      );
      if (rows.length === 0) return;
      const page = rows.map(toStoredEvent);
      const last = page[page.length - 1];
      after = { transactionId: last.transactionId, position: last.position };
      yield page;
      if (rows.length < pageSize) return;
    }
  }

  /**
   * Every event of one stream type as this transaction's snapshot sees it, stream after stream
   * ordered by stream id (byte order, `COLLATE "C"`), each stream in read order, in pages of
   * `pageSize` through a server-side cursor (one sort, the server's, on disk if need be). For the
   * replay check, in its REPEATABLE READ transaction: memory stays bounded by the page whatever
   * the log's size.
   */
  async *readStreamsInKeyOrder(manager: EntityManager, streamType: string, pageSize = 5_000): AsyncGenerator<StoredEvent[]> {
    const cursor = `event_log_streams_${++cursors}`;
    await manager.query(
      `DECLARE ${cursor} NO SCROLL CURSOR FOR
       ${SELECT_EVENTS}
        WHERE stream_type = ${quoteLiteral(streamType)}
        ORDER BY stream_id COLLATE "C", event_log.transaction_id, event_log.position`,
    );
    try {
      for (;;) {
        const rows: EventRow[] = await manager.query(`FETCH ${pageSize} FROM ${cursor}`);
        if (rows.length > 0) yield rows.map(toStoredEvent);
        if (rows.length < pageSize) return;
      }
    } finally {
      await manager.query(`CLOSE ${cursor}`);
    }
  }

  /** Every event of one aggregate, oldest first. */
  async readStream(
    streamType: string,
    streamId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<StoredEvent[]> {
    const rows: EventRow[] = await manager.query(`${SELECT_EVENTS} WHERE stream_type = $1 AND stream_id = $2 ORDER BY version`, [
      streamType,
      streamId,
    ]);
    return rows.map(toStoredEvent);
  }
}

let cursors = 0;

function quoteLiteral(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    position: Number(row.position),
    transactionId: row.transaction_id,
    streamType: row.stream_type,
    streamId: row.stream_id,
    version: row.version,
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    createdAt: row.created_at,
  };
}
