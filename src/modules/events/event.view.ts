import { ApiProperty, ApiPropertyOptional, ApiSchema } from '@nestjs/swagger';
import type { EventMetadataView, EventPage, EventView, ImportMetadataView } from '@chime/contracts';
import type { SubscriptionStatus } from '@chime/event-log';
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

const NULLABLE_TEXT = { type: String, nullable: true } as const;

/** Who caused an event; never a secret. */
@ApiSchema({ name: 'ImportMetadata' })
export class ImportMetadataSchema implements ImportMetadataView {
  @ApiProperty({ description: 'the ChimeStack database imported, without its password' })
  source!: string;

  @ApiProperty({ format: 'uuid', description: "the import run's id, also the events' request id" })
  run_id!: string;
}

@ApiSchema({ name: 'EventMetadata' })
export class EventMetadataSchema implements EventMetadataView {
  @ApiProperty({ ...NULLABLE_TEXT, format: 'uuid' })
  request_id!: string | null;

  @ApiProperty({ ...NULLABLE_TEXT, format: 'uuid' })
  user_uuid!: string | null;

  @ApiProperty(NULLABLE_TEXT)
  user_name!: string | null;

  @ApiProperty(NULLABLE_TEXT)
  ip!: string | null;

  @ApiProperty(NULLABLE_TEXT)
  method!: string | null;

  @ApiProperty(NULLABLE_TEXT)
  path!: string | null;

  @ApiProperty({ ...NULLABLE_TEXT, description: 'the request body as JSON, passwords and tokens replaced by "***"' })
  input!: string | null;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    description: 'on an event a consumer appended in reaction: the position of the event it reacted to',
  })
  causation_position?: number;

  @ApiPropertyOptional({ description: 'on such an event: the durable consumer that reacted' })
  causation_consumer?: string;

  @ApiPropertyOptional({ type: ImportMetadataSchema, description: 'on an event written by `npm run import`' })
  import?: ImportMetadataSchema;
}

/** One event of the log (API.md §6.1). */
@ApiSchema({ name: 'Event' })
export class EventViewSchema implements EventView {
  @ApiProperty({ type: 'integer', minimum: 1, description: 'global, strictly increasing' })
  position!: number;

  @ApiProperty({ description: "the aggregate's kind: user, token, az, cluster, security, …" })
  stream_type!: string;

  @ApiProperty()
  stream_id!: string;

  @ApiProperty({ type: 'integer', minimum: 1, description: 'per stream: 1, 2, 3 …' })
  version!: number;

  @ApiProperty({ example: 'ClusterCreated' })
  type!: string;

  @ApiProperty({ type: 'object', additionalProperties: true, description: "enough to rebuild the aggregate's state" })
  data!: Record<string, unknown>;

  @ApiProperty({ type: EventMetadataSchema })
  metadata!: EventMetadataSchema;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

/** A page of listEvent: it pages by position, not by page number. */
@ApiSchema({ name: 'EventPage' })
export class EventPageSchema implements EventPage {
  @ApiProperty({ type: [EventViewSchema] })
  elements!: EventViewSchema[];

  @ApiProperty({ type: 'integer', minimum: 0 })
  size!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'pass as `after` to continue' })
  next!: number;
}

/** A durable consumer of the log and its health. */
@ApiSchema({ name: 'EventSubscription' })
export class SubscriptionStatusSchema implements SubscriptionStatus {
  @ApiProperty({ example: 'operation-log' })
  name!: string;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'position of the last event handled' })
  last_position!: number;

  @ApiProperty({ type: 'integer', minimum: 0 })
  handled!: number;

  @ApiProperty({ type: 'integer', minimum: 0, description: 'consecutive failures on the current event' })
  failures!: number;

  @ApiProperty({ type: 'integer', nullable: true })
  failed_position!: number | null;

  @ApiProperty(NULLABLE_TEXT)
  last_error!: string | null;

  @ApiProperty({ enum: ['running', 'retrying', 'stalled'], description: 'stalled: stuck on a poison event' })
  state!: 'running' | 'retrying' | 'stalled';

  @ApiProperty({ format: 'date-time' })
  updated_at!: string;
}
