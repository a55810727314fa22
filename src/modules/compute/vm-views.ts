import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { HostPort } from '../hosts/host.port';
import { TaskPort } from '../hosts/task.port';
import { ImagePort } from '../images/image.port';
import { NicPort } from '../networks/nic.port';
import { StoragePort } from '../storage/storage.port';
import type { VmView } from './compute.contract';
import type { VmEntity } from './vm.entity';
import { volumesOf } from './vm.store';
import { toVmView } from './vm.view';

/** How many tasks describeVm shows, newest first. */
const RECENT_TASKS = 20;

/** VMs as the API shows them: with their hosts' and images' names (as they are now), NICs, volumes and tasks. */
@Injectable()
export class VmViews {
  constructor(
    private readonly hosts: HostPort,
    private readonly images: ImagePort,
    private readonly nics: NicPort,
    private readonly storage: StoragePort,
    private readonly tasks: TaskPort,
  ) {}

  /** A page of VMs, as ChimeStack's lists show them: without NICs, volumes and tasks. */
  async list(manager: EntityManager, vms: VmEntity[]): Promise<VmView[]> {
    const hosts = await this.hosts.summaries(
      vms.map((vm) => vm.hostUuid),
      manager,
    );
    const images = await this.images.names(
      vms.flatMap((vm) => (vm.imageUuid ? [vm.imageUuid] : [])),
      manager,
    );
    return vms.map((vm) => {
      const host = hosts.get(vm.hostUuid);
      return toVmView(vm, {
        hostName: host?.name ?? '',
        hostIp: host?.manage_ip ?? '',
        imageName: vm.imageUuid ? (images.get(vm.imageUuid) ?? '') : '',
        nics: [],
        volumes: [],
        tasks: [],
      });
    });
  }

  /** One VM with its NICs, volumes and latest tasks (describeVm). */
  async detail(manager: EntityManager, vm: VmEntity): Promise<VmView> {
    // One after another: `manager` may be a transaction's, whose connection runs one query at a time.
    const [listed] = await this.list(manager, [vm]);
    const nics = (await this.nics.forVms(manager, [vm.uuid])).get(vm.uuid) ?? [];
    const volumes = await this.storage.viewsOf(
      manager,
      (await volumesOf(manager, vm.uuid)).map((volume) => volume.volumeUuid),
    );
    const tasks = await this.tasks.recent(manager, 'vm', vm.uuid, RECENT_TASKS);
    return { ...listed, nics, volumes, tasks };
  }
}
