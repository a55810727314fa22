import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import { VOLUME_SPEC_STREAM } from '../storage.entity';
import { VolumeSpecDeleted } from '../storage.events';
import { findSpec, SPEC_ROWS, VOLUME_TABLE_ROWS } from '../storage.store';

export class DeleteVolumeSpecCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly uuid: string,
  ) {
    super();
  }
}

/** Deletes a spec no cluster has registered and no volume was made with (400 FAILED_PRECONDITION naming which). */
@CommandHandler(DeleteVolumeSpecCommand)
export class DeleteVolumeSpecHandler implements ICommandHandler<DeleteVolumeSpecCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, uuid }: DeleteVolumeSpecCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const spec = await findSpec(tx.manager, uuid, true);
      if (spec.clusterCount > 0) {
        const clusters = spec.clusterCount === 1 ? '1 cluster' : `${spec.clusterCount} clusters`;
        throw new FailedPreconditionError(`volume specification ${uuid} is still registered in ${clusters}; unregister it first`);
      }
      const volumes = await VOLUME_TABLE_ROWS.count(tx.manager, { volumeSpecUuid: uuid });
      if (volumes > 0) {
        throw new FailedPreconditionError(
          `volume specification ${uuid} was used for ${volumes} volume${volumes === 1 ? '' : 's'}; delete them first`,
        );
      }
      await SPEC_ROWS.delete(tx.manager, { uuid });
      await tx.append({ type: VOLUME_SPEC_STREAM, id: uuid }, spec.version, [new VolumeSpecDeleted({ uuid })]);
    });
    return 1;
  }
}
