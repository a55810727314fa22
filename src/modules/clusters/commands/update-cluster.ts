import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { UpdateClusterRequest } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import { CLUSTER_STREAM, ClusterEntity } from '../cluster.entity';
import { ClusterUpdated } from '../cluster.events';
import { lockCluster } from '../cluster.store';
import { toClusterState } from '../cluster.view';

export class UpdateClusterCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly uuid: string,
    readonly request: UpdateClusterRequest,
  ) {
    super();
  }
}

@CommandHandler(UpdateClusterCommand)
export class UpdateClusterHandler implements ICommandHandler<UpdateClusterCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, azUuid, uuid, request }: UpdateClusterCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const cluster = await lockCluster(tx.manager, azUuid, uuid);
      const changes = changedFields(toClusterState(cluster), request);
      await tx.manager.update(
        ClusterEntity,
        { uuid },
        {
          name: changes.name,
          description: changes.description,
          arch: changes.arch,
          hypervisorType: changes.hypervisor_type,
          type: changes.type,
          version: cluster.version + 1,
        },
      );
      await tx.append({ type: CLUSTER_STREAM, id: uuid }, cluster.version, [new ClusterUpdated({ uuid, changes })]);
    });
    return 'ok';
  }
}
