import { Controller, Get, MessageEvent, Query, Sse, SseSignal, UseGuards } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role, type EventPage } from '@chime/contracts';
import { SubscriptionRunner, SubscriptionStatus } from '@chime/event-log';
import { Observable } from 'rxjs';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { ApiDoc, ApiThrottled, listOf } from '../../platform/http/api-docs';
import { describeApiTag } from '../../platform/http/openapi';
import { RawResponse } from '../../platform/http/raw-response.decorator';
import { MinRole } from '../../platform/http/roles';
import type { Session } from '../identity/session.port';
import { CurrentSession } from '../identity/session.port';
import { EventListParams, EventStreamParams } from './event.dto';
import { EventPageSchema, SubscriptionStatusSchema } from './event.view';
import { EventFeed, StreamStart } from './event-feed';
import { EventStreams } from './event-streams';
import { CurrentStreamStart, StreamStartGuard } from './stream-start.guard';

describeApiTag('event', 'The event log (administrators of any kind): pages, a live stream, and the health of its consumers.');

/** Who may read the event log; an open stream ends when its user falls below it. */
const READERS = Role.ReadOnlyAdmin;

/** The event log for readers outside the server (API.md §6.1); administrators of any kind only. */
@ApiTags('event')
@MinRole(READERS)
@Controller('v1/event')
export class EventsController {
  constructor(
    private readonly feed: EventFeed,
    private readonly streams: EventStreams,
    private readonly subscriptions: SubscriptionRunner,
  ) {}

  @Get()
  @ApiDoc({
    summary: 'list events',
    description: 'Events after the position `after`, in the order readers see them; pass `next` as `after` to continue.',
    result: EventPageSchema,
  })
  listEvent(@Query() query: EventListParams): Promise<EventPage> {
    return this.feed.page(query.after ?? 0, query.limit ?? 100, {
      streamType: query.stream_type,
      requestId: query.request_id,
      streamId: query.stream_id,
      type: query.type,
    });
  }

  /**
   * Server-Sent Events: one event per message, `id` = position; a `: heartbeat` comment when idle;
   * a last message `event: end` when the token stops working or the server stops (see
   * StreamEndReason). Resume with `after` or `Last-Event-ID` (which wins: EventSource sends it on
   * reconnect); `after=now` starts with the events committed from now on. The start is found by
   * StreamStartGuard, and the stream's slot taken here before anything is awaited, so that a
   * refusal is still an error response (see StreamStartGuard).
   */
  @Sse('stream')
  @RawResponse()
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'the event log, live, as Server-Sent Events',
    description:
      'One message per event (`id` = position, `data` = the event). A `: heartbeat` comment every ' +
      'CHIME_STREAM_HEARTBEAT seconds. The last message is `event: end` with `data` ' +
      '`{"reason": "token_revoked" | "token_expired" | "password_changed" | "user_deleted" | ' +
      '"permission_revoked" | "shutdown"}`, sent within a second of the token ceasing to work (or at ' +
      'server shutdown), after which the response closes. Resume with `Last-Event-ID` or `after`. ' +
      '429 RESOURCE_EXHAUSTED beyond CHIME_MAX_STREAMS_PER_USER streams of one user or ' +
      'CHIME_MAX_STREAMS on the server.',
  })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'resume after this position (wins over `after`)' })
  @ApiOkResponse({
    description: 'a stream of Server-Sent Events',
    content: { 'text/event-stream': { schema: { type: 'string', example: 'id: 42\ndata: {"position":42,…}\n\n' } } },
  })
  @ApiThrottled('too many event streams open for this user, or on this server')
  @UseGuards(StreamStartGuard)
  streamEvent(
    @Query() _query: EventStreamParams,
    @CurrentSession() session: Session,
    @CurrentStreamStart() start: StreamStart | undefined,
    @SseSignal() closed: AbortSignal,
  ): Observable<MessageEvent> {
    if (!start) throw new InvalidArgumentError('after must be an event position or "now"');
    return this.streams.stream(session, READERS, start, closed);
  }

  /** The durable consumers: checkpoint, events handled, and failures (a stalled one is stuck on a poison event). */
  @Get('subscription')
  @ApiDoc({
    summary: 'list the durable consumers of the event log',
    description: 'Checkpoint, events handled, and failures; a stalled consumer is stuck on a poison event.',
    result: listOf(SubscriptionStatusSchema),
  })
  async listEventSubscription(): Promise<{ elements: SubscriptionStatus[]; size: number; total: number }> {
    const elements = await this.subscriptions.status();
    return { elements, size: elements.length, total: elements.length };
  }
}
