import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import { INSTANCE_SPEC_STREAM, InstanceSpecEntity } from '../instance-spec.entity';
import { InstanceSpecDeleted } from '../instance-spec.events';
import { lockInstanceSpec } from '../instance-spec.store';

export class DeleteInstanceSpecCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly uuid: string,
  ) {
    super();
  }
}

/**
 * Deletes a spec that no cluster uses. A spec still registered in clusters is refused with 400
 * FAILED_PRECONDITION naming how many: unregister it first (deleting a cluster unregisters its
 * specs). Registrations lock the spec's row too, so the count read under the lock is exact; the
 * foreign key from cluster_instance_specs to instance_specs backs this up in the database.
 */
@CommandHandler(DeleteInstanceSpecCommand)
export class DeleteInstanceSpecHandler implements ICommandHandler<DeleteInstanceSpecCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, uuid }: DeleteInstanceSpecCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const spec = await lockInstanceSpec(tx.manager, uuid);
      if (spec.clusterCount > 0) {
        const clusters = spec.clusterCount === 1 ? '1 cluster' : `${spec.clusterCount} clusters`;
        throw new FailedPreconditionError(
          `instance specification ${uuid} is still registered in ${clusters}; unregister it from them first`,
        );
      }
      await tx.manager.delete(InstanceSpecEntity, { uuid });
      await tx.append({ type: INSTANCE_SPEC_STREAM, id: uuid }, spec.version, [new InstanceSpecDeleted({ uuid })]);
    });
    return 1;
  }
}
