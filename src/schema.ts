import { CreateEventLog1764300000000, CreateEventSubscriptions1764300000500 } from '@chime/event-log';
import { CreateIdentity1764300001000 } from './modules/identity/identity.migration';
import { CreateLoginThrottle1764300001500 } from './modules/identity/login-throttle.migration';
import { TokenEntity } from './modules/identity/token.entity';
import { UserEntity } from './modules/identity/user.entity';
import { ClusterEntity } from './modules/clusters/cluster.entity';
import { CreateClusters1764300003000 } from './modules/clusters/clusters.migration';
import { OperationLogEntity } from './modules/operation-log/operation-log.entity';
import { CreateOperationLog1764300004000 } from './modules/operation-log/operation-log.migration';
import { AzEntity } from './modules/zones/az.entity';
import { CreateZones1764300002000 } from './modules/zones/zones.migration';
import type { Schema } from './platform/database/database';

/**
 * Every table the server owns: the entities TypeORM maps and the migrations that create them, in
 * order. A new module adds its entities and its migration here.
 */
export const SCHEMA: Schema = {
  entities: [UserEntity, TokenEntity, AzEntity, ClusterEntity, OperationLogEntity],
  migrations: [
    CreateEventLog1764300000000,
    CreateEventSubscriptions1764300000500,
    CreateIdentity1764300001000,
    CreateLoginThrottle1764300001500,
    CreateZones1764300002000,
    CreateClusters1764300003000,
    CreateOperationLog1764300004000,
  ],
};
