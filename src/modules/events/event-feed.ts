import { BeforeApplicationShutdown, Injectable, MessageEvent } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { EventPage } from '@chime/contracts';
import { EventStore, LogCursor } from '@chime/event-log';
import { Observable, Subscriber } from 'rxjs';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { toEventView } from './event.view';

const PAGE = 500;
/** How often a live stream looks for events committed by other server processes. */
const POLL_MS = 500;

/**
 * Reads the event log for clients, in the log's read order (see EventStore.read): pages for
 * listEvent, a live Server-Sent Events stream for streamEvent. A position given as `after` is
 * turned into the cursor of that event, so resuming never skips an event that committed late.
 */
@Injectable()
export class EventFeed implements BeforeApplicationShutdown {
  /** Live streams never end by themselves: at shutdown they are ended, so the HTTP server can close. */
  private readonly streams = new Set<Subscriber<MessageEvent>>();

  constructor(
    private readonly store: EventStore,
    private readonly eventBus: EventBus,
  ) {}

  async cursorAfter(position: number): Promise<LogCursor> {
    const cursor = await this.store.cursorAt(position);
    if (!cursor) throw new InvalidArgumentError(`no event at position ${position}`);
    return cursor;
  }

  async page(
    after: number,
    limit: number,
    filters: { streamType?: string; streamId?: string; type?: string },
  ): Promise<EventPage> {
    const events = await this.store.read({ after: await this.cursorAfter(after), limit, ...filters });
    const elements = events.map(toEventView);
    return { elements, size: elements.length, next: elements.length ? elements[elements.length - 1].position : after };
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.streams.size === 0) return;
    for (const stream of this.streams) stream.complete();
    // Let the ended responses flush, so their connections are idle when the HTTP server closes
    // (an active one would hold the close up for the keep-alive timeout).
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  /** Every event after the cursor, then every new one as it commits, until the client goes away. */
  live(from: LogCursor): Observable<MessageEvent> {
    return new Observable<MessageEvent>((subscriber) => {
      let cursor = from;
      let timer: NodeJS.Timeout | undefined;
      let reading = false;
      let again = false;
      let closed = false;
      const poll = async () => {
        if (closed) return;
        if (reading) {
          again = true;
          return;
        }
        reading = true;
        clearTimeout(timer);
        let full = false;
        try {
          const events = await this.store.read({ after: cursor, limit: PAGE });
          for (const event of events) {
            if (closed) break;
            subscriber.next({ id: String(event.position), data: toEventView(event) });
            cursor = { transactionId: event.transactionId, position: event.position };
          }
          full = events.length === PAGE;
        } catch {
          // The database is unavailable for now: keep the stream open and try again.
        } finally {
          reading = false;
        }
        if (!closed) timer = setTimeout(() => void poll(), full || again ? 0 : POLL_MS);
        again = false;
      };
      const wakeUps = this.eventBus.subscribe(() => void poll());
      this.streams.add(subscriber);
      void poll();
      return () => {
        this.streams.delete(subscriber);
        closed = true;
        clearTimeout(timer);
        wakeUps.unsubscribe();
      };
    });
  }
}
