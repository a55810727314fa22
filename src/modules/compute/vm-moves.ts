import { Injectable } from '@nestjs/common';
import type { Transaction } from '@chime/event-log';
import { FailedPreconditionError } from '../../platform/errors/domain-error';
import { HostPort } from '../hosts/host.port';
import { NicPort } from '../networks/nic.port';
import { SchedulerPort } from '../scheduler/scheduler.port';
import { StoragePort } from '../storage/storage.port';
import { VmState } from './compute.contract';
import type { VmEntity } from './vm.entity';
import { hostsBeingEmptied, volumesOf } from './vm.store';
import { assertVmState, VmTasks } from './vm-tasks';

/** Local storage (a pool of type 0): a volume only its host reaches. */
const LOCAL_POOL = 0;

export interface MoveOptions {
  /** The host to move to; the scheduler picks one (not the VM's own) without it. */
  targetHostUuid?: string;
  /** Move a VM whose volumes are on local storage, copying them (migrate_local_disks). */
  withLocalDisks: boolean;
}

/**
 * Moving a VM to another host: migrateVm, and migrateHost's process manager. The target is
 * claimed last in the caller's transaction (a claim lost to a concurrent placement is a 400 here:
 * the caller tries again); the `vm/migrate` task goes to the target's agent, which takes the VM
 * over from the source (live, when it runs; its local volumes copied). When it succeeds the VM is
 * on the target, its old host's claim is given back and the old host's agent is told to let the VM
 * go (`vm/release`); when it fails the target's claim is given back.
 */
@Injectable()
export class VmMoves {
  constructor(
    private readonly hosts: HostPort,
    private readonly scheduler: SchedulerPort,
    private readonly storage: StoragePort,
    private readonly vmTasks: VmTasks,
    private readonly nics: NicPort,
  ) {}

  async migrate(tx: Transaction, vm: VmEntity, options: MoveOptions): Promise<string> {
    assertVmState(vm, [VmState.Running, VmState.Stopped], 'migrated');
    if (options.targetHostUuid === vm.hostUuid) {
      throw new FailedPreconditionError(`VM ${vm.uuid} runs on host ${vm.hostUuid} already`);
    }
    const volumeUuids = (await volumesOf(tx.manager, vm.uuid)).map((volume) => volume.volumeUuid);
    const volumes = await this.storage.forAgent(tx.manager, volumeUuids);
    const local = volumes.filter((volume) => volume.pool_type === LOCAL_POOL);
    if (local.length > 0 && !options.withLocalDisks) {
      throw new FailedPreconditionError(
        `VM ${vm.uuid} has ${local.length} volume(s) on local storage; set migrate_local_disks to copy them with it`,
      );
    }
    const [target] = await this.scheduler.candidates(tx.manager, {
      vmUuid: vm.uuid,
      clusterUuid: vm.clusterUuid,
      vcpus: vm.vcpus,
      memory: vm.memory,
      hostUuid: options.targetHostUuid,
      excluded: new Set([vm.hostUuid, ...(await hostsBeingEmptied(tx.manager, vm.clusterUuid))]),
    });
    const source = (await this.hosts.summaries([vm.hostUuid], tx.manager)).get(vm.hostUuid);
    await this.vmTasks.start(
      tx,
      vm,
      'migrate',
      {
        source_host_uuid: vm.hostUuid,
        source_manage_ip: source?.manage_ip ?? '',
        target_host_uuid: target.uuid,
        live: vm.state === VmState.Running,
        vcpus: vm.vcpus,
        memory: vm.memory,
        volumes,
        local_volumes: local.map((volume) => volume.uuid),
        nics: await this.nics.forAgent(tx.manager, vm.uuid),
      },
      { hostUuid: target.uuid },
    );
    if (!(await this.hosts.claim(tx.manager, target.uuid, { vcpus: vm.vcpus, memory: vm.memory }))) {
      throw new FailedPreconditionError(`host ${target.uuid} was taken by a concurrent placement; try again`);
    }
    return target.uuid;
  }
}
