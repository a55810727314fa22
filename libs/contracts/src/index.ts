export * from './envelope';
export * from './events';
export * from './identity';
export * from './list';
export * from './operation-log';
export * from './zones';
