export * from './domain-event';
export * from './event-log.errors';
export * from './event-log.migration';
export * from './event-log.module';
export * from './event-store';
export * from './unit-of-work';
