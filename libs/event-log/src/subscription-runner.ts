import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService } from '@nestjs/core';
import { EventBus } from '@nestjs/cqrs';
import { DataSource, EntityManager } from 'typeorm';
import type { DomainEvent, EventMetadata, LogCursor, StoredEvent } from './domain-event';
import { EVENT_CONSUMER, EVENT_CONSUMER_REACTS_TO, EventConsumer } from './event-consumer';
import { EventStore } from './event-store';
import { heldBackDelay, LogWakeUps, type WokenBy } from './log-wake-ups';
import { Transaction } from './unit-of-work';

/** Events handled in one transaction; after a failure, one at a time until the failing event passes. */
const BATCH = 200;
/**
 * A consumer woken while it handled a batch waits this long before the next one, so that a
 * stream of commits is taken in batches rather than one transaction per commit (each batch is a
 * transaction of its own: under write load, most of a consumer's cost). An idle consumer that is
 * woken starts at once.
 */
const COALESCE_MS = 20;
const MAX_BACKOFF_MS = 30_000;
/** First key of the consumers' advisory locks (the second is the hash of the consumer's name). */
const CONSUMER_LOCK_SPACE = 0x63686d63; // "chmc"
/** From this many failures in a row on one event, it is reported as a poison event. */
export const POISON_AFTER = 5;

export interface SubscriptionStatus {
  name: string;
  last_position: number;
  handled: number;
  failures: number;
  failed_position: number | null;
  last_error: string | null;
  /** `stalled`: stuck on a poison event, retried with back-off until someone fixes the handler. */
  state: 'running' | 'retrying' | 'stalled';
  updated_at: string;
}

class ConsumerLoop {
  private readonly logger: Logger;
  private stopped = false;
  private wake: (() => void) | undefined;
  private interrupt: (() => void) | undefined;
  private running: Promise<void> | undefined;
  private failures = 0;
  /** Whether the last failure was the database's (an outage), not a handler's. */
  private databaseFailed = false;
  /** A wake-up came while a batch ran: look again at once. */
  private woken = false;
  /** Batches in a row that found committed events held back by an older running transaction. */
  private held = 0;

  constructor(
    readonly name: string,
    private readonly consumer: EventConsumer,
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly eventBus: EventBus,
    /** The event types the consumer handles; undefined: all. */
    private readonly reactsTo: ReadonlySet<string> | undefined,
  ) {
    this.logger = new Logger(`EventConsumer:${name}`);
  }

  /** What the events a handler appends in reaction to `event` say about where they come from. */
  private reactionMetadata(event: StoredEvent): EventMetadata {
    return { ...event.metadata, causation_position: event.position, causation_consumer: this.name };
  }

  start(): void {
    this.running = this.loop();
  }

  /** Look again: for new events, unless all of them are of types the consumer does not react to. */
  notify(wokenBy?: WokenBy): void {
    if (wokenBy && this.reactsTo && ![...wokenBy].some((type) => this.reactsTo!.has(type))) return;
    this.woken = true;
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.interrupt?.();
    await this.running;
  }

