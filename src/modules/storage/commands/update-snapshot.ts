import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { changedFields } from '../../../platform/domain/changes';
import type { Actor } from '../../../platform/http/request-context';
import { Ownership } from '../../../platform/domain/ownership';
import type { UpdateSnapshotRequest } from '../storage.contract';
import { SNAPSHOT_STREAM, SnapshotEntity } from '../storage.entity';
import { SnapshotUpdated, type SnapshotState } from '../storage.events';
import { lockSnapshot, lockVolume, volumeNotFound } from '../storage.store';
import { toSnapshotState } from '../storage.view';

export class UpdateSnapshotCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly volumeUuid: string,
    readonly snapshotUuid: string,
    readonly request: UpdateSnapshotRequest,
  ) {
    super();
  }
}

@CommandHandler(UpdateSnapshotCommand)
export class UpdateSnapshotHandler implements ICommandHandler<UpdateSnapshotCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ origin, actor, volumeUuid, snapshotUuid, request }: UpdateSnapshotCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const volume = await lockVolume(tx.manager, volumeUuid);
      Ownership.assertMayChange(actor, volume.userUuid, () => volumeNotFound(volumeUuid));
      const snapshot = await lockSnapshot(tx.manager, volumeUuid, snapshotUuid);
      const changes: Partial<SnapshotState> = changedFields<SnapshotState>(toSnapshotState(snapshot), request);
      await tx.manager.update(
        SnapshotEntity,
        { uuid: snapshotUuid },
        { name: changes.name, description: changes.description, version: snapshot.version + 1 },
      );
      await tx.append({ type: SNAPSHOT_STREAM, id: snapshotUuid }, snapshot.version, [
        new SnapshotUpdated({ uuid: snapshotUuid, changes }),
      ]);
    });
    return 'ok';
  }
}
