import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { AlreadyExistsError, FailedPreconditionError, LimitExceededError } from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import { STORAGE_LIMITS, type ClusterVolumeSpecRelationView } from '../storage.contract';
import { ClusterVolumeSpecEntity } from '../storage.entity';
import { register } from '../registrations';
import { findSpec, POOL_ROWS } from '../storage.store';
import { toVolumeSpecRelationView } from '../storage.view';

/** createClusterVolumeSpecRelation. */
export class RegisterVolumeSpecCommand extends Command<ClusterVolumeSpecRelationView> {
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
 * Registers a spec in an enabled cluster that holds its pool (a spec puts volumes in its pool, and a
 * pool serves one cluster). Locks: the cluster (additions take turns: the limit of 32 holds), then the spec.
 */
@CommandHandler(RegisterVolumeSpecCommand)
export class RegisterVolumeSpecHandler implements ICommandHandler<RegisterVolumeSpecCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
  ) {}

  execute({ origin, azUuid, clusterUuid, specUuid }: RegisterVolumeSpecCommand): Promise<ClusterVolumeSpecRelationView> {
    return this.uow.run(origin, async (tx) => {
      await this.clusters.lockForAddition(tx.manager, azUuid, clusterUuid);
      const spec = await findSpec(tx.manager, specUuid, true);
      if (await tx.manager.exists(ClusterVolumeSpecEntity, { where: { clusterUuid, volumeSpecUuid: specUuid } })) {
        throw new AlreadyExistsError(`volume specification ${specUuid} is already registered in cluster ${clusterUuid}`);
      }
      const pool = await POOL_ROWS.findOne(tx.manager, { uuid: spec.storagePoolUuid });
      if (pool?.clusterUuid !== clusterUuid) {
        throw new FailedPreconditionError(
          `volume specification ${specUuid} puts volumes in storage pool ${spec.storagePoolUuid}, which is not in cluster ${clusterUuid}`,
        );
      }
      if ((await tx.manager.count(ClusterVolumeSpecEntity, { where: { clusterUuid } })) >= STORAGE_LIMITS.volumeSpecsPerCluster) {
        throw new LimitExceededError(`at most ${STORAGE_LIMITS.volumeSpecsPerCluster} volume specifications in one cluster`);
      }
      return toVolumeSpecRelationView(await register(tx, spec, clusterUuid));
    });
  }
}