  /** Batches until caught up, then waits to be woken (see SubscriptionRunner for who wakes it). */
  private async loop(): Promise<void> {
    while (!this.stopped) {
      let delay: number | undefined; // until woken
      this.woken = false;
      try {
        // After a failure, one event at a time until the failing one passes.
        const limit = this.failures > 0 ? 1 : BATCH;
        const { handled, held } = await this.tick(limit);
        this.failures = 0;
        this.held = held ? this.held + 1 : 0;
        // A full batch: there may be more right behind it.
        if (handled === limit) delay = 0;
        else if (this.woken && handled > 0) {
          // Under a stream of commits: let a few more gather, so that one batch takes them together.
          await this.pause(COALESCE_MS);
          delay = 0;
        } else if (this.woken) delay = 0;
        else if (held) delay = heldBackDelay(this.held - 1);
      } catch {
        this.failures++;
        delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(this.failures, 12));
      }
      if (delay !== 0 && !this.stopped) await this.sleep(delay);
    }
  }

  /** `ms`, whatever wakes the consumer meanwhile (only a shutdown ends it early). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = undefined;
      this.interrupt = done;
    });
  }

  /** Until `ms` have passed (never, when undefined) or a wake-up. */
  private sleep(ms: number | undefined): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === undefined ? undefined : setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      // Fresh events wake a waiting consumer at once. One backing off after a handler's failure keeps
      // its pause (but not at shutdown); after the database's, a wake-up says it works again.
      this.wake = this.failures === 0 || this.databaseFailed ? done : undefined;
      this.interrupt = done;
    });
  }

  /**
   * One batch in one transaction. A transaction-level advisory lock per consumer name makes it run
   * in one server process at a time; the others skip it, and when the holder dies its transaction
   * ends and another takes over at the next poll. The lock is taken without a transaction id (a
   * row lock would take one): the transaction's own id would count as running in its snapshot and
   * hold the read horizon back to itself, so it must only write after it has read.
   */
  private async tick(limit: number): Promise<{ handled: number; held: boolean }> {
    let failing: number | undefined;
    let held = false;
    const appended: DomainEvent[] = [];
    try {
      const handled = await this.dataSource.transaction(async (manager) => {
        const [{ locked }]: { locked: boolean }[] = await manager.query(
          'SELECT pg_try_advisory_xact_lock($1, hashtext($2)) AS locked',
          [CONSUMER_LOCK_SPACE, this.name],
        );
        if (!locked) return 0;
        const rows: { last_transaction_id: string; last_position: string }[] = await manager.query(
          'SELECT last_transaction_id::text, last_position FROM event_subscriptions WHERE name = $1',
          [this.name],
        );
        if (rows.length === 0) return 0;
        const after: LogCursor = { transactionId: rows[0].last_transaction_id, position: Number(rows[0].last_position) };
        const events = await this.store.read({ after, limit }, manager);
        if (events.length < limit) {
          const last = events[events.length - 1];
          held = await this.store.heldBack(
            last ? { transactionId: last.transactionId, position: last.position } : after,
            manager,
          );
        }
        // The checkpoint moves past every event read; the handler sees those it reacts to.
        const reactsTo = this.reactsTo;
        const theirs = reactsTo ? events.filter((event) => reactsTo.has(event.type)) : events;
        const reactingTo = (event: StoredEvent) => new Transaction(manager, this.reactionMetadata(event), appended);
        if (this.consumer.handleBatch && theirs.length > 1) {
          failing = theirs[0].position; // somewhere in the batch: the retry goes one event at a time
          await this.consumer.handleBatch(theirs, manager, reactingTo);
        } else {
          for (const event of theirs) {
            failing = event.position;
            await this.consumer.handle(event, reactingTo(event));
          }
        }
        failing = undefined; // from here on, a failure is the database's, not a handler's
        if (events.length > 0) {
          const last = events[events.length - 1];
          await manager.query(
            `UPDATE event_subscriptions
                SET last_transaction_id = $2::xid8, last_position = $3, handled = handled + $4,
                    failures = 0, failed_position = NULL, last_error = NULL, updated_at = now()
              WHERE name = $1`,
            [this.name, last.transactionId, last.position, events.length],
          );
        }
        return events.length;
      });
      if (appended.length > 0) this.eventBus.publishAll(appended);
      return { handled, held };
    } catch (error) {
      this.databaseFailed = failing === undefined;
      await this.recordFailure(error, failing);
      throw error;
    }
  }

  private async recordFailure(error: unknown, position: number | undefined): Promise<void> {
    const message = error instanceof Error ? error.message : String(error);
    const failures = this.failures + 1;
    if (position === undefined) {
      // Not the handler: the database itself failed (an outage); nothing to blame on an event.
      this.logger.warn({ err: error, failures }, 'cannot read the event log; retrying with back-off');
      return;
    }
    if (failures >= POISON_AFTER) {
      this.logger.error(
        { err: error, position, failures },
        `poison event at position ${position}: the consumer is stalled until its handler succeeds`,
      );
    } else {
      this.logger.warn({ err: error, position, failures }, 'event handler failed; retrying with back-off');
    }
    await this.dataSource
      .query(
        'UPDATE event_subscriptions SET failures = failures + 1, failed_position = $2, last_error = $3, updated_at = now() WHERE name = $1',
        [this.name, position, message.slice(0, 1000)],
      )
      .catch(() => undefined); // the database may be what failed
  }
}

