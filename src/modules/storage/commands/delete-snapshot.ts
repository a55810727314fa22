import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { HostPort } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { assertIdle, started } from '../../../platform/domain/operations';
import { Ownership } from '../../../platform/domain/ownership';
import { SnapshotState } from '../storage.contract';
import { SnapshotOperationStarted, VolumeOperationStarted, VolumeUpdated } from '../storage.events';
import { lockSnapshot, lockVolume, volumeNotFound } from '../storage.store';
import { changeSnapshot, changeVolume, removeSnapshot } from '../volume-lifecycle';

export class DeleteSnapshotCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly volumeUuid: string,
    readonly snapshotUuid: string,
  ) {
    super();
  }
}

/**
 * A failed snapshot goes at once. Otherwise its volume must be idle and its host reachable: the
 * host's agent deletes it (`snapshot/delete`), the volume busy meanwhile; it goes when that succeeds.
 */
@CommandHandler(DeleteSnapshotCommand)
export class DeleteSnapshotHandler implements ICommandHandler<DeleteSnapshotCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
  ) {}

  async execute({ origin, actor, volumeUuid, snapshotUuid }: DeleteSnapshotCommand): Promise<'ok'> {
    await this.uow.run(origin, async (tx) => {
      const volume = await lockVolume(tx.manager, volumeUuid);
      Ownership.assertMayChange(actor, volume.userUuid, () => volumeNotFound(volumeUuid));
      const snapshot = await lockSnapshot(tx.manager, volumeUuid, snapshotUuid);
      assertIdle('volume', volumeUuid, volume.operation);
      if (snapshot.state === SnapshotState.Failed) {
        await removeSnapshot(tx, snapshot);
        await changeVolume(
          tx,
          volume,
          { snapshotCount: volume.snapshotCount - 1 },
          (changes) => new VolumeUpdated({ uuid: volumeUuid, changes }),
        );
        return;
      }
      await this.hosts.assertReachable(tx.manager, volume.hostUuid, `volume ${volumeUuid}`);
      const task = await this.tasks.create(tx, {
        clientUuid: volume.hostUuid,
        resourceType: 'snapshot',
        resourceUuid: snapshotUuid,
        operation: 'delete',
        description: `delete-snapshot-${snapshotUuid}`,
        payload: { volume_uuid: volumeUuid, install_path: volume.installPath },
      });
      const now = new Date();
      await changeSnapshot(
        tx,
        snapshot,
        started('delete', tx.metadata.request_id, now),
        (changes) => new SnapshotOperationStarted({ uuid: snapshotUuid, task_uuid: task.uuid, changes }),
      );
      await changeVolume(
        tx,
        volume,
        started('snapshot', tx.metadata.request_id, now),
        (changes) => new VolumeOperationStarted({ uuid: volumeUuid, task_uuid: task.uuid, changes }),
      );
    });
    return 'ok';
  }
}
