import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '@chime/event-log';
import type { Actor } from '../../../platform/http/request-context';
import { HostPort } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { assertIdle, operationFields, started } from '../operations';
import { StorageAccess } from '../storage-access';
import { SnapshotState } from '../storage.contract';
import { SNAPSHOT_STREAM, SnapshotEntity, VOLUME_STREAM, VolumeEntity } from '../storage.entity';
import { SnapshotOperationStarted, VolumeOperationStarted, VolumeUpdated } from '../storage.events';
import { lockSnapshot, lockVolume, volumeNotFound } from '../storage.store';
import { removeSnapshot } from '../volume-lifecycle';

export class DeleteSnapshotCommand extends Command<'ok'> {
  constructor(
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

  async execute({ actor, volumeUuid, snapshotUuid }: DeleteSnapshotCommand): Promise<'ok'> {
    await this.uow.run(async (tx) => {
      const volume = await lockVolume(tx.manager, volumeUuid);
      StorageAccess.assertMayChange(actor, volume.userUuid, () => volumeNotFound(volumeUuid));
      const snapshot = await lockSnapshot(tx.manager, volumeUuid, snapshotUuid);
      assertIdle('volume', volumeUuid, volume.operation);
      if (snapshot.state === SnapshotState.Failed) {
        await removeSnapshot(tx, snapshot);
        const snapshotCount = volume.snapshotCount - 1;
        await tx.manager.update(VolumeEntity, { uuid: volumeUuid }, { snapshotCount, version: volume.version + 1 });
        await tx.append({ type: VOLUME_STREAM, id: volumeUuid }, volume.version, [
          new VolumeUpdated({ uuid: volumeUuid, changes: { snapshot_count: snapshotCount } }),
        ]);
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
      const deleting = started('delete', tx.metadata.request_id, now);
      await tx.manager.update(SnapshotEntity, { uuid: snapshotUuid }, { ...deleting, version: snapshot.version + 1 });
      await tx.append({ type: SNAPSHOT_STREAM, id: snapshotUuid }, snapshot.version, [
        new SnapshotOperationStarted({ uuid: snapshotUuid, task_uuid: task.uuid, changes: operationFields(deleting) }),
      ]);
      const busy = started('snapshot', tx.metadata.request_id, now);
      await tx.manager.update(VolumeEntity, { uuid: volumeUuid }, { ...busy, version: volume.version + 1 });
      await tx.append({ type: VOLUME_STREAM, id: volumeUuid }, volume.version, [
        new VolumeOperationStarted({ uuid: volumeUuid, task_uuid: task.uuid, changes: operationFields(busy) }),
      ]);
    });
    return 'ok';
  }
}
