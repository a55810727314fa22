import { applyDecorators, Injectable, SetMetadata } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { StoredEvent } from './domain-event';
import type { Transaction } from './unit-of-work';

export const EVENT_CONSUMER = 'chime:event-consumer';
export const EVENT_CONSUMER_REACTS_TO = 'chime:event-consumer-reacts-to';

/**
 * A durable subscriber to the event log: it receives every event (of the types it reacts to), in
 * the log's order, once per successful handling, and resumes from its checkpoint after a restart.
 *
 * `handle` runs inside the consumer's transaction, which also moves its checkpoint: whatever it
 * writes through `tx.manager`, and the events it appends with `tx.append`, commit together with the
 * checkpoint, so each event's effect happens exactly once. (Effects outside the database, such as a
 * call to another service, happen at least once: make them idempotent.) Appended events carry the
 * metadata of the event they react to (its request id, user, …) plus `causation_position` and
 * `causation_consumer`, so a cascade stays tied to the request that started it; they reach the
 * in-process EventBus after the commit. The handler must use `tx.manager` for every query: with the
 * embedded database a query through another connection would wait for this transaction forever. A
 * handler that throws is retried with back-off; the consumer does not move past the event until it
 * succeeds. Appending follows the unit of work's rule: lock the aggregate's row before writing.
 *
 *   @DurableConsumer('hosts-inventory', { reactsTo: [ClusterDeleted.type] })
 *   export class HostsInventory implements EventConsumer {
 *     async handle(event: StoredEvent, tx: Transaction) {
 *       for (const host of await lockHostsOf(tx.manager, event.streamId)) {
 *         await tx.manager.delete(Host, { uuid: host.uuid });
 *         await tx.append({ type: 'host', id: host.uuid }, host.version, [new HostDeleted({ uuid: host.uuid })]);
 *       }
 *     }
 *   }
 *
 * Register the class as a provider of any module; the event log finds it at start.
 *
 * `reactsTo` names the event types the consumer handles (`[ClusterDeleted.type]` above): it is
 * handed only those, and only a commit that appended one of them wakes it at once. Its checkpoint
 * still moves past every event, in the log's order: past the others when it next runs, for an
 * event of its own, at the safety poll (LogWakeUps.safetyPollMs) or on an explicit wake-up. Without
 * it the consumer is handed every event and woken by every commit (the operation log).
 */
export interface EventConsumer {
  handle(event: StoredEvent, tx: Transaction): Promise<void>;
  /**
   * Optional: the whole batch at once (e.g. one query or one INSERT for all), to the same effect as
   * `handle` on each event in turn. Events appended in reaction to an event go through
   * `reactingTo(event)`, the transaction `handle` would have been given for it (same `manager`,
   * that event's metadata and causation). After a failure the consumer retries one event at a time
   * through `handle`, to find the event that fails.
   */
  handleBatch?(events: StoredEvent[], manager: EntityManager, reactingTo: (event: StoredEvent) => Transaction): Promise<void>;
}

/**
 * Marks a provider as a durable consumer with a stable name (its checkpoint's key: never rename it)
 * and, optionally, the event types it reacts to (see EventConsumer).
 */
export const DurableConsumer = (name: string, options: { reactsTo?: readonly string[] } = {}) =>
  applyDecorators(
    Injectable(),
    SetMetadata(EVENT_CONSUMER, name),
    SetMetadata(EVENT_CONSUMER_REACTS_TO, options.reactsTo ? new Set(options.reactsTo) : undefined),
  );
