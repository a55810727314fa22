import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { ImageState } from '../image.contract';
import { IMAGE_STREAM } from '../image.entity';
import { ImageDeleted } from '../image.events';
import { changeableImage } from '../image.policy';
import { IMAGE_ROWS, lockImageIfPresent } from '../image.store';

/** deleteImage: its result is `0`, as ChimeStack publishes it. */
export class DeleteImageCommand extends Command<0> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/**
 * Deletes an image that is not being fetched (its fetch's outcome would have nothing to land on).
 * Volumes made from it keep it: their foreign key (volumes_image_uuid_fkey, the storage module's)
 * refuses the delete with 400 FAILED_PRECONDITION.
 */
@CommandHandler(DeleteImageCommand)
export class DeleteImageHandler implements ICommandHandler<DeleteImageCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, actor, uuid }: DeleteImageCommand): Promise<0> {
    await this.uow.run(origin, async (tx) => {
      const image = changeableImage(actor, await lockImageIfPresent(tx.manager, uuid), uuid);
      if (image.state === ImageState.Fetching) {
        throw new FailedPreconditionError(`image ${uuid} is being fetched; delete it once the fetch has ended`);
      }
      await IMAGE_ROWS.delete(tx.manager, { uuid });
      await tx.append({ type: IMAGE_STREAM, id: uuid }, image.version, [new ImageDeleted({ uuid })]);
    });
    return 0;
  }
}
