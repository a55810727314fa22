import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import type { Actor } from '../../../platform/http/request-context';
import { Ownership } from '../../../platform/domain/ownership';
import type { UpdateVolumeRequest } from '../storage.contract';
import { VOLUME_STREAM, VolumeEntity } from '../storage.entity';
import { VolumeUpdated, type VolumeState } from '../storage.events';
import { lockVolume, volumeNotFound, type VolumePath } from '../storage.store';
import { toVolumeState } from '../storage.view';

export class UpdateVolumeCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly path: VolumePath,
    readonly request: UpdateVolumeRequest,
  ) {
    super();
  }
}

/** A volume's name and description; allowed whatever runs on it. */
@CommandHandler(UpdateVolumeCommand)
export class UpdateVolumeHandler implements ICommandHandler<UpdateVolumeCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, actor, path, request }: UpdateVolumeCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const volume = await lockVolume(tx.manager, path.volumeUuid, path);
      Ownership.assertMayChange(actor, volume.userUuid, () => volumeNotFound(volume.uuid));
      const changes: Partial<VolumeState> = changedFields<VolumeState>(toVolumeState(volume), request);
      await tx.manager.update(
        VolumeEntity,
        { uuid: volume.uuid },
        { name: changes.name, description: changes.description, version: volume.version + 1 },
      );
      await tx.append({ type: VOLUME_STREAM, id: volume.uuid }, volume.version, [
        new VolumeUpdated({ uuid: volume.uuid, changes }),
      ]);
    });
    return 'ok';
  }
}
