import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError, NotFoundError, PermissionDeniedError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { PUBLIC_BUCKET } from '../image.contract';
import { IMAGE_BUCKET_STREAM } from '../image.entity';
import { ImageBucketDeleted } from '../image.events';
import { refuseReadOnly, seesBucket } from '../image.policy';
import { BUCKET_ROWS, IMAGE_ROWS, lockBucketIfPresent } from '../image.store';

export class DeleteImageBucketCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/**
 * Deletes an empty private bucket (a user its own, administrators any). The public bucket stays;
 * a bucket holding images is refused naming how many. Creating an image locks its bucket too, so
 * the count read under the lock is exact; images_bucket_uuid_fkey backs it up.
 */
@CommandHandler(DeleteImageBucketCommand)
export class DeleteImageBucketHandler implements ICommandHandler<DeleteImageBucketCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, actor, uuid }: DeleteImageBucketCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const bucket = await lockBucketIfPresent(tx.manager, uuid);
      if (!bucket || !seesBucket(actor, uuid)) throw NotFoundError.of('image bucket', uuid);
      refuseReadOnly(actor, 'deletes no image bucket');
      if (uuid === PUBLIC_BUCKET) {
        if (actor.role < 2) throw new PermissionDeniedError('only administrators manage the public image bucket');
        throw new FailedPreconditionError('the public image bucket is never deleted');
      }
      const images = await IMAGE_ROWS.count(tx.manager, { bucketUuid: uuid });
      if (images > 0) {
        throw new FailedPreconditionError(
          `image bucket ${uuid} still holds ${images === 1 ? '1 image' : `${images} images`}; delete them first`,
        );
      }
      await BUCKET_ROWS.delete(tx.manager, { uuid });
      await tx.append({ type: IMAGE_BUCKET_STREAM, id: uuid }, bucket.version, [new ImageBucketDeleted({ uuid })]);
    });
    return 1;
  }
}
