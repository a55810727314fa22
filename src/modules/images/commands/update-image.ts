import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { ImageState, type UpdateImageRequest } from '../image.contract';
import { IMAGE_STREAM, ImageEntity } from '../image.entity';
import { ImageUpdated } from '../image.events';
import { changeableImage } from '../image.policy';
import { lockImageIfPresent } from '../image.store';
import { toImageAggregate } from '../image.view';

export class UpdateImageCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly uuid: string,
    readonly request: UpdateImageRequest,
  ) {
    super();
  }
}

/**
 * Fields left out (or null) stay; resent values are no change. The format cannot change while the
 * image is fetched (the node fetches it as the format it was given).
 */
@CommandHandler(UpdateImageCommand)
export class UpdateImageHandler implements ICommandHandler<UpdateImageCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, actor, uuid, request }: UpdateImageCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const image = changeableImage(actor, await lockImageIfPresent(tx.manager, uuid), uuid);
      const changes = changedFields(toImageAggregate(image), request);
      if (changes.format !== undefined && image.state === ImageState.Fetching) {
        throw new FailedPreconditionError(`image ${uuid} is being fetched: its format can change once it is available`);
      }
      await tx.manager.update(
        ImageEntity,
        { uuid },
        {
          name: changes.name,
          description: changes.description,
          format: changes.format,
          osType: changes.os_type,
          osDetail: changes.os_detail,
          osArch: changes.os_arch,
          bootType: changes.boot_type,
          shared: changes.shared,
          version: image.version + 1,
        },
      );
      await tx.append({ type: IMAGE_STREAM, id: uuid }, image.version, [new ImageUpdated({ uuid, changes })]);
    });
    return 'ok';
  }
}
