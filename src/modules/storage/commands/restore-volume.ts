import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { HostPort } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { assertIdle, started } from '../../../platform/domain/operations';
import { Ownership } from '../../../platform/domain/ownership';
import { SnapshotState, VolumeState, type VolumeView } from '../storage.contract';
import { VolumeOperationStarted } from '../storage.events';
import { lockSnapshot, lockVolume, volumeNotFound, VOLUME_ROWS } from '../storage.store';
import { changeVolume } from '../volume-lifecycle';
import { VolumeViews } from '../volume-views';

export class RestoreVolumeCommand extends Command<VolumeView> {
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
 * Puts an available, idle volume (not attached to a VM) back to what an available snapshot kept:
 * a `volume/restore` task for its host (`Restoring#<request id>`). When it succeeds the volume's
 * version moves on and its parent version is the snapshot's.
 */
@CommandHandler(RestoreVolumeCommand)
export class RestoreVolumeHandler implements ICommandHandler<RestoreVolumeCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
    private readonly views: VolumeViews,
  ) {}

  execute({ origin, actor, volumeUuid, snapshotUuid }: RestoreVolumeCommand): Promise<VolumeView> {
    return this.uow.run(origin, async (tx) => {
      const volume = await lockVolume(tx.manager, volumeUuid);
      Ownership.assertMayChange(actor, volume.userUuid, () => volumeNotFound(volumeUuid));
      const snapshot = await lockSnapshot(tx.manager, volumeUuid, snapshotUuid);
      if (volume.state === VolumeState.InUse) {
        throw new FailedPreconditionError(`volume ${volumeUuid} is attached to a VM; detach it before restoring it`);
      }
      if (volume.state !== VolumeState.Available) {
        throw new FailedPreconditionError(`volume ${volumeUuid} is not available (state ${volume.state})`);
      }
      assertIdle('volume', volumeUuid, volume.operation);
      if (snapshot.state !== SnapshotState.Available) {
        throw new FailedPreconditionError(`snapshot ${snapshotUuid} is not available (state ${snapshot.state})`);
      }
      await this.hosts.assertReachable(tx.manager, volume.hostUuid, `volume ${volumeUuid}`);
      const task = await this.tasks.create(tx, {
        clientUuid: volume.hostUuid,
        resourceType: 'volume',
        resourceUuid: volumeUuid,
        operation: 'restore',
        description: `restore-volume-${volumeUuid}`,
        payload: { snapshot_uuid: snapshotUuid, volume_version: snapshot.volumeVersion, install_path: volume.installPath },
      });
      await changeVolume(
        tx,
        volume,
        started('restore', tx.metadata.request_id, new Date()),
        (changes) => new VolumeOperationStarted({ uuid: volumeUuid, task_uuid: task.uuid, changes }),
      );
      const row = await VOLUME_ROWS.findOne(tx.manager, { uuid: volumeUuid });
      if (!row) throw volumeNotFound(volumeUuid);
      return this.views.detail(tx.manager, row);
    });
  }
}
