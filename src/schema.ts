import { CreateEventLog1764300000000, CreateEventSubscriptions1764300000500 } from '@chime/event-log';
import { MODULES } from './modules';
import type { Schema } from './platform/database/database';
import { schemaOf, type ModuleImport } from './platform/feature-module';

/** The platform's own tables: the event log and its consumers' checkpoints. */
const PLATFORM_SCHEMA: Schema = {
  entities: [],
  migrations: [CreateEventLog1764300000000, CreateEventSubscriptions1764300000500],
};

/** Every table of the server (and of `extensions`, e.g. test modules): entities and migrations. */
export function serverSchema(extensions: readonly ModuleImport[] = []): Schema {
  return schemaOf([...MODULES, ...extensions], PLATFORM_SCHEMA);
}

export const SCHEMA = serverSchema();
