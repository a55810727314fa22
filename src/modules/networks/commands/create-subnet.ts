import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { State } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { LimitExceededError } from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import { NETWORK_LIMITS, type CreateSubnetRequest, type SubnetView } from '../network.contract';
import { SubnetCreated } from '../network.events';
import { lockNetwork, type NetworkPath } from '../network.store';
import { checkSubnetAddressing, refuseOverlap } from '../subnet-addresses';
import { SUBNET_STREAM, SubnetEntity } from '../subnet.entity';
import { toSubnetState, toSubnetView } from '../subnet.view';

export class CreateSubnetCommand extends Command<SubnetView> {
  constructor(
    readonly origin: Origin,
    readonly path: NetworkPath,
    readonly request: CreateSubnetRequest,
  ) {
    super();
  }
}

/**
 * Creates a subnet in a network of an enabled cluster. The network's row stays locked until the
 * commit, so creations in one network take turns: the overlap check sees every subnet, the count
 * is exact, and the network cannot be deleted meanwhile.
 */
@CommandHandler(CreateSubnetCommand)
export class CreateSubnetHandler implements ICommandHandler<CreateSubnetCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
  ) {}

  execute({ origin, path, request }: CreateSubnetCommand): Promise<SubnetView> {
    const addressing = checkSubnetAddressing({
      cidr: request.cidr,
      gateway: request.gateway ?? '',
      reserved_ips: request.reserved_ips ?? '',
    });
    return this.uow.run(origin, async (tx) => {
      // A disabled cluster takes nothing new, subnets included. Locks: cluster, then network (as everywhere).
      await this.clusters.lockForAddition(tx.manager, path.azUuid, path.clusterUuid);
      const network = await lockNetwork(tx.manager, path);
      const siblings = await tx.manager.find(SubnetEntity, { where: { networkUuid: network.uuid } });
      if (siblings.length >= NETWORK_LIMITS.subnetsPerNetwork) {
        throw new LimitExceededError(`at most ${NETWORK_LIMITS.subnetsPerNetwork} subnets in one network`);
      }
      refuseOverlap(addressing.cidr, siblings);
      const subnet: SubnetEntity = {
        uuid: randomUUID(),
        networkUuid: network.uuid,
        name: request.name,
        description: request.description ?? '',
        cidr: addressing.cidr,
        gateway: addressing.gateway,
        reservedIps: addressing.reserved_ips,
        type: addressing.type,
        state: State.Enabled,
        version: 1,
        createdAt: new Date(),
      };
      // A name taken in this network fails on the unique index and leaves as ALREADY_EXISTS.
      await tx.manager.insert(SubnetEntity, subnet);
      await tx.append({ type: SUBNET_STREAM, id: subnet.uuid }, 0, [new SubnetCreated(toSubnetState(subnet))]);
      return toSubnetView(subnet, network.name);
    });
  }
}
