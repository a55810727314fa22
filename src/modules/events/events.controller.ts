import { Controller, Get, Headers, MessageEvent, Query, Sse } from '@nestjs/common';
import { ApiProduces, ApiTags } from '@nestjs/swagger';
import { Role, type EventPage } from '@chime/contracts';
import { SubscriptionRunner, SubscriptionStatus } from '@chime/event-log';
import { Observable } from 'rxjs';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { RawResponse } from '../../platform/http/raw-response.decorator';
import { MinRole } from '../identity/roles';
import { EventListParams, EventStreamParams } from './event.dto';
import { EventFeed } from './event-feed';

/** The event log for readers outside the server (API.md §6.1); administrators of any kind only. */
@ApiTags('event')
@MinRole(Role.ReadOnlyAdmin)
@Controller('v1/event')
export class EventsController {
  constructor(
    private readonly feed: EventFeed,
    private readonly subscriptions: SubscriptionRunner,
  ) {}

  @Get()
  listEvent(@Query() query: EventListParams): Promise<EventPage> {
    return this.feed.page(query.after ?? 0, query.limit ?? 100, {
      streamType: query.stream_type,
      streamId: query.stream_id,
      type: query.type,
    });
  }

  /** Server-Sent Events: one event per message, `id` = position; resume with `after` or `Last-Event-ID`. */
  @Sse('stream')
  @RawResponse()
  @ApiProduces('text/event-stream')
  async streamEvent(
    @Query() query: EventStreamParams,
    @Headers('last-event-id') lastEventId?: string,
  ): Promise<Observable<MessageEvent>> {
    let after = query.after ?? 0;
    if (lastEventId !== undefined && query.after === undefined) {
      if (!/^\d{1,15}$/.test(lastEventId)) throw new InvalidArgumentError('Last-Event-ID must be an event position');
      after = Number(lastEventId);
    }
    return this.feed.live(await this.feed.cursorAfter(after));
  }

  /** The durable consumers: checkpoint, events handled, and failures (a stalled one is stuck on a poison event). */
  @Get('subscription')
  async listEventSubscription(): Promise<{ elements: SubscriptionStatus[]; size: number; total: number }> {
    const elements = await this.subscriptions.status();
    return { elements, size: elements.length, total: elements.length };
  }
}
