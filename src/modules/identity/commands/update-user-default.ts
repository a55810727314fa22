import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { UpdateUserDefaultRequest } from '@chime/contracts';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { ClusterPort } from '../../clusters/cluster.port';
import { AzPort } from '../../zones/az.port';
import { UserDefaultChanged } from '../identity.events';
import { USER_STREAM, UserEntity } from '../user.entity';
import { UserPolicy } from '../user.policy';
import { lockUser } from '../user.store';

export class UpdateUserDefaultCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
    readonly request: UpdateUserDefaultRequest,
  ) {
    super();
  }
}

/** Sets the AZ and cluster a user works in by default; the cluster must belong to that AZ. */
@CommandHandler(UpdateUserDefaultCommand)
export class UpdateUserDefaultHandler implements ICommandHandler<UpdateUserDefaultCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly zones: AzPort,
    private readonly clusters: ClusterPort,
  ) {}

  async execute({ origin, actor, uuid, request }: UpdateUserDefaultCommand): Promise<'ok'> {
    UserPolicy.assertMayUseDefaults(actor, uuid);
    const { az_uuid, clusters_uuid } = request;
    if (clusters_uuid !== null && az_uuid === null) {
      throw new InvalidArgumentError('clusters_uuid needs az_uuid: a default cluster belongs to a default AZ');
    }
    await this.uow.run(origin, async (tx) => {
      const user = await lockUser(tx.manager, uuid);
      if (az_uuid !== null) {
        await this.zones.get(az_uuid, tx.manager).catch((error: unknown) => {
          throw error instanceof NotFoundError
            ? new FailedPreconditionError(`availability zone ${az_uuid} does not exist`)
            : error;
        });
      }
      if (clusters_uuid !== null && !(await this.clusters.isIn(az_uuid as string, clusters_uuid, tx.manager))) {
        throw new FailedPreconditionError(`cluster ${clusters_uuid} is not in availability zone ${az_uuid}`);
      }
      await tx.manager.update(
        UserEntity,
        { uuid },
        { defaultAzUuid: az_uuid, defaultClustersUuid: clusters_uuid, version: user.version + 1 },
      );
      await tx.append({ type: USER_STREAM, id: uuid }, user.version, [new UserDefaultChanged({ uuid, az_uuid, clusters_uuid })]);
    });
    return 'ok';
  }
}
