import { Module } from '@nestjs/common';
import { IdentityModule } from '../identity/identity.module';
import { EventFeed } from './event-feed';
import { EventStreams } from './event-streams';
import { EventsController } from './events.controller';

/** Read access to the event log over HTTP. */
@Module({
  imports: [IdentityModule],
  controllers: [EventsController],
  providers: [EventFeed, EventStreams],
})
export class EventsModule {}
