import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { CLUSTER_STREAM } from '../cluster.entity';
import { ClusterDeleted } from '../cluster.events';
import { CLUSTER_ROWS, clusterNotFound } from '../cluster.store';

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
      // The delete locks the row (a request changing the cluster meanwhile is waited for) and gives its version.
      const cluster = await CLUSTER_ROWS.deleteOne(tx.manager, { uuid, azUuid });
      if (!cluster) throw clusterNotFound(azUuid, uuid);
      await tx.append({ type: CLUSTER_STREAM, id: uuid }, cluster.version, [new ClusterDeleted({ uuid, az_uuid: azUuid })]);
    });
    return 1;
  }
}
