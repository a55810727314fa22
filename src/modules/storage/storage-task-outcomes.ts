import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { TaskPort, type EndedTask } from '../hosts/task.port';
import { ended } from '../../platform/domain/operations';
import { SnapshotState, VolumeState } from './storage.contract';
import type { SnapshotEntity, VolumeEntity } from './storage.entity';
import {
  SnapshotOperationFailed,
  SnapshotOperationSucceeded,
  VolumeOperationFailed,
  VolumeOperationSucceeded,
} from './storage.events';
import { SNAPSHOT_TABLE_ROWS, VOLUME_TABLE_ROWS } from './storage.store';
import { changeSnapshot, changeVolume, releaseClaim, removeSnapshot, removeVolume } from './volume-lifecycle';

/**
 * Volumes and snapshots follow their tasks: when a host's agent reports (or a task times out, or
 * its host is deleted), the outcome is applied in the transaction that ends the task, with its
 * events, so a volume is available (or failed, its claim released) in the same commit as its task's
 * end. Outcomes for a volume or snapshot that is gone meanwhile (a forced delete) change nothing.
 */
@Injectable()
export class StorageTaskOutcomes implements OnModuleInit {
  constructor(private readonly tasks: TaskPort) {}

  onModuleInit(): void {
    this.tasks.onOutcome('volume', (tx, task) => this.volume(tx, task, task.succeeded));
    this.tasks.onOutcome('snapshot', (tx, task) => this.snapshot(tx, task, task.succeeded));
  }

  private async volume(tx: Transaction, outcome: EndedTask, succeeded: boolean): Promise<void> {
    const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid: outcome.resource_uuid }, { lock: true });
    if (!volume) return;
    const done = ended(succeeded, outcome.finished_at);
    if (outcome.operation === 'delete' && succeeded) {
      await removeVolume(tx, volume);
      return;
    }
    const changes: Partial<VolumeEntity> = { ...done };
    let released = 0;
    if (outcome.operation === 'create') {
      if (succeeded) {
        changes.state = VolumeState.Available;
        const path = outcome.result?.install_path;
        if (typeof path === 'string') changes.installPath = path;
      } else {
        changes.state = VolumeState.Failed;
        released = volume.size;
        await releaseClaim(tx, volume.storagePoolUuid, released);
      }
    } else if (outcome.operation === 'restore' && succeeded) {
      const kept = outcome.payload.volume_version;
      changes.parentVersion = typeof kept === 'number' ? kept : volume.parentVersion;
      changes.dataVersion = volume.dataVersion + 1;
    }
    await changeVolume(tx, volume, changes, (changed) =>
      succeeded
        ? new VolumeOperationSucceeded({ uuid: volume.uuid, task_uuid: outcome.uuid, changes: changed })
        : new VolumeOperationFailed({
            uuid: volume.uuid,
            task_uuid: outcome.uuid,
            message: outcome.message,
            released,
            changes: changed,
          }),
    );
  }

  private async snapshot(tx: Transaction, outcome: EndedTask, succeeded: boolean): Promise<void> {
    const found = await SNAPSHOT_TABLE_ROWS.findOne(tx.manager, { uuid: outcome.resource_uuid });
    if (!found) return;
    // Locks in the order requests take them: the volume, then the snapshot.
    const volume = await VOLUME_TABLE_ROWS.findOne(tx.manager, { uuid: found.volumeUuid }, { lock: true });
    const snapshot = await SNAPSHOT_TABLE_ROWS.findOne(tx.manager, { uuid: outcome.resource_uuid }, { lock: true });
    if (!volume || !snapshot) return;
    const done = ended(succeeded, outcome.finished_at);
    const volumeChanges: Partial<VolumeEntity> = { ...done };
    if (outcome.operation === 'delete' && succeeded) {
      await removeSnapshot(tx, snapshot);
      volumeChanges.snapshotCount = volume.snapshotCount - 1;
    } else {
      const changes: Partial<SnapshotEntity> = { ...done };
      if (outcome.operation === 'create') {
        changes.state = succeeded ? SnapshotState.Available : SnapshotState.Failed;
        if (succeeded) {
          // The snapshot keeps the version the volume had; the volume moves on from it.
          volumeChanges.parentVersion = volume.dataVersion;
          volumeChanges.dataVersion = volume.dataVersion + 1;
        }
      }
      await changeSnapshot(tx, snapshot, changes, (changed) =>
        succeeded
          ? new SnapshotOperationSucceeded({ uuid: snapshot.uuid, task_uuid: outcome.uuid, changes: changed })
          : new SnapshotOperationFailed({
              uuid: snapshot.uuid,
              task_uuid: outcome.uuid,
              message: outcome.message,
              changes: changed,
            }),
      );
    }
    await changeVolume(tx, volume, volumeChanges, (changed) =>
      succeeded
        ? new VolumeOperationSucceeded({ uuid: volume.uuid, task_uuid: outcome.uuid, changes: changed })
        : new VolumeOperationFailed({
            uuid: volume.uuid,
            task_uuid: outcome.uuid,
            message: outcome.message,
            released: 0,
            changes: changed,
          }),
    );
  }
}
