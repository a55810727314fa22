import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { LIMITS, State, type ClusterView, type CreateClusterRequest } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { LimitExceededError } from '../../../platform/errors/domain-error';
import { AzPort } from '../../zones/az.port';
import { CLUSTER_DEFAULTS } from '../cluster.dto';
import { CLUSTER_STREAM, ClusterEntity } from '../cluster.entity';
import { CLUSTER_ROWS } from '../cluster.store';
import { ClusterCreated } from '../cluster.events';
import { toClusterState, toClusterView } from '../cluster.view';

export class CreateClusterCommand extends Command<ClusterView> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly request: CreateClusterRequest,
  ) {
    super();
  }
}

/**
 * Creates a cluster in an enabled AZ. The AZ stays locked until the commit, so creations in one
 * AZ take turns: the insert's count is exact and the limit holds, and the AZ cannot vanish meanwhile.
 */
@CommandHandler(CreateClusterCommand)
export class CreateClusterHandler implements ICommandHandler<CreateClusterCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly zones: AzPort,
  ) {}

  execute({ origin, azUuid, request }: CreateClusterCommand): Promise<ClusterView> {
    return this.uow.run(origin, async (tx) => {
      const az = await this.zones.lockForAddition(tx.manager, azUuid);
      const cluster: ClusterEntity = {
        uuid: randomUUID(),
        azUuid,
        name: request.name,
        description: request.description ?? '',
        arch: request.arch ?? CLUSTER_DEFAULTS.arch,
        hypervisorType: request.hypervisor_type ?? CLUSTER_DEFAULTS.hypervisor_type,
        type: request.type ?? CLUSTER_DEFAULTS.type,
        state: State.Enabled,
        version: 1,
        createdAt: new Date(),
      };
      // A name taken in this AZ fails on the unique index and leaves as ALREADY_EXISTS.
      if (!(await CLUSTER_ROWS.insertWithin(tx.manager, cluster, { azUuid }, LIMITS.clustersPerAz))) {
        throw new LimitExceededError(`at most ${LIMITS.clustersPerAz} clusters in one availability zone`);
      }
      await tx.append({ type: CLUSTER_STREAM, id: cluster.uuid }, 0, [new ClusterCreated(toClusterState(cluster))]);
      return toClusterView(cluster, az.name);
    });
  }
}