/**
 * Finds every @DurableConsumer provider at start and runs each in its own loop, so that a failing
 * consumer never holds up another. Every commit that appends events, in this process or another
 * one, wakes the consumers (LogWakeUps), except those that react to none of the types it appended
 * here (see EventConsumer); a consumer looks again sooner while committed events wait
 * behind a running transaction (see EventStore.heldBack). As a safety net (a lost notification, a
 * process that died holding a consumer's lock), one query every LogWakeUps.safetyPollMs finds the
 * consumers whose checkpoint stands behind the log, and wakes those: an idle server's only query.
 */
@Injectable()
export class SubscriptionRunner implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly loops: ConsumerLoop[] = [];
  private unwatch: (() => void) | undefined;
  private safetyNet: NodeJS.Timeout | undefined;

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly dataSource: DataSource,
    private readonly store: EventStore,
    private readonly eventBus: EventBus,
    private readonly wakeUps: LogWakeUps,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    for (const wrapper of this.discovery.getProviders()) {
      const name: string | undefined = wrapper.metatype ? Reflect.getMetadata(EVENT_CONSUMER, wrapper.metatype) : undefined;
      if (!name || !wrapper.instance) continue;
      if (this.loops.some((loop) => loop.name === name)) throw new Error(`two event consumers are named ${name}`);
      await this.dataSource.query('INSERT INTO event_subscriptions (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [name]);
      const reactsTo: ReadonlySet<string> | undefined = Reflect.getMetadata(EVENT_CONSUMER_REACTS_TO, wrapper.metatype!);
      this.loops.push(
        new ConsumerLoop(name, wrapper.instance as EventConsumer, this.dataSource, this.store, this.eventBus, reactsTo),
      );
    }
    this.unwatch = this.wakeUps.watch((wokenBy) => this.loops.forEach((loop) => loop.notify(wokenBy)));
    this.loops.forEach((loop) => loop.start());
    if (this.loops.length > 0) this.safetyNet = setInterval(() => void this.wakeThoseBehind(), this.wakeUps.safetyPollMs);
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.safetyNet);
    this.unwatch?.();
    await Promise.all(this.loops.map((loop) => loop.stop()));
  }

  /** Wakes the consumers whose checkpoint stands before the last event the log holds now. */
  private async wakeThoseBehind(): Promise<void> {
    let behind: { name: string }[];
    try {
      behind = await this.dataSource.query(
        `SELECT s.name FROM event_subscriptions s
           CROSS JOIN LATERAL (SELECT 1 FROM event_log e
                                WHERE (e.transaction_id, e.position) > (s.last_transaction_id, s.last_position)
                                ORDER BY e.transaction_id, e.position LIMIT 1) AS next
          WHERE s.name = ANY($1)`,
        [this.loops.map((loop) => loop.name)],
      );
    } catch {
      return; // the database is unavailable: the consumers find out themselves and back off
    }
    for (const { name } of behind) this.loops.find((loop) => loop.name === name)?.notify();
  }

  /** Every consumer's checkpoint and health, also for consumers running in other processes. */
  async status(manager: EntityManager = this.dataSource.manager): Promise<SubscriptionStatus[]> {
    const rows: {
      name: string;
      last_position: string;
      handled: string;
      failures: number;
      failed_position: string | null;
      last_error: string | null;
      updated_at: Date;
    }[] = await manager.query('SELECT * FROM event_subscriptions ORDER BY name');
    return rows.map((row) => ({
      name: row.name,
      last_position: Number(row.last_position),
      handled: Number(row.handled),
      failures: row.failures,
      failed_position: row.failed_position === null ? null : Number(row.failed_position),
      last_error: row.last_error,
      state: row.failures === 0 ? 'running' : row.failures < POISON_AFTER ? 'retrying' : 'stalled',
      updated_at: row.updated_at.toISOString(),
    }));
  }
}
