import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { NETWORK_STREAM, NetworkEntity } from '../network.entity';
import { NetworkDeleted } from '../network.events';
import { lockNetwork, type NetworkPath } from '../network.store';

export class DeleteNetworkCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly path: NetworkPath,
  ) {
    super();
  }
}

/** A network that still holds subnets fails on their foreign key: 400 FAILED_PRECONDITION, race-free. */
@CommandHandler(DeleteNetworkCommand)
export class DeleteNetworkHandler implements ICommandHandler<DeleteNetworkCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path }: DeleteNetworkCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const network = await lockNetwork(tx.manager, path);
      await tx.manager.delete(NetworkEntity, { uuid: network.uuid });
      await tx.append({ type: NETWORK_STREAM, id: network.uuid }, network.version, [
        new NetworkDeleted({ uuid: network.uuid, cluster_uuid: network.clusterUuid, az_uuid: network.azUuid }),
      ]);
    });
    return 1;
  }
}
