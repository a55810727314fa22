import { DynamicModule, Global, Module } from '@nestjs/common';
import { EventStore } from './event-store';
import { EVENT_METADATA, EventMetadataSource, UnitOfWork } from './unit-of-work';

/** Needs a global TypeORM `DataSource` provider and `CqrsModule.forRoot()`. */
@Global()
@Module({})
export class EventLogModule {
  static forRoot(options: { metadata: EventMetadataSource }): DynamicModule {
    return {
      module: EventLogModule,
      providers: [UnitOfWork, EventStore, { provide: EVENT_METADATA, useValue: options.metadata }],
      exports: [UnitOfWork, EventStore],
    };
  }
}
