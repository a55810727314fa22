import type { EventPage, ListEventQuery } from '@chime/contracts';
import type { Operation, OperationCaller } from './operation';

/**
 * The `event` category (API.md §6.1); the pattern is described in user-api.ts. Only the paged read:
 * the live stream (streamEvent) is Server-Sent Events, not an envelope, so it has no method here.
 * To follow the log, call listEvent again with `after` set to the previous page's `next`.
 */
export const EVENT_OPERATIONS = {
  listEvent: { method: 'GET', path: '/v1/event' },
} as const satisfies Record<string, Operation>;

export class EventApi {
  constructor(private readonly client: OperationCaller) {}

  listEvent(query: ListEventQuery = {}): Promise<EventPage> {
    return this.client.call(EVENT_OPERATIONS.listEvent, { query });
  }
}
