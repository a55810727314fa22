import type { Schema } from '@chime/client';

/** A task as the agent receives it from its watch (the protocol's AgentTask). */
export type AgentTask = Schema<'AgentTask'>;

/** What the agent reports of its node in every heartbeat: its facts, its domains, and any problem. */
export type NodeReport = Schema<'AgentHeartbeatRequest'>;

/** How a task ended, as the agent reports it. */
export interface TaskOutcome {
  state: 1 | 2;
  message?: string;
  result?: Record<string, unknown>;
}

/**
 * A hypervisor backend: what the agent needs of a node. The agent speaks the protocol (enrolment,
 * heartbeats, the task watch, reports); a driver knows the node. `sim` (sim-driver.ts) keeps an
 * in-memory node; a libvirt driver would read the host and call libvirt, behind the same interface.
 *
 * `apply` must be idempotent by the task's `uuid`: after a restart the agent applies its unfinished
 * tasks again, and a task applied twice must have its effect once (a real driver checks the node's
 * actual state: the domain exists, the volume is there). A kind it does not implement fails.
 */
export interface Driver {
  /** For messages: "sim", "libvirt". */
  readonly name: string;
  /** The node's report for the next heartbeat. */
  report(): NodeReport;
  /** Does the task's work (`resource_type`/`operation` with its `payload`) and says how it ended. */
  apply(task: AgentTask): Promise<TaskOutcome>;
}

/** A task's kind: `host/create`, `volume/create`, `vm/start` … */
export const kindOf = (task: Pick<AgentTask, 'resource_type' | 'operation'>) => `${task.resource_type}/${task.operation}`;

/** The outcome of a kind the driver does not implement. */
export function unsupported(driver: string, task: AgentTask): TaskOutcome {
  return { state: 2, message: `${kindOf(task)} is not supported by the ${driver} driver` };
}
