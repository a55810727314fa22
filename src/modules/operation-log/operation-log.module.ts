import { Module } from '@nestjs/common';
import { OperationLogController } from './operation-log.controller';
import { OperationLogProjection } from './operation-log.projection';
import { GetOperationLogHandler } from './queries/get-operation-log';
import { ListOperationLogHandler } from './queries/list-operation-log';
import { SecurityAudit } from './security-audit';

/** The operation log: a projection of the event log, security events included. */
@Module({
  controllers: [OperationLogController],
  providers: [OperationLogProjection, SecurityAudit, ListOperationLogHandler, GetOperationLogHandler],
})
export class OperationLogModule {}
