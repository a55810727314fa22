export * from './chime-client';
export * from './errors';
export * from './operation';
export * from './user-api';
