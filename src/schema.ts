import { CreateEventLog1764300000000 } from '@chime/event-log';
import { CreateIdentity1764300001000 } from './modules/identity/identity.migration';
import { TokenEntity } from './modules/identity/token.entity';
import { UserEntity } from './modules/identity/user.entity';
import type { Schema } from './platform/database/database';

/**
 * Every table the server owns: the entities TypeORM maps and the migrations that create them, in
 * order. A new module adds its entities and its migration here.
 */
export const SCHEMA: Schema = {
  entities: [UserEntity, TokenEntity],
  migrations: [CreateEventLog1764300000000, CreateIdentity1764300001000],
};
