import type { AgentTask } from './driver';

/** The cluster a node joined, and the terms it joined on (the `host/create` payload). */
export interface Membership {
  az_uuid: string;
  cluster_uuid: string;
  cpu_ratio: number;
  memory_ratio: number;
  reserved_vcpus: number;
  reserved_memory: number;
}

/** A volume the simulated node holds, with its snapshots (uuid → the volume version each keeps). */
export interface SimVolume {
  size: number;
  format: string;
  install_path: string;
  version: number;
  snapshots: Map<string, number>;
}

/** An image in the node's image cache. */
export interface SimImage {
  size: number;
  checksum: string;
}

/** A VM (a libvirt domain) the simulated node runs. */
export interface SimDomain {
  vcpus: number;
  memory: number;
  running: boolean;
  /** Its disks by volume uuid → device (vda …). */
  disks: Map<string, string>;
  /** Its NICs by uuid → MAC. */
  nics: Map<string, string>;
  vncPort: number;
}

/** What the simulated node holds. */
export interface SimNode {
  membership?: Membership;
  volumes: Map<string, SimVolume>;
  images: Map<string, SimImage>;
  domains: Map<string, SimDomain>;
}

/** The work of one task kind on a simulated node: returns the task's result, or throws to fail it. */
export type Handler = (node: SimNode, task: AgentTask) => Record<string, unknown> | void;

/** A string field of a task's payload; throws (failing the task) when it is missing. */
export function text(task: AgentTask, field: string): string {
  const value = task.payload[field];
  if (typeof value !== 'string' || value === '') throw new Error(`payload without ${field}`);
  return value;
}

/** A number field of a task's payload; throws (failing the task) when it is missing. */
export function number(task: AgentTask, field: string): number {
  const value = task.payload[field];
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error(`payload without a number in ${field}`);
  return value;
}
