import type { Transaction } from '@chime/event-log';
import type { DomainEvent } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { EntityRows } from '../../platform/database/entity-rows';
import { describeForeignKey } from '../../platform/database/database-errors';
import { changedFields } from '../../platform/domain/changes';
import { Ownership } from '../../platform/domain/ownership';
import { NotFoundError } from '../../platform/errors/domain-error';
import type { Actor } from '../../platform/http/request-context';
import type { VmWire } from './compute.contract';
import { VM_STREAM, VmEntity, VmVolumeEntity } from './vm.entity';
import { toVmWire } from './vm.view';

// Other modules' deletes fail on these keys: deleteHost, deleteInstanceSpec, deleteVolume.
describeForeignKey('vms_host_uuid_fkey', 'the host still holds VMs; migrate, rebuild or delete them first');
describeForeignKey('vms_instance_spec_uuid_fkey', 'VMs are made of this instance specification; delete them first');
describeForeignKey('vm_volumes_volume_uuid_fkey', 'the volume is attached to a VM; detach it first');

export const VM_ROWS = new EntityRows(VmEntity);

export const vmNotFound = (uuid: string) => NotFoundError.of('VM', uuid);

/** The VM a caller may see (a user's own; all, for administrators); 404 otherwise. `lock`: for a change. */
export async function visibleVm(manager: EntityManager, actor: Actor, uuid: string, lock = false): Promise<VmEntity> {
  const vm = await VM_ROWS.findOne(manager, { uuid }, { lock });
  if (!vm) throw vmNotFound(uuid);
  Ownership.assertVisible(actor, vm.userUuid, () => vmNotFound(uuid));
  return vm;
}

/** The VM a caller may change, locked: 404 when not theirs, 403 for read-only administrators. */
export async function changeableVm(tx: Transaction, actor: Actor, uuid: string): Promise<VmEntity> {
  const vm = await visibleVm(tx.manager, actor, uuid, true);
  Ownership.assertMayChange(actor, vm.userUuid, () => vmNotFound(uuid));
  return vm;
}

/** A VM's volumes, in the order attached (the root first). */
export async function volumesOf(manager: EntityManager, vmUuid: string): Promise<VmVolumeEntity[]> {
  return manager.find(VmVolumeEntity, { where: { vmUuid }, order: { position: 'ASC' } });
}

/**
 * Saves a change of a VM (its row locked by the caller): the row, its next version, and one event
 * made from the wire fields that really changed. `volumeUuids` before and after when they change.
 */
export async function changeVm(
  tx: Transaction,
  vm: VmEntity,
  changes: Partial<VmEntity>,
  event: (changed: Partial<VmWire>) => DomainEvent,
  volumes: { before: string[]; after: string[] } = { before: [], after: [] },
): Promise<VmEntity> {
  const next = { ...vm, ...changes, version: vm.version + 1 };
  await tx.manager.update(VmEntity, { uuid: vm.uuid }, { ...changes, version: next.version });
  const { volume_uuids: before, ...was } = toVmWire(vm, volumes.before);
  const { volume_uuids: after, ...now } = toVmWire(next, volumes.after);
  const changed: Partial<VmWire> = changedFields(was, now);
  if (before.join() !== after.join()) changed.volume_uuids = after;
  await tx.append({ type: VM_STREAM, id: vm.uuid }, vm.version, [event(changed)]);
  return next;
}

/**
 * The hosts of a cluster a drain, migration or rebuild is emptying now: no VM is placed or moved
 * there until the move ends (ChimeStack locks such a host).
 */
export async function hostsBeingEmptied(manager: EntityManager, clusterUuid: string): Promise<string[]> {
  const rows: { host_uuid: string }[] = await manager.query(
    `SELECT host_uuid FROM host_moves WHERE state = 'running' AND cluster_uuid = $1`,
    [clusterUuid],
  );
  return rows.map((row) => row.host_uuid);
}
