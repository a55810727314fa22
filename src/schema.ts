import { CreateEventLog1764300000000 } from '@chime/event-log';
import type { Schema } from './platform/database/database';

/**
 * Every table the server owns: the entities TypeORM maps and the migrations that create them, in
 * order. A new module adds its entities and its migration here.
 */
export const SCHEMA: Schema = {
  entities: [],
  migrations: [CreateEventLog1764300000000],
};
