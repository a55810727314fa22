import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import type { UpdateSubnetRequest } from '../network.contract';
import { SubnetUpdated } from '../network.events';
import { findSubnet, lockNetwork, type NetworkPath } from '../network.store';
import { checkSubnetAddressing, refuseOverlap } from '../subnet-addresses';
import { SUBNET_STREAM, SubnetEntity } from '../subnet.entity';
import { toSubnetState } from '../subnet.view';
import { refuseStrandedNics } from '../nic.store';

export class UpdateSubnetCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly path: NetworkPath,
    readonly uuid: string,
    readonly request: UpdateSubnetRequest,
  ) {
    super();
  }
}

/**
 * Updates a subnet; the addresses it ends up with are checked together, as on create (a new cidr
 * must still hold the gateway and the reserved addresses). The network is locked first, as by
 * createSubnet, so a changed cidr is checked for overlap against every sibling. The subnet's own
 * lock keeps NICs from being made meanwhile: new addresses must still hold every NIC's address.
 */
@CommandHandler(UpdateSubnetCommand)
export class UpdateSubnetHandler implements ICommandHandler<UpdateSubnetCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, path, uuid, request }: UpdateSubnetCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const network = await lockNetwork(tx.manager, path);
      const subnet = await findSubnet(tx.manager, network.uuid, uuid, true);
      const current = toSubnetState(subnet);
      const addressing = checkSubnetAddressing({
        cidr: request.cidr ?? current.cidr,
        gateway: request.gateway ?? current.gateway,
        reserved_ips: request.reserved_ips ?? current.reserved_ips,
      });
      const changes = changedFields(current, { name: request.name, description: request.description, ...addressing });
      if (changes.cidr !== undefined || changes.gateway !== undefined || changes.reserved_ips !== undefined) {
        await refuseStrandedNics(tx.manager, subnet, addressing);
      }
      if (changes.cidr !== undefined) {
        const siblings = await tx.manager.find(SubnetEntity, { where: { networkUuid: network.uuid } });
        refuseOverlap(
          changes.cidr,
          siblings.filter((sibling) => sibling.uuid !== uuid),
        );
      }
      await tx.manager.update(
        SubnetEntity,
        { uuid },
        {
          name: changes.name,
          description: changes.description,
          cidr: changes.cidr,
          gateway: changes.gateway,
          reservedIps: changes.reserved_ips,
          type: changes.type,
          version: subnet.version + 1,
        },
      );
      await tx.append({ type: SUBNET_STREAM, id: uuid }, subnet.version, [new SubnetUpdated({ uuid, changes })]);
    });
    return 'ok';
  }
}
