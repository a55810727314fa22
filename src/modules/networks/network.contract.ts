import type { State } from '@chime/contracts';

/** `0` classical (the bridge holds the interface itself), `1` VLAN, `2` VXLAN. */
export enum NetworkType {
  Classical = 0,
  Vlan = 1,
  Vxlan = 2,
}

/** A subnet's type is its IP version: `0` IPv4, `1` IPv6 (derived from its CIDR). */
export enum SubnetType {
  Ipv4 = 0,
  Ipv6 = 1,
}

export interface NetworkView {
  uuid: string;
  name: string;
  description: string;
  bridge_name: string;
  interface_name: string;
  type: NetworkType;
  /** As ChimeStack shows it, a string: the VLAN id (type 1) or VXLAN VNI (type 2) in decimal, `""` for a classical network. */
  vlan_id: string;
  state: State;
  az_uuid: string;
  cluster_uuid: string;
  cluster_name: string;
  created_at: string;
}

export interface CreateNetworkRequest {
  name: string;
  bridge_name: string;
  interface_name: string;
  type?: NetworkType;
  /** Required for VLAN (1–4094) and VXLAN (the VNI, 1–16777215) networks; left out for classical ones. */
  vlan_id?: number;
  description?: string;
}

export interface UpdateNetworkRequest {
  name?: string;
  description?: string;
}

export interface SubnetView {
  uuid: string;
  name: string;
  description: string;
  cidr: string;
  gateway: string;
  reserved_ips: string;
  type: SubnetType;
  state: State;
  network_uuid: string;
  network_name: string;
  created_at: string;
}

export interface CreateSubnetRequest {
  name: string;
  cidr: string;
  gateway?: string;
  reserved_ips?: string;
  description?: string;
}

export type UpdateSubnetRequest = Partial<CreateSubnetRequest>;

export const NETWORK_SORTABLE = ['name', 'state', 'type', 'created_at'] as const;
export const SUBNET_SORTABLE = ['name', 'state', 'type', 'created_at'] as const;

/** The largest VLAN id (802.1Q; 0 and 4095 are reserved) and the largest VXLAN network identifier (24 bits). */
export const MAX_VLAN_ID = 4094;
export const MAX_VNI = 16_777_215;

/** Platform limits of this module, held under concurrency by locking the parent row, then counting. */
export const NETWORK_LIMITS = { networksPerCluster: 32, subnetsPerNetwork: 32 } as const;
