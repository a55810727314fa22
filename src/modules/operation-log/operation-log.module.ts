import { FeatureModule } from '../../platform/feature-module';
import { OperationLogEntity } from './operation-log.entity';
import { IndexOperationLog1764300004100 } from './operation-log-indexes.migration';
import { CreateOperationLog1764300004000 } from './operation-log.migration';
import { OperationLogErrors1764300014100 } from './operation-log-errors.migration';
import { OPERATION_LOG_REPLAY } from './operation-log.replay';
import { OperationLogController } from './operation-log.controller';
import { OperationLogProjection } from './operation-log.projection';
import { GetOperationLogHandler } from './queries/get-operation-log';
import { ListOperationLogHandler } from './queries/list-operation-log';
import { SecurityAudit } from './security-audit';

/** The operation log: a projection of the event log, security events included. */
@FeatureModule({
  entities: [OperationLogEntity],
  migrations: [CreateOperationLog1764300004000, IndexOperationLog1764300004100, OperationLogErrors1764300014100],
  replay: [OPERATION_LOG_REPLAY],
  controllers: [OperationLogController],
  providers: [OperationLogProjection, SecurityAudit, ListOperationLogHandler, GetOperationLogHandler],
})
export class OperationLogModule {}
