import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { HostPort } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { assertIdle, started } from '../../../platform/domain/operations';
import { Ownership } from '../../../platform/domain/ownership';
import { VolumeState } from '../storage.contract';
import { VolumeOperationStarted } from '../storage.events';
import { lockVolume, volumeNotFound, type VolumePath } from '../storage.store';
import { changeVolume, removeSnapshot, removeVolume, snapshotsOf } from '../volume-lifecycle';

export class DeleteVolumeCommand extends Command<1> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly path: VolumePath,
    readonly force: boolean,
  ) {
    super();
  }
}

/**
 * deleteVolume. A volume attached to a VM is never deleted. Otherwise:
 * - a failed volume (its creation failed; it claims nothing) goes at once;
 * - by default the volume must be idle, without snapshots, on a reachable host: its agent deletes it
 *   (`volume/delete` task, `Deleting#<request id>`), and when that succeeds the volume goes and its
 *   claim returns to the pool; if it fails the volume stays as it was;
 * - with `force_del=true` the volume and its snapshots go at once, whatever runs on them and even
 *   when its host is unreachable, its claim returns to the pool, and its host's agent is still told
 *   to delete it (the task waits for the agent; its outcome changes nothing here).
 */
@CommandHandler(DeleteVolumeCommand)
export class DeleteVolumeHandler implements ICommandHandler<DeleteVolumeCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
  ) {}

  async execute({ origin, actor, path, force }: DeleteVolumeCommand): Promise<1> {
    await this.uow.run(origin, async (tx) => {
      const volume = await lockVolume(tx.manager, path.volumeUuid, path);
      Ownership.assertMayChange(actor, volume.userUuid, () => volumeNotFound(volume.uuid));
      if (volume.state === VolumeState.InUse) {
        throw new FailedPreconditionError(`volume ${volume.uuid} is attached to a VM; detach it first`);
      }
      const task = {
        clientUuid: volume.hostUuid,
        resourceType: 'volume',
        resourceUuid: volume.uuid,
        operation: 'delete',
        description: `delete-volume-${volume.uuid}`,
        payload: { storage_pool_uuid: volume.storagePoolUuid, install_path: volume.installPath },
      };
      if (volume.state === VolumeState.Failed && volume.operation === '') {
        await removeVolume(tx, volume);
        return;
      }
      if (force) {
        // The task first: locks in the order createVolume takes them (the node's row, then the pool's).
        await this.tasks.create(tx, task);
        for (const snapshot of await snapshotsOf(tx, volume.uuid)) await removeSnapshot(tx, snapshot);
        await removeVolume(tx, volume);
        return;
      }
      assertIdle('volume', volume.uuid, volume.operation);
      if (volume.snapshotCount > 0) {
        throw new FailedPreconditionError(
          `volume ${volume.uuid} has ${volume.snapshotCount} snapshot${volume.snapshotCount === 1 ? '' : 's'}; ` +
            'delete them first, or delete with force_del=true to delete them with it',
        );
      }
      await this.hosts.assertReachable(tx.manager, volume.hostUuid, `volume ${volume.uuid}`);
      const created = await this.tasks.create(tx, task);
      await changeVolume(
        tx,
        volume,
        started('delete', tx.metadata.request_id, new Date()),
        (changes) => new VolumeOperationStarted({ uuid: volume.uuid, task_uuid: created.uuid, changes }),
      );
    });
    return 1;
  }
}
