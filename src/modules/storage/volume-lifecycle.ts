import type { DomainEvent, Transaction } from '@chime/event-log';
import { changedFields } from '../../platform/domain/changes';
import { SNAPSHOT_STREAM, SnapshotEntity, VOLUME_STREAM, VolumeEntity } from './storage.entity';
import {
  SnapshotDeleted,
  VolumeDeleted,
  type SnapshotState as SnapshotWire,
  type VolumeState as VolumeWire,
} from './storage.events';
import { SNAPSHOT_TABLE_ROWS, VOLUME_TABLE_ROWS } from './storage.store';
import { VolumeState } from './storage.contract';
import { toSnapshotState, toVolumeState } from './storage.view';

/**
 * Saves a change of a volume (its row locked by the caller): the row, its next version, and one
 * event made from the wire fields that really changed (derived from the rows before and after, so
 * an event never lacks a changed field nor carries an unchanged one).
 */
export async function changeVolume(
  tx: Transaction,
  volume: VolumeEntity,
  changes: Partial<VolumeEntity>,
  event: (changed: Partial<VolumeWire>) => DomainEvent,
): Promise<void> {
  await tx.manager.update(VolumeEntity, { uuid: volume.uuid }, { ...changes, version: volume.version + 1 });
  const changed = changedFields(toVolumeState(volume), toVolumeState({ ...volume, ...changes }));
  await tx.append({ type: VOLUME_STREAM, id: volume.uuid }, volume.version, [event(changed)]);
}

/** The same for a snapshot. */
export async function changeSnapshot(
  tx: Transaction,
  snapshot: SnapshotEntity,
  changes: Partial<SnapshotEntity>,
  event: (changed: Partial<SnapshotWire>) => DomainEvent,
): Promise<void> {
  await tx.manager.update(SnapshotEntity, { uuid: snapshot.uuid }, { ...changes, version: snapshot.version + 1 });
  const changed = changedFields(toSnapshotState(snapshot), toSnapshotState({ ...snapshot, ...changes }));
  await tx.append({ type: SNAPSHOT_STREAM, id: snapshot.uuid }, snapshot.version, [event(changed)]);
}

/** Gives `bytes` of a pool's claims back (and `volumes` from its count). */
export async function releaseClaim(tx: Transaction, poolUuid: string, bytes: number, volumes = 0): Promise<void> {
  await tx.manager.query(
    'UPDATE storage_pools SET used_size = used_size - $2, volume_count = volume_count - $3 WHERE uuid = $1',
    [poolUuid, bytes, volumes],
  );
}

/**
 * Removes a volume (its row locked by the caller) and gives its claim back to its pool: the one way
 * a volume goes (a request on a failed one, a forced delete, its `volume/delete` task succeeding).
 */
export async function removeVolume(tx: Transaction, volume: VolumeEntity): Promise<void> {
  const released = volume.state === VolumeState.Failed ? 0 : volume.size;
  await VOLUME_TABLE_ROWS.delete(tx.manager, { uuid: volume.uuid });
  await releaseClaim(tx, volume.storagePoolUuid, released, 1);
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
