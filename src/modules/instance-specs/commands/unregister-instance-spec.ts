import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { NotFoundError } from '../../../platform/errors/domain-error';
import { ClusterPort } from '../../clusters/cluster.port';
import { lockInstanceSpec } from '../instance-spec.store';
import { unregister } from '../registrations';

/** deleteClusterInstanceSpecRelation. */
export class UnregisterInstanceSpecCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly azUuid: string,
    readonly clusterUuid: string,
    readonly specUuid: string,
  ) {
    super();
  }
}

/** A disabled cluster may lose specs too; 404 when the cluster, the spec or the registration is not there. */
@CommandHandler(UnregisterInstanceSpecCommand)
export class UnregisterInstanceSpecHandler implements ICommandHandler<UnregisterInstanceSpecCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ origin, azUuid, clusterUuid, specUuid }: UnregisterInstanceSpecCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      await this.clusters.get(azUuid, clusterUuid, tx.manager);
      const spec = await lockInstanceSpec(tx.manager, specUuid);
      if (!(await unregister(tx, spec, clusterUuid))) {
        throw new NotFoundError(`instance specification ${specUuid} is not registered in cluster ${clusterUuid}`);
      }
    });
    return 1;
  }
}
