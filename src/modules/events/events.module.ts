import { FeatureModule } from '../../platform/feature-module';
import { EventFeed } from './event-feed';
import { EventStreams } from './event-streams';
import { EventsController } from './events.controller';

/** Read access to the event log over HTTP. */
@FeatureModule({
  controllers: [EventsController],
  providers: [EventFeed, EventStreams],
})
export class EventsModule {}
