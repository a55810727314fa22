import { DynamicModule, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventStore } from './event-store';
import { SubscriptionRunner } from './subscription-runner';
import { EVENT_METADATA, EventMetadataSource, UnitOfWork } from './unit-of-work';

/** Needs a global TypeORM `DataSource` provider and `CqrsModule.forRoot()`. */
@Global()
@Module({})
export class EventLogModule {
  static forRoot(options: { metadata: EventMetadataSource }): DynamicModule {
    return {
      module: EventLogModule,
      imports: [DiscoveryModule],
      providers: [UnitOfWork, EventStore, SubscriptionRunner, { provide: EVENT_METADATA, useValue: options.metadata }],
      exports: [UnitOfWork, EventStore, SubscriptionRunner],
    };
  }
}
