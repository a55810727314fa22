import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { HostPort } from '../hosts/host.port';
import { NicPort } from '../networks/nic.port';
import { StoragePort } from '../storage/storage.port';
import { VmState } from './compute.contract';
import { VmDeleted } from './compute.events';
import { VM_STREAM, VmEntity, VmVolumeEntity } from './vm.entity';
import { volumesOf } from './vm.store';

/** How a VM goes, and gives back what it held: the one way, for deleteVm, a failed VM and the delete task's success. */
@Injectable()
export class VmLifecycle {
  constructor(
    private readonly hosts: HostPort,
    private readonly storage: StoragePort,
    private readonly nics: NicPort,
  ) {}

  /**
   * Removes the VM (its row locked by the caller): its host's claim back (a failed VM holds none),
   * its NICs released (primary ones deleted), its root volume deleted and the others detached —
   * or deleted too with `deleteAllVolumes`.
   */
  async remove(tx: Transaction, vm: VmEntity, deleteAllVolumes: boolean): Promise<void> {
    const claimed = vm.state !== VmState.Failed;
    const volumes = await volumesOf(tx.manager, vm.uuid);
    await tx.manager.delete(VmVolumeEntity, { vmUuid: vm.uuid });
    await this.storage.releaseForVm(
      tx,
      volumes.map((volume) => volume.volumeUuid),
      deleteAllVolumes,
    );
    await this.nics.releaseForVm(tx, vm.uuid);
    // The host's row last, as createVm takes it: pools and subnets first, then the host.
    if (claimed) await this.hosts.release(tx.manager, vm.hostUuid, { vcpus: vm.vcpus, memory: vm.memory });
    await tx.manager.delete(VmEntity, { uuid: vm.uuid });
    await tx.append({ type: VM_STREAM, id: vm.uuid }, vm.version, [
      new VmDeleted({
        uuid: vm.uuid,
        host_uuid: vm.hostUuid,
        released: claimed ? { vcpus: vm.vcpus, memory: vm.memory } : { vcpus: 0, memory: 0 },
      }),
    ]);
  }
}
