export * from './api-types';
export * from './chime-client';
export * from './errors';
export type { components, operations, paths } from './generated/openapi';
export { OPERATIONS } from './generated/operations';
