import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import type { UpdateNetworkRequest } from '../network.contract';
import { NETWORK_STREAM, NetworkEntity } from '../network.entity';
import { NetworkUpdated } from '../network.events';
import { lockNetwork, type NetworkPath } from '../network.store';

export class UpdateNetworkCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly path: NetworkPath,
    readonly request: UpdateNetworkRequest,
  ) {
    super();
  }
}

@CommandHandler(UpdateNetworkCommand)
export class UpdateNetworkHandler implements ICommandHandler<UpdateNetworkCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path, request }: UpdateNetworkCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const network = await lockNetwork(tx.manager, path);
      const changes = changedFields({ name: network.name, description: network.description }, request);
      await tx.manager.update(
        NetworkEntity,
        { uuid: network.uuid },
        { name: changes.name, description: changes.description, version: network.version + 1 },
      );
      await tx.append({ type: NETWORK_STREAM, id: network.uuid }, network.version, [
        new NetworkUpdated({ uuid: network.uuid, changes }),
      ]);
    });
    return 'ok';
  }
}
