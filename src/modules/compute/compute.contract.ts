import type { OperationState } from '../../platform/domain/operations';
import type { TaskView } from '../hosts/task.port';
import type { CreateNicRequest, NicView } from '../networks/nic.port';
import type { CreateVolumeRequest, VolumeView } from '../storage/storage.port';

/** A VM's state, as ChimeStack numbers it (t_vm.state). */
export enum VmState {
  /** Being created. */
  Unavailable = 0,
  Running = 1,
  Stopped = 4,
  /** Its creation failed: nothing claimed; it can only be deleted. */
  Failed = 10,
}
export const VM_STATES = [VmState.Unavailable, VmState.Running, VmState.Stopped, VmState.Failed] as const;

/** Chimestack-docs Usage/limit.md. */
export const COMPUTE_LIMITS = {
  volumesPerVm: 128,
  nicsPerVm: 16,
} as const;

export interface CreateCdromRequest {
  bootable?: 0 | 1;
  host_uuid?: string;
  image_uuid: string;
  name: string;
  volume_spec_uuid: string;
}

export interface CreateVmRequest {
  az_uuid: string;
  cluster_uuid: string;
  name: string;
  description?: string;
  host_uuid?: string;
  instance_spec_uuid: string;
  nics: CreateNicRequest[];
  volumes: CreateVolumeRequest[];
  cdrom?: CreateCdromRequest;
  password?: string;
  vnc_password?: string;
}

export interface UpdateVmRequest {
  name?: string;
  description?: string;
}

export interface VmMigrateRequest {
  copy_local_snapshots?: boolean;
  merge_local_snapshots?: boolean;
  migrate_local_disks?: boolean;
  target_host_uuid?: string;
}

/** A VM's state on its stream (events, replay). */
export interface VmWire {
  uuid: string;
  name: string;
  description: string;
  user_uuid: string;
  az_uuid: string;
  cluster_uuid: string;
  host_uuid: string;
  last_host_uuid: string;
  instance_spec_uuid: string;
  image_uuid: string;
  vcpus: number;
  memory: number;
  state: VmState;
  boot_type: string;
  hyper_type: string;
  os_type: string;
  os_arch: string;
  os_detail: string;
  spec_type: number;
  /** The VM's volumes, in the order they were attached (the root first). */
  volume_uuids: string[];
  operation: string;
  last_operation_name: string;
  last_operation_state: OperationState;
  last_operation_created_at: string | null;
  last_operation_finished_at: string | null;
  created_at: string;
}

/** A VM as the API shows it (listVm, describeVm). */
export interface VmView extends Omit<VmWire, 'volume_uuids' | 'image_uuid' | 'last_host_uuid'> {
  host_name: string;
  host_ip: string;
  image_name: string;
  tags: null;
  nics: NicView[];
  volumes: VolumeView[];
  tasks: TaskView[];
}

export interface VmStatisticView {
  total: number;
  running: number;
  stopped: number;
  unavailable: number;
  failed: number;
  vcpus: number;
  memory: number;
}

/** getVmVnc's answer: where the VM's console is, and a one-time ticket for it. */
export interface VmVncView {
  host: string;
  port: number;
  ticket: string;
  expires_at: string;
}

export const VM_SORTABLE = ['name', 'state', 'vcpus', 'memory', 'created_at'] as const;
