import { Injectable, OnModuleInit } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { ended } from '../../platform/domain/operations';
import { HostPort } from '../hosts/host.port';
import { TaskPort, type EndedTask } from '../hosts/task.port';
import { NicPort } from '../networks/nic.port';
import { StoragePort } from '../storage/storage.port';
import { VmState } from './compute.contract';
import { VmOperationFailed, VmOperationSucceeded } from './compute.events';
import { VmEntity, VmVolumeEntity } from './vm.entity';
import { VmLifecycle } from './vm-lifecycle';
import { changeVm, VM_ROWS, volumesOf } from './vm.store';

const text = (value: unknown) => (typeof value === 'string' ? value : '');

/**
 * VMs follow their tasks: when the host's agent reports (or the task times out, or its host is
 * deleted), the outcome is applied in the transaction that ends the task, with its events — the
 * VM's state, its host's claim, its volumes and NICs in the same commit. Outcomes for a VM that is
 * gone meanwhile change nothing.
 */
@Injectable()
export class ComputeTaskOutcomes implements OnModuleInit {
  constructor(
    private readonly tasks: TaskPort,
    private readonly hosts: HostPort,
    private readonly storage: StoragePort,
    private readonly nics: NicPort,
    private readonly lifecycle: VmLifecycle,
  ) {}

  onModuleInit(): void {
    this.tasks.onOutcome('vm', (tx, task) => this.settle(tx, task));
  }

  private async settle(tx: Transaction, task: EndedTask): Promise<void> {
    const vm = await VM_ROWS.findOne(tx.manager, { uuid: task.resource_uuid }, { lock: true });
    // A `vm/release` tells a VM's old host to let it go: the VM's own state does not follow it.
    if (!vm || task.operation === 'release') return;
    const { succeeded, finished_at: at } = task;
    if (task.operation === 'delete' && succeeded) {
      await this.lifecycle.remove(tx, vm, task.payload.force_del === true);
      return;
    }
    const changes: Partial<VmEntity> = { ...ended(succeeded, at) };
    const before = (await volumesOf(tx.manager, vm.uuid)).map((volume) => volume.volumeUuid);
    let after = before;
    const port = task.result?.vnc_port;
    if (succeeded && typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536) changes.vncPort = port;
    switch (task.operation) {
      case 'create': {
        changes.state = succeeded ? VmState.Running : VmState.Failed;
        await this.storage.settleCreated(tx, before, succeeded, task.uuid, at);
        if (!succeeded) {
          await this.nics.releaseForVm(tx, vm.uuid);
          await this.hosts.release(tx.manager, vm.hostUuid, { vcpus: vm.vcpus, memory: vm.memory });
        }
        break;
      }
      case 'start':
        if (succeeded) changes.state = VmState.Running;
        break;
      case 'stop':
        if (succeeded) changes.state = VmState.Stopped;
        break;
      case 'attach_volume': {
        const volumeUuid = text((task.payload.volume as { uuid?: unknown } | undefined)?.uuid);
        await this.storage.settleAttachment(tx, volumeUuid, succeeded, succeeded, at);
        if (!succeeded) {
          await tx.manager.delete(VmVolumeEntity, { vmUuid: vm.uuid, volumeUuid });
          after = before.filter((uuid) => uuid !== volumeUuid);
        }
        break;
      }
      case 'detach_volume': {
        const volumeUuid = text((task.payload.volume as { uuid?: unknown } | undefined)?.uuid);
        await this.storage.settleAttachment(tx, volumeUuid, !succeeded, succeeded, at);
        if (succeeded) {
          await tx.manager.delete(VmVolumeEntity, { vmUuid: vm.uuid, volumeUuid });
          after = before.filter((uuid) => uuid !== volumeUuid);
        }
        break;
      }
      case 'attach_nic':
        if (!succeeded) await this.nics.detach(tx, text((task.payload.nic as { uuid?: unknown } | undefined)?.uuid), vm.uuid);
        break;
      case 'detach_nic':
        if (succeeded) await this.nics.detach(tx, text((task.payload.nic as { uuid?: unknown } | undefined)?.uuid), vm.uuid);
        break;
      case 'migrate': {
        const source = text(task.payload.source_host_uuid);
        const target = text(task.payload.target_host_uuid);
        const claim = { vcpus: vm.vcpus, memory: vm.memory };
        if (succeeded) {
          changes.hostUuid = target;
          changes.lastHostUuid = source;
          await this.hosts.release(tx.manager, source, claim);
          await this.storage.moveTo(tx, before, target);
          await this.tasks.create(tx, {
            clientUuid: source,
            resourceType: 'vm',
            resourceUuid: vm.uuid,
            operation: 'release',
            description: `release-vm-${vm.uuid}`,
            payload: { local_volumes: task.payload.local_volumes ?? [] },
          });
        } else {
          await this.hosts.release(tx.manager, target, claim);
        }
        break;
      }
      default:
        break;
    }
    await changeVm(
      tx,
      vm,
      changes,
      (changed) =>
        succeeded
          ? new VmOperationSucceeded({ uuid: vm.uuid, task_uuid: task.uuid, changes: changed })
          : new VmOperationFailed({ uuid: vm.uuid, task_uuid: task.uuid, message: task.message, changes: changed }),
      { before, after },
    );
  }
}
