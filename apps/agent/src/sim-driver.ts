import { type AgentTask, type Driver, kindOf, type NodeReport, type TaskOutcome, unsupported } from './driver';
import { COMPUTE_HANDLERS } from './sim-compute';
import { IMAGE_HANDLERS } from './sim-images';
import type { Handler, Membership, SimNode } from './sim-node';
import { STORAGE_HANDLERS } from './sim-storage';

export type { Membership, SimNode } from './sim-node';

export interface SimNodeOptions {
  name: string;
  vcpus: number;
  /** Bytes. */
  memory: number;
  rack?: string;
  /** The management address (default 127.0.0.1); the others are left out unless given. */
  manageIp?: string;
  nodeIp?: string;
  storageIp?: string;
  reservedIp1?: string;
  reservedIp2?: string;
  /** How long each task takes, in milliseconds. */
  latencyMs?: number;
  /** Kinds whose tasks fail (`host/create` …), for tests. */
  fail?: Iterable<string>;
  /** The share of all tasks that fail at random (0–1), drawn from `seed`. */
  failureRate?: number;
  seed?: number;
}

/** Host kinds of the sim driver. */
const HOST_HANDLERS: Record<string, Handler> = {
  /** The node joins a cluster as a host, on the terms of the adoption. */
  'host/create': (node, task) => {
    const { az_uuid, cluster_uuid, cpu_ratio, memory_ratio, reserved_vcpus, reserved_memory } = task.payload;
    if (typeof cluster_uuid !== 'string' || typeof az_uuid !== 'string') {
      throw new Error('payload without az_uuid and cluster_uuid');
    }
    const numbers = { cpu_ratio, memory_ratio, reserved_vcpus, reserved_memory };
    const wrong = Object.entries(numbers).find(([, value]) => typeof value !== 'number');
    if (wrong) throw new Error(`payload without a number in ${wrong[0]}`);
    node.membership = { az_uuid, cluster_uuid, ...(numbers as Omit<Membership, 'az_uuid' | 'cluster_uuid'>) };
    return { cluster_uuid };
  },
};

/**
 * The task kinds the sim driver implements, by `resource_type/operation`: each family keeps its
 * kinds in its own file (sim-storage.ts, sim-images.ts …); the agent does not change.
 */
const HANDLERS: Record<string, Handler> = { ...HOST_HANDLERS, ...STORAGE_HANDLERS, ...IMAGE_HANDLERS, ...COMPUTE_HANDLERS };

/**
 * An in-memory hypervisor: a node with the capacity it is given, no domains of its own, and the
 * task kinds of HANDLERS. Each task is applied once by its uuid (again: the same outcome); latency
 * and failures can be injected for tests.
 */
export class SimDriver implements Driver {
  readonly name = 'sim';
  readonly node: SimNode = { volumes: new Map(), images: new Map(), domains: new Map() };
  private readonly applied = new Map<string, Promise<TaskOutcome>>();
  private readonly failing: Set<string>;
  private random: () => number;
  private error = '';
  /** How many times each task's work was done (tests: a task is applied once). */
  readonly workDone = new Map<string, number>();

  constructor(private readonly options: SimNodeOptions) {
    this.failing = new Set(options.fail ?? []);
    this.random = mulberry32(options.seed ?? 1);
  }

  report(): NodeReport {
    return {
      name: this.options.name,
      rack_name: this.options.rack ?? '',
      manage_ip: this.options.manageIp ?? '127.0.0.1',
      node_ip: this.options.nodeIp,
      storage_ip: this.options.storageIp,
      reserved_ip1: this.options.reservedIp1,
      reserved_ip2: this.options.reservedIp2,
      physical_vcpus: this.options.vcpus,
      physical_memory: this.options.memory,
      ...this.domainUsage(),
      error: this.error,
    };
  }

  /** Its domains and what they use, all of them and the running ones. */
  private domainUsage() {
    const domains = [...this.node.domains.values()];
    const active = domains.filter((domain) => domain.running);
    const sum = (list: typeof domains, key: 'vcpus' | 'memory') => list.reduce((total, domain) => total + domain[key], 0);
    return {
      domains: domains.length,
      active_domains: active.length,
      used_vcpus: sum(domains, 'vcpus'),
      used_memory: sum(domains, 'memory'),
      active_used_vcpus: sum(active, 'vcpus'),
      active_used_memory: sum(active, 'memory'),
    };
  }

  /** What the node reports wrong from now on ("" for nothing): its monitor state becomes error. */
  setError(message: string): void {
    this.error = message;
  }

  apply(task: AgentTask): Promise<TaskOutcome> {
    let outcome = this.applied.get(task.uuid);
    if (!outcome) {
      outcome = this.work(task);
      this.applied.set(task.uuid, outcome);
    }
    return outcome;
  }

  private async work(task: AgentTask): Promise<TaskOutcome> {
    if (this.options.latencyMs) await new Promise((resolve) => setTimeout(resolve, this.options.latencyMs));
    const kind = kindOf(task);
    const handler = HANDLERS[kind];
    if (!handler) return unsupported(this.name, task);
    if (this.failing.has(kind) || this.random() < (this.options.failureRate ?? 0)) {
      return { state: 2, message: `${kind} failed on purpose (sim driver failure injection)` };
    }
    this.workDone.set(task.uuid, (this.workDone.get(task.uuid) ?? 0) + 1);
    try {
      const result = handler(this.node, task);
      return result ? { state: 1, result } : { state: 1 };
    } catch (error) {
      return { state: 2, message: `${kind}: ${(error as Error).message}` };
    }
  }
}

/** A small seeded random number generator (mulberry32): failures drawn the same way on every run. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
