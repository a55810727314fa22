import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { State } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { CLUSTER_STREAM, ClusterEntity } from '../cluster.entity';
import { ClusterDisabled, ClusterEnabled } from '../cluster.events';
import { lockCluster } from '../cluster.store';

/** enableCluster / disableCluster. Repeating one is harmless: the state stays, and the request is still recorded. */
export class SetClusterStateCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly uuid: string,
    readonly state: State,
  ) {
    super();
  }
}

@CommandHandler(SetClusterStateCommand)
export class SetClusterStateHandler implements ICommandHandler<SetClusterStateCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, azUuid, uuid, state }: SetClusterStateCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const cluster = await lockCluster(tx.manager, azUuid, uuid);
      await tx.manager.update(ClusterEntity, { uuid }, { state, version: cluster.version + 1 });
      const event = state === State.Enabled ? new ClusterEnabled({ uuid }) : new ClusterDisabled({ uuid });
      await tx.append({ type: CLUSTER_STREAM, id: uuid }, cluster.version, [event]);
    });
    return 'ok';
  }
}
