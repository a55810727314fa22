import type { TaskView } from '../hosts/task.port';
import type { NetworkType } from './network.contract';

/** `1` available (attached to no VM), `2` in use (attached to a VM), `0` while something is being done to it. */
export enum NicState {
  Busy = 0,
  Available = 1,
  InUse = 2,
}
export const NIC_STATES = [NicState.Busy, NicState.Available, NicState.InUse] as const;

/** A network interface as ChimeStack's listNic/getNic examples show it, plus its owner and security group. */
export interface NicView {
  uuid: string;
  name: string;
  description: string;
  user_uuid: string;
  subnet_uuid: string;
  subnet_name: string;
  /** The subnet's CIDR. */
  subnet_cidr: string;
  /** The bridge of the subnet's network (ChimeStack's example: "br1"). */
  network_name: string;
  network_type: NetworkType;
  ip: string;
  mac: string;
  netmask: string;
  gateway: string;
  primary: 0 | 1;
  /** The security group's uuid, `""` for none. */
  sg_uuid: string;
  state: NicState;
  operation: string;
  /** The VMs it is attached to, as the compute module shows them; `[]` until then. */
  attached_vms: object[];
  tasks: TaskView[];
  last_operation_name: string;
  last_operation_state: number;
  last_operation_created_at: string | null;
  last_operation_finished_at: string | null;
  created_at: string;
}

export interface CreateNicRequest {
  name: string;
  description?: string;
  /** An address of the subnet; the server picks a free one without it. */
  ip?: string;
  primary?: 0 | 1;
  /** A security group the caller may use; `""` or left out: none. */
  sg_uuid?: string;
  subnet_uuid: string;
}

export interface UpdateNicRequest {
  name?: string;
  description?: string;
}

export interface NicStatisticView {
  nics: number;
  busy: number;
  available: number;
  in_use: number;
}

/** What a node's agent needs to plug one NIC of a VM. */
export interface NicForAgent {
  uuid: string;
  mac: string;
  ip: string;
  netmask: string;
  gateway: string;
  primary: 0 | 1;
  /** The network's bridge on the host. */
  bridge: string;
  network_type: NetworkType;
  /** The VLAN id or VXLAN VNI; null on a classical network. */
  vlan_id: number | null;
  /** The NIC's security group with its rules, or null. */
  security_group: { uuid: string; name: string; ingress_rules: unknown[]; egress_rules: unknown[] } | null;
}

export const NIC_SORTABLE = ['name', 'state', 'created_at'] as const;
