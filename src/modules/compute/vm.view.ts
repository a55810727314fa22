import type { NicView } from '../networks/nic.port';
import type { TaskView } from '../hosts/task.port';
import type { VolumeView } from '../storage/storage.port';
import { operationFields } from '../../platform/domain/operations';
import type { VmView, VmWire } from './compute.contract';
import type { VmEntity } from './vm.entity';

/** A VM's state on its stream; `volumeUuids` its volumes in order. */
export function toVmWire(vm: VmEntity, volumeUuids: string[]): VmWire {
  return {
    uuid: vm.uuid,
    name: vm.name,
    description: vm.description,
    user_uuid: vm.userUuid,
    az_uuid: vm.azUuid,
    cluster_uuid: vm.clusterUuid,
    host_uuid: vm.hostUuid,
    last_host_uuid: vm.lastHostUuid,
    instance_spec_uuid: vm.instanceSpecUuid,
    image_uuid: vm.imageUuid,
    vcpus: vm.vcpus,
    memory: vm.memory,
    state: vm.state,
    boot_type: vm.bootType,
    hyper_type: vm.hyperType,
    os_type: vm.osType,
    os_arch: vm.osArch,
    os_detail: vm.osDetail,
    spec_type: 0,
    volume_uuids: volumeUuids,
    ...operationFields(vm),
    created_at: vm.createdAt.toISOString(),
  };
}

export interface VmParts {
  hostName: string;
  hostIp: string;
  imageName: string;
  nics: NicView[];
  volumes: VolumeView[];
  tasks: TaskView[];
}

export function toVmView(vm: VmEntity, parts: VmParts): VmView {
  const { volume_uuids: _volumes, image_uuid: _image, last_host_uuid: _last, ...wire } = toVmWire(vm, []);
  return {
    ...wire,
    host_name: parts.hostName,
    host_ip: parts.hostIp,
    image_name: parts.imageName,
    tags: null,
    nics: parts.nics,
    volumes: parts.volumes,
    tasks: parts.tasks,
  };
}
