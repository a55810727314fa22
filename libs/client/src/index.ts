export * from './az-api';
export * from './chime-client';
export * from './cluster-api';
export * from './errors';
export * from './event-api';
export * from './operation';
export * from './operation-log-api';
export * from './user-api';
