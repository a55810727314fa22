import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { Role } from '@chime/contracts';
import { DataSource } from 'typeorm';
import { NotFoundError, PermissionDeniedError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { OperationLogEntity } from '../operation-log.entity';
import { OperationLogView, toOperationLogView } from '../operation-log.view';

export class GetOperationLogQuery extends Query<OperationLogView> {
  constructor(
    readonly actor: Actor,
    readonly id: string,
  ) {
    super();
  }
}

@QueryHandler(GetOperationLogQuery)
export class GetOperationLogHandler implements IQueryHandler<GetOperationLogQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, id }: GetOperationLogQuery): Promise<OperationLogView> {
    const entry = await this.dataSource.getRepository(OperationLogEntity).findOne({ where: { id } });
    if (!entry) throw NotFoundError.of('operation log entry', id);
    if (actor.role < Role.ReadOnlyAdmin && entry.userUuid !== actor.uuid) {
      throw new PermissionDeniedError('a user may only read its own operation log entries');
    }
    return toOperationLogView(entry);
  }
}
