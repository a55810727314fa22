import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { AlreadyExistsError, LimitExceededError } from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import { INSTANCE_SPEC_LIMITS, type ClusterInstanceSpecRelationView } from '../instance-spec.contract';
import { ClusterInstanceSpecEntity } from '../instance-spec.entity';
import { lockInstanceSpec } from '../instance-spec.store';
import { register } from '../registrations';
import { toRelationView } from '../instance-spec.view';

/** createClusterInstanceSpecRelation. */
export class RegisterInstanceSpecCommand extends Command<ClusterInstanceSpecRelationView> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly specUuid: string,
  ) {
    super();
  }
}

/**
 * Registers a spec in an enabled cluster of that AZ. The cluster stays locked until the commit, so
 * registrations in one cluster take turns: the count is exact and the limit holds, and the cluster
 * cannot be deleted meanwhile (a cluster deleted first is 404 here). Locks: the cluster, then the spec.
 */
@CommandHandler(RegisterInstanceSpecCommand)
export class RegisterInstanceSpecHandler implements ICommandHandler<RegisterInstanceSpecCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
  ) {}

  execute({ origin, azUuid, clusterUuid, specUuid }: RegisterInstanceSpecCommand): Promise<ClusterInstanceSpecRelationView> {
    return this.uow.run(origin, async (tx) => {
      await this.clusters.lockForAddition(tx.manager, azUuid, clusterUuid);
      const spec = await lockInstanceSpec(tx.manager, specUuid);
      if (await tx.manager.exists(ClusterInstanceSpecEntity, { where: { clusterUuid, instanceSpecUuid: specUuid } })) {
        throw new AlreadyExistsError(`instance specification ${specUuid} is already registered in cluster ${clusterUuid}`);
      }
      if (
        (await tx.manager.count(ClusterInstanceSpecEntity, { where: { clusterUuid } })) >= INSTANCE_SPEC_LIMITS.specsPerCluster
      ) {
        throw new LimitExceededError(`at most ${INSTANCE_SPEC_LIMITS.specsPerCluster} instance specifications in one cluster`);
      }
      return toRelationView(await register(tx, spec, clusterUuid));
    });
  }
}
