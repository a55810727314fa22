export * from './envelope';
export * from './list';
