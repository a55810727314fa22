import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { CLUSTER_STREAM } from '../cluster.entity';
import { ClusterDeleted } from '../cluster.events';
import { CLUSTER_ROWS, lockCluster } from '../cluster.store';

export class DeleteClusterCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly uuid: string,
  ) {
    super();
  }
}

@CommandHandler(DeleteClusterCommand)
export class DeleteClusterHandler implements ICommandHandler<DeleteClusterCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, azUuid, uuid }: DeleteClusterCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const cluster = await lockCluster(tx.manager, azUuid, uuid);
      await CLUSTER_ROWS.delete(tx.manager, { uuid });
      await tx.append({ type: CLUSTER_STREAM, id: uuid }, cluster.version, [new ClusterDeleted({ uuid, az_uuid: azUuid })]);
    });
    return 1;
  }
}
