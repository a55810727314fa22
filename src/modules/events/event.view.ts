import type { EventView } from '@chime/contracts';
import type { StoredEvent } from '@chime/event-log';

// The view is a contract type now; re-exported for this module's files that import it from here.
export type { EventView };

export function toEventView(event: StoredEvent): EventView {
  return {
    position: event.position,
    stream_type: event.streamType,
    stream_id: event.streamId,
    version: event.version,
    type: event.type,
    data: event.data,
    metadata: event.metadata,
    created_at: event.createdAt.toISOString(),
  };
}
