import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { NotFoundError } from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import { unregister } from '../registrations';
import { findSpec } from '../storage.store';

/** deleteClusterVolumeSpecRelation. */
export class UnregisterVolumeSpecCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly specUuid: string,
  ) {
    super();
  }
}

/** Volumes made with the spec stay; new ones in this cluster can no longer use it. 404 when not registered there. */
@CommandHandler(UnregisterVolumeSpecCommand)
export class UnregisterVolumeSpecHandler implements ICommandHandler<UnregisterVolumeSpecCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ origin, azUuid, clusterUuid, specUuid }: UnregisterVolumeSpecCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      await this.clusters.get(azUuid, clusterUuid, tx.manager);
      const spec = await findSpec(tx.manager, specUuid, true);
      if (!(await unregister(tx, spec, clusterUuid))) {
        throw new NotFoundError(`volume specification ${specUuid} is not registered in cluster ${clusterUuid}`);
      }
    });
    return 1;
  }
}
