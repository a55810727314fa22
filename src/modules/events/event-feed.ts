import { Injectable, Logger, MessageEvent } from '@nestjs/common';
import type { EventPage } from '@chime/contracts';
import { EventStore, heldBackDelay, LogCursor, LogWakeUps } from '@chime/event-log';
import { DataSource } from 'typeorm';
import { Observable } from 'rxjs';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { toEventView } from './event.view';

const PAGE = 500;
/** How soon a live stream tries again when the log could not be read. */
const RETRY_MS = 1_000;

/** Where a live stream starts. */
export interface StreamStart {
  /** The stream holds the events after this cursor, in read order... */
  cursor: LogCursor;
  /** ...except those of these transactions, committed already when a stream at the head opened. */
  committedBefore: ReadonlySet<string>;
  /** The id a client resumes from if no event reaches it: a position, or '' when there is none. */
  lastEventId: string;
}

/**
 * Reads the event log for clients, in the log's read order (see EventStore.read): pages for
 * listEvent, a live Server-Sent Events stream for streamEvent. A position given as `after` is
 * turned into the cursor of that event, so resuming never skips an event that committed late.
 */
@Injectable()
export class EventFeed {
  private readonly logger = new Logger(EventFeed.name);

  constructor(
    private readonly store: EventStore,
    private readonly wakeUps: LogWakeUps,
    private readonly dataSource: DataSource,
  ) {}

  async cursorAfter(position: number): Promise<LogCursor> {
    const cursor = await this.store.cursorAt(position);
    if (!cursor) throw new InvalidArgumentError(`no event at position ${position}`);
    return cursor;
  }

  async page(
    after: number,
    limit: number,
    filters: { streamType?: string; streamId?: string; type?: string; requestId?: string },
  ): Promise<EventPage> {
    const events = await this.store.read({ after: await this.cursorAfter(after), limit, ...filters });
    const elements = events.map(toEventView);
    return { elements, size: elements.length, next: elements.length ? elements[elements.length - 1].position : after };
  }

  async startAfter(position: number): Promise<StreamStart> {
    return { cursor: await this.cursorAfter(position), committedBefore: new Set(), lastEventId: String(position) };
  }

  /**
   * The head of the log: exactly the events committed from now on. No position marks it (a
   * transaction still running may commit below the newest position), so the start is the oldest
   * running transaction, less the transactions above it that have committed already.
   */
  async startAtHead(): Promise<StreamStart> {
    const [row]: { xmin: string; committed: string[] | null }[] = await this.dataSource.query(
      `SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS xmin,
              (SELECT json_agg(DISTINCT transaction_id::text) FROM event_log
                WHERE transaction_id >= pg_snapshot_xmin(pg_current_snapshot())) AS committed`,
    );
    return { cursor: { transactionId: row.xmin, position: 0 }, committedBefore: new Set(row.committed ?? []), lastEventId: '' };
  }

  /**
   * Every event after the start, then every new one as it commits, until unsubscribed. It reads when
   * woken (a commit that appended events, in any server process), soon again while committed events
   * wait behind a running transaction, and otherwise every safety poll (LogWakeUps.safetyPollMs).
   */
  live(start: StreamStart): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let cursor = start.cursor;
      let timer: NodeJS.Timeout | undefined;
      let reading = false;
      let failing = false;
      let again = false;
      let closed = false;
      let held = 0;
      const poll = async () => {
        if (closed) return;
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        clearTimeout(timer);
        let delay = this.wakeUps.safetyPollMs;
        try {
          const events = await this.store.read({ after: cursor, limit: PAGE });
          for (const event of events) {
            if (closed) break;
            if (!start.committedBefore.has(event.transactionId)) {
              subscriber.next({ id: String(event.position), data: toEventView(event) });
            }
            cursor = { transactionId: event.transactionId, position: event.position };
          }
          held = events.length < PAGE && (await this.store.heldBack(cursor)) ? held + 1 : 0;
          if (events.length === PAGE) delay = 0;
          else if (held > 0) delay = heldBackDelay(held - 1);
          if (failing) this.logger.log('event stream reads the log again');
          failing = false;
        } catch (error) {
          // The database is unavailable for now: keep the stream open and try again; say so once.
          if (!failing) this.logger.warn({ err: error }, 'event stream cannot read the log; retrying');
          failing = true;
          delay = RETRY_MS;
        } finally {
          reading = false;
        }
        if (!closed) timer = setTimeout(() => void poll(), again ? 0 : delay);
        again = false;
      };
      const unwatch = this.wakeUps.watch(() => void poll());
      void poll();
      return () => {
        closed = true;
        clearTimeout(timer);
        unwatch();
      };
    });
  }
}
