import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import type { VmWire } from './compute.contract';
import { VmCreated, VmDeleted, VmOperationFailed, VmOperationStarted, VmOperationSucceeded, VmUpdated } from './compute.events';
import { VM_STREAM, VmEntity, VmVolumeEntity } from './vm.entity';
import { toVmWire } from './vm.view';

type Keyed<T> = T & { key: string; version: number };

const CHANGES = [VmUpdated.type, VmOperationStarted.type, VmOperationSucceeded.type, VmOperationFailed.type];

/** VMs rebuilt from their events (with their volumes, in order), for `npm run verify:replay`. */
export const VM_REPLAY: StreamProjection<Keyed<VmWire>> = {
  streamType: VM_STREAM,
  handles: [VmCreated.type, ...CHANGES, VmDeleted.type],
  apply(state, event) {
    if (event.type === VmCreated.type)
      return { ...(event.data as unknown as VmWire), key: event.streamId, version: event.version };
    if (event.type === VmDeleted.type) return undefined;
    if (CHANGES.includes(event.type)) {
      const changes = (event.data as { changes: Partial<VmWire> }).changes;
      return state && { ...state, ...changes, version: event.version };
    }
    throw new Error(`unknown event ${event.type} on stream ${VM_STREAM}`);
  },
  async load(manager: EntityManager, page) {
    const vms = await loadEntityPage(manager, VmEntity, 'uuid', page);
    if (vms.length === 0) return [];
    const volumes: VmVolumeEntity[] = await manager
      .getRepository(VmVolumeEntity)
      .createQueryBuilder('r')
      .where('r.vm_uuid IN (:...uuids)', { uuids: vms.map((vm) => vm.uuid) })
      .orderBy('r.position', 'ASC')
      .getMany();
    return vms.map((vm) => ({
      ...toVmWire(
        vm,
        volumes.filter((volume) => volume.vmUuid === vm.uuid).map((volume) => volume.volumeUuid),
      ),
      key: vm.uuid,
      version: vm.version,
    }));
  },
};
