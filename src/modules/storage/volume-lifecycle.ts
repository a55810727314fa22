import type { Transaction } from '@chime/event-log';
import { SNAPSHOT_STREAM, SnapshotEntity, VOLUME_STREAM, VolumeEntity } from './storage.entity';
import { SnapshotDeleted, VolumeDeleted } from './storage.events';
import { SNAPSHOT_TABLE_ROWS, VOLUME_TABLE_ROWS } from './storage.store';
import { VolumeState } from './storage.contract';

/**
 * Removes a volume (its row locked by the caller) and gives its claim back to its pool: the one way
 * a volume goes (a request on a failed one, a forced delete, its `volume/delete` task succeeding).
 */
export async function removeVolume(tx: Transaction, volume: VolumeEntity): Promise<void> {
  const released = volume.state === VolumeState.Failed ? 0 : volume.size;
  await VOLUME_TABLE_ROWS.delete(tx.manager, { uuid: volume.uuid });
  await tx.manager.query(
    'UPDATE storage_pools SET used_size = used_size - $2, volume_count = volume_count - 1 WHERE uuid = $1',
    [volume.storagePoolUuid, released],
  );
  await tx.append({ type: VOLUME_STREAM, id: volume.uuid }, volume.version, [
    new VolumeDeleted({ uuid: volume.uuid, storage_pool_uuid: volume.storagePoolUuid, released }),
  ]);
}

/** Removes a snapshot's row and its stream's last event; the caller keeps its volume's count. */
export async function removeSnapshot(tx: Transaction, snapshot: SnapshotEntity): Promise<void> {
  await SNAPSHOT_TABLE_ROWS.delete(tx.manager, { uuid: snapshot.uuid });
  await tx.append({ type: SNAPSHOT_STREAM, id: snapshot.uuid }, snapshot.version, [
    new SnapshotDeleted({ uuid: snapshot.uuid, volume_uuid: snapshot.volumeUuid }),
  ]);
}

/** Every snapshot of a volume, oldest first (locked, for a forced delete). */
export function snapshotsOf(tx: Transaction, volumeUuid: string): Promise<SnapshotEntity[]> {
  return tx.manager.find(SnapshotEntity, {
    where: { volumeUuid },
    order: { createdAt: 'ASC', uuid: 'ASC' },
    lock: { mode: 'pessimistic_write' },
  });
}
