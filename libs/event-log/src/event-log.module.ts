import { DynamicModule, FactoryProvider, Global, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { EventStore } from './event-store';
import { CROSS_PROCESS_SIGNAL, CrossProcessSignal, LogWakeUps } from './log-wake-ups';
import { SubscriptionRunner } from './subscription-runner';
import { UnitOfWork } from './unit-of-work';

/** Needs a global TypeORM `DataSource` provider and `CqrsModule.forRoot()`. */
@Global()
@Module({})
export class EventLogModule {
  /**
   * `crossProcess`: how to reach the other server processes on the same database, if there may be
   * any (see CrossProcessSignal); without it, readers hear only of this process's commits (and poll).
   */
  static forRoot(options: { crossProcess?: Omit<FactoryProvider<CrossProcessSignal | undefined>, 'provide'> }): DynamicModule {
    const signal = options.crossProcess ? [{ ...options.crossProcess, provide: CROSS_PROCESS_SIGNAL }] : [];
    return {
      module: EventLogModule,
      imports: [DiscoveryModule],
      providers: [UnitOfWork, EventStore, LogWakeUps, SubscriptionRunner, ...signal],
      exports: [UnitOfWork, EventStore, LogWakeUps, SubscriptionRunner],
    };
  }
}
