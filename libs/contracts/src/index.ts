export * from './envelope';
export * from './identity';
export * from './list';
export * from './zones';
