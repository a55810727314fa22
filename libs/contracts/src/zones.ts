/** Availability zones and clusters (API.md §4, §5). */

/** `1` enabled, `0` disabled. */
export enum State {
  Disabled = 0,
  Enabled = 1,
}

export interface AzView {
  uuid: string;
  name: string;
  description: string;
  parent: string;
  state: State;
  created_at: string;
}

export interface CreateAzRequest {
  name: string;
  description?: string;
  parent?: string;
}

export interface UpdateAzRequest {
  name?: string;
  description?: string;
}

export interface ListAzFilters {
  /** Case-insensitive substring of the name. */
  name?: string;
  state?: State;
}

export const AZ_SORTABLE = ['name', 'state', 'created_at'] as const;
export type AzSortField = (typeof AZ_SORTABLE)[number];

/** `0` hyper-converged, `1` compute only, `2` storage only. */
export enum ClusterType {
  HyperConverged = 0,
  ComputeOnly = 1,
  StorageOnly = 2,
}

export interface ClusterView {
  uuid: string;
  name: string;
  description: string;
  arch: string;
  hypervisor_type: string;
  type: ClusterType;
  state: State;
  az_uuid: string;
  az_name: string;
  created_at: string;
}

export interface CreateClusterRequest {
  name: string;
  description?: string;
  arch?: string;
  hypervisor_type?: string;
  type?: ClusterType;
}

export type UpdateClusterRequest = Partial<CreateClusterRequest>;

export interface ListClusterFilters {
  /** Case-insensitive substring of the name. */
  name?: string;
  state?: State;
  type?: ClusterType;
  hypervisor_type?: string;
  arch?: string;
}

export const CLUSTER_SORTABLE = ['name', 'state', 'type', 'created_at'] as const;
export type ClusterSortField = (typeof CLUSTER_SORTABLE)[number];

/** Platform limits (API.md §5). */
export const LIMITS = { availabilityZones: 32, clustersPerAz: 32 } as const;
