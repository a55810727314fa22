import type { EventMetadataView } from '@chime/contracts';

/** Who caused an event, copied into its metadata (API.md §6.1). Never holds a secret. */
export type EventMetadata = EventMetadataView;

/** The aggregate an event belongs to. */
export interface StreamRef {
  type: string;
  id: string;
}

/**
 * A fact about one aggregate. Every event class names its stored `type` explicitly, so that renaming
 * the class never renames history:
 *
 *   export class ClusterCreated extends DomainEvent<ClusterState> {
 *     static override readonly type = 'ClusterCreated';
 *   }
 *
 * Readers compare with the constant (`event.type === ClusterCreated.type`). `data` holds enough to
 * rebuild the aggregate's state, and never a password or a token.
 */
export abstract class DomainEvent<Data extends object = object> {
  /** The name the log stores; each event class sets its own. */
  static readonly type: string;

  constructor(readonly data: Data) {}

  get type(): string {
    const eventClass = this.constructor as typeof DomainEvent;
    if (!Object.hasOwn(eventClass, 'type')) throw new Error(`event class ${eventClass.name} names no static type`);
    return eventClass.type;
  }
}

/** An event as the log holds it. */
export interface StoredEvent<Data extends object = Record<string, unknown>> {
  position: number;
  /** Id of the writing transaction (xid8 as a decimal string): the log's read order is (transactionId, position). */
  transactionId: string;
  streamType: string;
  streamId: string;
  version: number;
  type: string;
  data: Data;
  metadata: EventMetadata;
  createdAt: Date;
}

/** Where a reader stands in the log: the last event it has taken. */
export interface LogCursor {
  transactionId: string;
  position: number;
}

export const LOG_START: LogCursor = { transactionId: '0', position: 0 };
