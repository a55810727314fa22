import type { EventMetadata, StoredEvent } from '@chime/event-log';

export interface EventView {
  position: number;
  stream_type: string;
  stream_id: string;
  version: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
  created_at: string;
}

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
