import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { SubnetDeleted } from '../network.events';
import { findNetwork, findSubnet, type NetworkPath } from '../network.store';
import { SUBNET_STREAM, SubnetEntity } from '../subnet.entity';
import { refuseSubnetWithNics } from '../nic.store';

export class DeleteSubnetCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly path: NetworkPath,
    readonly uuid: string,
  ) {
    super();
  }
}

@CommandHandler(DeleteSubnetCommand)
export class DeleteSubnetHandler implements ICommandHandler<DeleteSubnetCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path, uuid }: DeleteSubnetCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const network = await findNetwork(tx.manager, path);
      const subnet = await findSubnet(tx.manager, network.uuid, uuid, true);
      // Under the subnet's lock no NIC is being made here; the foreign key from nics backs this up.
      await refuseSubnetWithNics(tx.manager, subnet);
      await tx.manager.delete(SubnetEntity, { uuid });
      await tx.append({ type: SUBNET_STREAM, id: uuid }, subnet.version, [
        new SubnetDeleted({ uuid, network_uuid: network.uuid }),
      ]);
    });
    return 1;
  }
}
