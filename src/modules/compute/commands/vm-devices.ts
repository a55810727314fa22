import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError, LimitExceededError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { NicPort } from '../../networks/nic.port';
import { StoragePort } from '../../storage/storage.port';
import { COMPUTE_LIMITS, VmState } from '../compute.contract';
import { VmVolumeEntity } from '../vm.entity';
import { changeableVm, volumesOf } from '../vm.store';
import { diskTarget } from '../vm-devices';
import { assertVmState, VmTasks } from '../vm-tasks';

export type Device = 'volume' | 'nic';

export class ChangeVmDeviceCommand extends Command<'ok'> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly vmUuid: string,
    readonly change: 'attach' | 'detach',
    readonly device: Device,
    readonly deviceUuid: string,
  ) {
    super();
  }
}

/**
 * attachVolumeToVm, detachVolumeFromVm, attachNicToVm, detachNicFromVm: a task for the VM's host's
 * agent (`vm/attach_volume` …) on a running or stopped VM. An attached device is the VM's from the
 * request on (a failed task gives it back); a detached one stays the VM's until the task succeeds.
 * Limits: 128 volumes and 16 NICs per VM; the root volume and primary NICs stay.
 */
@CommandHandler(ChangeVmDeviceCommand)
export class ChangeVmDeviceHandler implements ICommandHandler<ChangeVmDeviceCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly vmTasks: VmTasks,
    private readonly storage: StoragePort,
    private readonly nics: NicPort,
  ) {}

  execute({ origin, actor, vmUuid, change, device, deviceUuid }: ChangeVmDeviceCommand): Promise<'ok'> {
    return this.uow.run(origin, async (tx) => {
      const vm = await changeableVm(tx, actor, vmUuid);
      assertVmState(vm, [VmState.Running, VmState.Stopped], `given or relieved of devices`);
      const operation = `${change}_${device}`;
      const place = { uuid: vm.uuid, cluster_uuid: vm.clusterUuid, host_uuid: vm.hostUuid };
      if (device === 'volume') {
        const volumes = await volumesOf(tx.manager, vm.uuid);
        const before = volumes.map((volume) => volume.volumeUuid);
        const index = before.indexOf(deviceUuid);
        if (change === 'attach') {
          if (index >= 0) throw new FailedPreconditionError(`volume ${deviceUuid} is attached to VM ${vm.uuid} already`);
          if (volumes.length >= COMPUTE_LIMITS.volumesPerVm) {
            throw new LimitExceededError(`VM ${vm.uuid} has ${COMPUTE_LIMITS.volumesPerVm} volumes, the most a VM may have`);
          }
          const position = volumes.length === 0 ? 0 : Math.max(...volumes.map((volume) => volume.position)) + 1;
          const volume = await this.storage.attach(tx, actor, deviceUuid, place);
          await tx.manager.insert(VmVolumeEntity, {
            vmUuid: vm.uuid,
            volumeUuid: deviceUuid,
            target: diskTarget(position),
            position,
          });
          await this.vmTasks.start(
            tx,
            vm,
            operation,
            { volume: { ...volume, target: diskTarget(position) } },
            {
              volumes: { before, after: [...before, deviceUuid] },
            },
          );
        } else {
          if (index < 0) throw new FailedPreconditionError(`volume ${deviceUuid} is not attached to VM ${vm.uuid}`);
          const [volume] = await this.storage.forAgent(tx.manager, [deviceUuid]);
          if (volume?.root === 1)
            throw new FailedPreconditionError(`volume ${deviceUuid} is the root volume of VM ${vm.uuid}; it stays`);
          const agent = await this.storage.startDetach(tx, deviceUuid);
          await this.vmTasks.start(tx, vm, operation, { volume: { ...agent, target: volumes[index].target } });
        }
        return 'ok' as const;
      }
      const attached = (await this.nics.forVms(tx.manager, [vm.uuid])).get(vm.uuid) ?? [];
      const nic = attached.find((candidate) => candidate.uuid === deviceUuid);
      if (change === 'attach') {
        if (nic) throw new FailedPreconditionError(`network interface ${deviceUuid} is attached to VM ${vm.uuid} already`);
        if (attached.length >= COMPUTE_LIMITS.nicsPerVm) {
          throw new LimitExceededError(
            `VM ${vm.uuid} has ${COMPUTE_LIMITS.nicsPerVm} network interfaces, the most a VM may have`,
          );
        }
        await this.nics.attach(tx, actor, deviceUuid, place);
        const forAgent = (await this.nics.forAgent(tx.manager, vm.uuid)).find((candidate) => candidate.uuid === deviceUuid);
        await this.vmTasks.start(tx, vm, operation, { nic: forAgent ?? { uuid: deviceUuid } });
      } else {
        if (!nic) throw new FailedPreconditionError(`network interface ${deviceUuid} is not attached to VM ${vm.uuid}`);
        if (nic.primary === 1)
          throw new FailedPreconditionError(`network interface ${deviceUuid} is the primary NIC of VM ${vm.uuid}; it stays`);
        const forAgent = (await this.nics.forAgent(tx.manager, vm.uuid)).find((candidate) => candidate.uuid === deviceUuid);
        await this.vmTasks.start(tx, vm, operation, { nic: forAgent ?? { uuid: deviceUuid } });
      }
      return 'ok' as const;
    });
  }
}
