import { randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError, LimitExceededError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { HostPort } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { assertIdle, started } from '../../../platform/domain/operations';
import { Ownership } from '../../../platform/domain/ownership';
import { SnapshotState, STORAGE_LIMITS, VolumeState, type CreateSnapshotRequest, type SnapshotView } from '../storage.contract';
import { SNAPSHOT_STREAM, type SnapshotEntity } from '../storage.entity';
import { SnapshotCreated, VolumeOperationStarted } from '../storage.events';
import { lockVolume, SNAPSHOT_TABLE_ROWS, volumeNotFound } from '../storage.store';
import { toSnapshotState, toSnapshotView } from '../storage.view';
import { changeVolume } from '../volume-lifecycle';

export class CreateSnapshotCommand extends Command<SnapshotView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly volumeUuid: string,
    readonly request: CreateSnapshotRequest,
  ) {
    super();
  }
}

/**
 * Takes a snapshot of an available (or in-use) idle volume on a reachable host: the snapshot
 * (state 0, `Creating#<request id>`) keeps the volume's current version; the volume is busy
 * (`Snapshotting#…`) until the host's `snapshot/create` task ends. At most 32 snapshots per volume,
 * counted under the volume's row lock. The snapshot belongs to the volume's owner.
 */
@CommandHandler(CreateSnapshotCommand)
export class CreateSnapshotHandler implements ICommandHandler<CreateSnapshotCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
  ) {}

  execute({ origin, actor, volumeUuid, request }: CreateSnapshotCommand): Promise<SnapshotView> {
    return this.uow.run(origin, async (tx) => {
      const volume = await lockVolume(tx.manager, volumeUuid);
      Ownership.assertMayChange(actor, volume.userUuid, () => volumeNotFound(volumeUuid));
      if (volume.state !== VolumeState.Available && volume.state !== VolumeState.InUse) {
        throw new FailedPreconditionError(`volume ${volumeUuid} is not available (state ${volume.state})`);
      }
      assertIdle('volume', volumeUuid, volume.operation);
      if (volume.snapshotCount >= STORAGE_LIMITS.snapshotsPerVolume) {
        throw new LimitExceededError(`at most ${STORAGE_LIMITS.snapshotsPerVolume} snapshots of one volume`);
      }
      await this.hosts.assertReachable(tx.manager, volume.hostUuid, `volume ${volumeUuid}`);
      const now = new Date();
      const snapshot: SnapshotEntity = {
        uuid: randomUUID(),
        name: request.name,
        description: request.description ?? '',
        userUuid: volume.userUuid,
        volumeUuid,
        volumeVersion: volume.dataVersion,
        parentVolumeVersion: volume.parentVersion,
        state: SnapshotState.Unavailable,
        ...started('create', tx.metadata.request_id, now),
        version: 1,
        createdAt: now,
      };
      await SNAPSHOT_TABLE_ROWS.insert(tx.manager, snapshot);
      await tx.append({ type: SNAPSHOT_STREAM, id: snapshot.uuid }, 0, [new SnapshotCreated(toSnapshotState(snapshot))]);
      const task = await this.tasks.create(tx, {
        clientUuid: volume.hostUuid,
        resourceType: 'snapshot',
        resourceUuid: snapshot.uuid,
        operation: 'create',
        description: `create-snapshot-${snapshot.uuid}`,
        payload: { volume_uuid: volumeUuid, volume_version: volume.dataVersion, install_path: volume.installPath },
      });
      await changeVolume(
        tx,
        volume,
        { ...started('snapshot', tx.metadata.request_id, now), snapshotCount: volume.snapshotCount + 1 },
        (changes) => new VolumeOperationStarted({ uuid: volumeUuid, task_uuid: task.uuid, changes }),
      );
      return toSnapshotView({ ...snapshot, volumeName: volume.name });
    });
  }
}
