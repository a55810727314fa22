import { BeforeApplicationShutdown, Inject, Injectable, MessageEvent } from '@nestjs/common';
import type { Role } from '@chime/contracts';
import { EMPTY, Observable } from 'rxjs';
import { AppConfig } from '../../platform/config/app-config';
import { ResourceExhaustedError } from '../../platform/errors/domain-error';
import type { Session, SessionEnd } from '../identity/session.port';
import { Sessions } from '../identity/session.port';
import { EventFeed, StreamStart } from './event-feed';
import { watchSession } from './session-watch';

/**
 * Why the server ended a stream: the data of its last message, `event: end` `{"reason": …}`.
 * - `token_revoked`: the token was logged out
 * - `token_expired`: the token reached its expiry
 * - `password_changed`: the user's password changed, which revokes all of its tokens
 * - `user_deleted`: the user was deleted
 * - `permission_revoked`: the user's role fell below read-only administrator
 * - `shutdown`: the server process is stopping; reconnecting (with Last-Event-ID) resumes
 * The first five also refuse the token everywhere else (401, or 403 for the role), so a client
 * should not reconnect with it.
 */
export type StreamEndReason = SessionEnd | 'permission_revoked' | 'shutdown';

/** What a client refused for too many streams is told to wait: slots free whenever a stream closes. */
const RETRY_AFTER_SECONDS = 5;

/** An open stream, from the request that opened it until it closes; `end` works once it is subscribed. */
interface OpenStream {
  userUuid: string;
  end(reason: StreamEndReason): void;
}

/**
 * The open event streams of this process: each lives only as long as the session that opened it
 * (see watchSession) and the process, sends a heartbeat comment so that idle connections are seen
 * alive, and counts against a cap per user and a cap for the process.
 */
@Injectable()
export class EventStreams implements BeforeApplicationShutdown {
  private readonly open = new Set<OpenStream>();
  private stopping = false;

  constructor(
    private readonly feed: EventFeed,
    private readonly sessions: Sessions,
    @Inject(AppConfig) private readonly config: AppConfig,
  ) {}

  /**
   * A live stream of the log from `start` for a session whose user needs `minRole`. Takes its slot
   * at once (429 beyond a cap) and gives it back as soon as the stream closes, whichever way:
   * `closed` (the request's SSE signal) also fires when the client leaves before the stream starts.
   */
  stream(session: Session, minRole: Role, start: StreamStart, closed: AbortSignal): Observable<MessageEvent> {
    if (closed.aborted) return EMPTY;
    const open = this.take(session.actor.uuid);
    closed.addEventListener('abort', () => this.open.delete(open), { once: true });
    return new Observable<MessageEvent>((subscriber) => {
      let lastEventId = start.lastEventId;
      open.end = (reason) => {
        if (subscriber.closed) return;
        // The id repeats the last event's, so that a client resuming from it misses nothing.
        subscriber.next({ type: 'end', id: lastEventId, data: { reason } });
        subscriber.complete();
      };
      if (this.stopping) {
        open.end('shutdown');
        return;
      }
      const events = this.feed.live(start).subscribe((message) => {
        lastEventId = message.id ?? lastEventId;
        subscriber.next(message);
      });
      const heartbeat = setInterval(() => subscriber.next({ comment: 'heartbeat' }), this.config.CHIME_STREAM_HEARTBEAT * 1000);
      const unwatch = watchSession(this.sessions, session, minRole, (reason) => open.end(reason));
      return () => {
        this.open.delete(open);
        events.unsubscribe();
        clearInterval(heartbeat);
        unwatch();
      };
    });
  }

  /** Live streams never end by themselves: at shutdown they are ended, so the HTTP server can close. */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.open.size === 0) return;
    for (const open of this.open) open.end('shutdown');
    // Let the ended responses flush, so their connections are idle when the HTTP server closes
    // (an active one would hold the close up for the keep-alive timeout).
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  private take(userUuid: string): OpenStream {
    const perUser = this.config.CHIME_MAX_STREAMS_PER_USER;
    if ([...this.open].filter((open) => open.userUuid === userUuid).length >= perUser) {
      throw new ResourceExhaustedError(
        `this user has ${perUser} event streams open, the most allowed; close one first`,
        RETRY_AFTER_SECONDS,
      );
    }
    if (this.open.size >= this.config.CHIME_MAX_STREAMS) {
      throw new ResourceExhaustedError(
        `this server has ${this.config.CHIME_MAX_STREAMS} event streams open, the most allowed; try again later`,
        RETRY_AFTER_SECONDS,
      );
    }
    const open: OpenStream = { userUuid, end: () => undefined };
    this.open.add(open);
    return open;
  }
}
