/**
 * Instance specifications (ChimeStack's InstanceSpec family): the wire types of this module, shared
 * by its DTOs, views and events. Field names follow ChimeStack's published API.
 */

/** `0` shared resources, `1` dedicated resources. */
export enum InstanceSpecType {
  Shared = 0,
  Dedicated = 1,
}

/** `1` available: every spec is; ChimeStack reports it, and no operation changes it. */
export enum InstanceSpecState {
  Available = 1,
}

export interface InstanceSpecView {
  uuid: string;
  name: string;
  description: string;
  vcpus: number;
  /** Bytes. */
  memory: number;
  type: InstanceSpecType;
  state: InstanceSpecState;
  /** How many clusters the spec is registered in. */
  cluster_count: number;
  created_at: string;
}

export interface CreateInstanceSpecRequest {
  name: string;
  description?: string;
  vcpus: number;
  memory: number;
  type?: InstanceSpecType;
}

export type UpdateInstanceSpecRequest = Partial<CreateInstanceSpecRequest>;

export const INSTANCE_SPEC_SORTABLE = ['name', 'vcpus', 'memory', 'type', 'cluster_count', 'created_at'] as const;

/** A spec registered in a cluster, as listClusterInstanceSpecRelation lists it. */
export interface ClusterInstanceSpecView {
  cluster_uuid: string;
  instance_spec_uuid: string;
  instance_spec_name: string;
  vcpus: number;
  memory: number;
  /** When the spec was registered in the cluster. */
  created_at: string;
}

export interface CreateClusterInstanceSpecRequest {
  instance_spec_uuid: string;
}

/** The result of createClusterInstanceSpecRelation. */
export interface ClusterInstanceSpecRelationView {
  cluster_uuid: string;
  instance_spec_uuid: string;
  created_at: string;
}

export const CLUSTER_INSTANCE_SPEC_SORTABLE = ['name', 'vcpus', 'memory', 'created_at'] as const;

export const INSTANCE_SPEC_LIMITS = {
  /** Specs registered in one cluster. */
  specsPerCluster: 32,
  maxVcpus: 1024,
  /** 16 TiB: far below 2^53, so a JSON number carries it exactly. */
  maxMemory: 16 * 2 ** 40,
} as const;
