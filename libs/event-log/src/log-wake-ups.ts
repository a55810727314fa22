import { Inject, Injectable, OnModuleDestroy, Optional } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import type { Subscription } from 'rxjs';

/**
 * Port to the other server processes sharing the database (PostgreSQL LISTEN/NOTIFY on a server;
 * nothing on the embedded database, which has one process).
 */
export interface CrossProcessSignal {
  /** After a commit that appended events: tell the other processes to look at the log. */
  send(): void;
  /** Calls `wake` when another process says so, or when such news may have been missed; returns the unsubscribe. */
  subscribe(wake: () => void): () => void;
}

export const CROSS_PROCESS_SIGNAL = Symbol('CROSS_PROCESS_SIGNAL');

/**
 * How long a reader of the log (a consumer, a live event stream) waits without any wake-up before
 * it looks anyway. Only a safety net: a wake-up comes with every commit that appends events, from
 * this process (the EventBus) or another one (the cross-process signal).
 */
export const SAFETY_POLL_MS = 10_000;
/**
 * The same with no other process on the database (the embedded one): every commit is this
 * process's own and wakes the readers through the EventBus, so the net is slower still.
 */
export const SINGLE_PROCESS_SAFETY_POLL_MS = 60_000;

/**
 * How soon a reader looks again while committed events wait behind an older transaction that is
 * still running (EventStore.heldBack): `n` is how many times in a row it found them held. That
 * transaction's commit may bring no wake-up (it may have appended nothing), so the reader must look.
 */
export const heldBackDelay = (n: number) => Math.min(1_000, 25 * 2 ** Math.min(n, 6));

/**
 * What a wake-up knows of the new events: their types, when they were all committed in this process
 * (they came through the EventBus); `undefined` when they may be anything (another process's
 * commits, an explicit wake-up).
 */
export type WokenBy = ReadonlySet<string> | undefined;

/**
 * Tells the log's readers in this process that there may be new events: after every commit that
 * appended events here (they reach the EventBus after their commit), and whenever another process
 * says so. Commits here are passed on to the other processes. A burst of events is one wake-up.
 * A wake-up only says "look now": readers read from their own cursor, in the log's read order; a
 * reader may use what woke it (WokenBy) to skip a look that would find nothing for it.
 */
@Injectable()
export class LogWakeUps implements OnModuleDestroy {
  private readonly watchers = new Set<(wokenBy: WokenBy) => void>();
  private readonly subscriptions: (() => void)[] = [];
  private scheduled = false;
  /** The types of the events this coming wake-up is for; undefined once anything may be new. */
  private types: Set<string> | undefined = new Set();

  constructor(
    eventBus: EventBus,
    @Optional() @Inject(CROSS_PROCESS_SIGNAL) private readonly signal?: CrossProcessSignal,
  ) {
    const bus: Subscription = eventBus.subscribe((event: { type?: unknown }) =>
      this.schedule(true, typeof event.type === 'string' ? event.type : undefined),
    );
    this.subscriptions.push(() => bus.unsubscribe());
    if (signal) this.subscriptions.push(signal.subscribe(() => this.schedule(false, undefined)));
  }

  /** How long a reader waits without a wake-up before it looks anyway (see SAFETY_POLL_MS). */
  get safetyPollMs(): number {
    return this.signal ? SAFETY_POLL_MS : SINGLE_PROCESS_SAFETY_POLL_MS;
  }

  /**
   * Wakes this process's readers now: for events written past the EventBus (an import run beside
   * a live server in the same process, as the tests do).
   */
  wake(): void {
    this.schedule(false, undefined);
  }

  /** Calls `watcher` on every wake-up, with what woke it; returns the function that stops it. */
  watch(watcher: (wokenBy: WokenBy) => void): () => void {
    this.watchers.add(watcher);
    return () => this.watchers.delete(watcher);
  }

  onModuleDestroy(): void {
    this.subscriptions.splice(0).forEach((unsubscribe) => unsubscribe());
  }

  /** `type`: the new event's type, or undefined when the new events may be anything. */
  private schedule(local: boolean, type: string | undefined): void {
    if (local) this.signal?.send();
    if (type === undefined) this.types = undefined;
    else this.types?.add(type);
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      const wokenBy = this.types;
      this.scheduled = false;
      this.types = new Set();
      for (const watcher of this.watchers) watcher(wokenBy);
    });
  }
}
