import { Module } from '@nestjs/common';
import { EventFeed } from './event-feed';
import { EventsController } from './events.controller';

/** Read access to the event log over HTTP. */
@Module({
  controllers: [EventsController],
  providers: [EventFeed],
})
export class EventsModule {}
