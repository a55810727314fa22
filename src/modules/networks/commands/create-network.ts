import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { State } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { InvalidArgumentError, LimitExceededError } from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import {
  MAX_VLAN_ID,
  MAX_VNI,
  NETWORK_LIMITS,
  NetworkType,
  type CreateNetworkRequest,
  type NetworkView,
} from '../network.contract';
import { NETWORK_STREAM, NetworkEntity } from '../network.entity';
import { NetworkCreated } from '../network.events';
import { toNetworkState, toNetworkView } from '../network.view';

export class CreateNetworkCommand extends Command<NetworkView> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly request: CreateNetworkRequest,
  ) {
    super();
  }
}

/** The VLAN id a network of this type takes: none for classical, 1–4094 for vlan, a VNI for vxlan. */
export function segmentOf(type: NetworkType, vlanId: number | undefined): number | null {
  if (type === NetworkType.Classical) {
    if (vlanId !== undefined) throw new InvalidArgumentError('vlan_id must be left out for a classical network (type 0)');
    return null;
  }
  const [kind, max] = type === NetworkType.Vlan ? ['vlan', MAX_VLAN_ID] : ['vxlan', MAX_VNI];
  if (vlanId === undefined) throw new InvalidArgumentError(`vlan_id is required for a ${kind} network (1 to ${max})`);
  if (vlanId > max) throw new InvalidArgumentError(`vlan_id of a ${kind} network must be 1 to ${max}`);
  return vlanId;
}

/**
 * Creates a network in an enabled cluster. The cluster stays locked until the commit
 * (ClusterPort.lockForAddition), so creations in one cluster take turns (the count is exact, the
 * limit holds) and a concurrent deleteCluster either waits and then fails on the networks'
 * foreign key, or wins and this finds no cluster (404): no network outlives its cluster.
 */
@CommandHandler(CreateNetworkCommand)
export class CreateNetworkHandler implements ICommandHandler<CreateNetworkCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
  ) {}

  execute({ origin, azUuid, clusterUuid, request }: CreateNetworkCommand): Promise<NetworkView> {
    const type = request.type ?? NetworkType.Classical;
    const vlanId = segmentOf(type, request.vlan_id);
    return this.uow.run(origin, async (tx) => {
      const cluster = await this.clusters.lockForAddition(tx.manager, azUuid, clusterUuid);
      if ((await tx.manager.count(NetworkEntity, { where: { clusterUuid } })) >= NETWORK_LIMITS.networksPerCluster) {
        throw new LimitExceededError(`at most ${NETWORK_LIMITS.networksPerCluster} networks in one cluster`);
      }
      const network: NetworkEntity = {
        uuid: randomUUID(),
        azUuid,
        clusterUuid,
        name: request.name,
        description: request.description ?? '',
        bridgeName: request.bridge_name,
        interfaceName: request.interface_name,
        type,
        vlanId,
        state: State.Enabled,
        version: 1,
        createdAt: new Date(),
      };
      // A taken name, bridge or segment fails on a unique index and leaves as ALREADY_EXISTS.
      await tx.manager.insert(NetworkEntity, network);
      await tx.append({ type: NETWORK_STREAM, id: network.uuid }, 0, [new NetworkCreated(toNetworkState(network))]);
      return toNetworkView(network, cluster.name);
    });
  }
}
