import { randomUUID } from 'node:crypto';
import { ChimeApiError, ChimeConnectionError } from '@chime/client';
import type { ErrorStatus } from '@chime/contracts';
import type { AgentApi, AgentCall, AgentEnrolment, AgentHeartbeat, AgentTaskPage, EnrolRequest, TaskQuery } from './agent-api';
import type { AgentTask, NodeReport, TaskOutcome } from './driver';

type Operation = keyof AgentApi;

/** A request as the fake received it: which operation, from which node, with which credential. */
export interface ReceivedCall {
  operation: Operation;
  node: string | undefined;
  credential: string | undefined;
}

/** What the fake keeps of a node. */
export interface FakeNode {
  uuid: string;
  credential: string;
  enrolments: EnrolRequest[];
  reports: NodeReport[];
  /** Its tasks by number (`seq` = index + 1), as the server holds them. */
  tasks: AgentTask[];
  host?: AgentHeartbeat['host'];
}

/** How to fail the next request of an operation: before the server does anything, or after (the answer lost). */
interface Failure {
  error: Error;
  afterTheWork: boolean;
}

const DAY = '2026-01-01T00:00:00.000Z';

/**
 * A control plane in memory, for the agent's unit tests: the agent protocol as README "The agent
 * protocol" states it (credentials revoked by a new enrolment, tasks numbered per node, a watch
 * held until a task comes, a report taken once and the same report again harmless), with what
 * tests need on top: every request recorded, failures injected, wake-ups lost on purpose. The
 * real server is tested against the real agent in test/agent.e2e-spec.ts.
 */
export class FakeControlPlane implements AgentApi {
  readonly nodes = new Map<string, FakeNode>();
  readonly calls: ReceivedCall[] = [];
  /** Seconds, as the server says it; fractions keep the tests short. */
  heartbeatInterval = 0.05;
  /** The longest a watch is held here, whatever its `wait`. */
  maxHoldMs = 10_000;
  /** Enrolments being answered now, and the most at once (a fleet's start is bounded). */
  enrolling = 0;
  maxEnrolling = 0;
  /** Enrolments take this long (ms). */
  enrolDelayMs = 0;
  private readonly failures = new Map<Operation, Failure[]>();
  private readonly watchers = new Set<() => void>();

  constructor(readonly joinToken = 'join-token-of-the-fake-0123') {}

  /** The next requests of `operation` fail with these errors, in order. */
  failNext(operation: Operation, ...errors: Error[]): void {
    this.failures.set(operation, [
      ...(this.failures.get(operation) ?? []),
      ...errors.map((error) => ({ error, afterTheWork: false })),
    ]);
  }

  /** The next request of `operation` is carried out, but its answer never reaches the agent. */
  loseNextAnswer(operation: Operation): void {
    const error = new ChimeConnectionError('fake', 'the connection dropped before the answer');
    this.failures.set(operation, [...(this.failures.get(operation) ?? []), { error, afterTheWork: true }]);
  }

  /** A task for a node, numbered next; held watches learn of it unless `wake` is false (a lost wake-up). */
  addTask(node: string, kind: { resource_type: string; operation: string; payload?: Record<string, unknown> }, wake = true) {
    const tasks = this.node(node).tasks;
    const task: AgentTask = {
      uuid: randomUUID(),
      seq: tasks.length + 1,
      request_id: randomUUID(),
      resource_type: kind.resource_type,
      resource_uuid: node,
      operation: kind.operation,
      description: '',
      payload: kind.payload ?? {},
      state: 0,
      message: '',
      created_at: DAY,
      deadline_at: DAY,
      finished_at: null,
    };
    tasks.push(task);
    if (wake) this.wakeWatchers();
    return task;
  }

  /** Adopts the node into a cluster, as createHost does: its heartbeat shows the host, its agent gets `host/create`. */
  adopt(node: string, cluster = { az_uuid: randomUUID(), cluster_uuid: randomUUID() }): AgentTask {
    this.node(node).host = { uuid: node, ...cluster, state: 1 };
    const payload = { ...cluster, cpu_ratio: 2, memory_ratio: 1, reserved_vcpus: 1, reserved_memory: 0 };
    return this.addTask(node, { resource_type: 'host', operation: 'create', payload });
  }

  /** Revokes the node's credential, as deleteHost does: its agent's next request is 401. */
  revoke(node: string): void {
    this.node(node).credential = '';
  }

  /** Ends a running task as the server itself does (a timeout). */
  settle(task: AgentTask, outcome: TaskOutcome): void {
    Object.assign(task, { state: outcome.state, message: outcome.message ?? '', finished_at: DAY });
  }

  task(uuid: string): AgentTask | undefined {
    for (const node of this.nodes.values()) {
      const task = node.tasks.find((t) => t.uuid === uuid);
      if (task) return task;
    }
    return undefined;
  }

  callsOf(operation: Operation, node?: string): ReceivedCall[] {
    return this.calls.filter((c) => c.operation === operation && (node === undefined || c.node === node));
  }

  async enrol(request: EnrolRequest, call: AgentCall): Promise<AgentEnrolment> {
    this.enrolling++;
    this.maxEnrolling = Math.max(this.maxEnrolling, this.enrolling);
    try {
      if (this.enrolDelayMs) await new Promise((resolve) => setTimeout(resolve, this.enrolDelayMs));
      return await this.answer('enrol', call, request.uuid, () => {
        if (request.join_token !== this.joinToken) throw apiError(401, 'UNAUTHENTICATED', 'the join token is not valid');
        const node = this.nodes.get(request.uuid) ?? {
          uuid: request.uuid,
          credential: '',
          enrolments: [],
          reports: [],
          tasks: [],
        };
        this.nodes.set(node.uuid, node);
        node.enrolments.push(request);
        node.credential = `credential-${randomUUID()}`; // the previous one is revoked
        return {
          client_uuid: node.uuid,
          credential: node.credential,
          heartbeat_interval: this.heartbeatInterval,
          heartbeat_misses: 3,
        };
      });
    } finally {
      this.enrolling--;
    }
  }

  heartbeat(report: NodeReport, call: AgentCall): Promise<AgentHeartbeat> {
    return this.answer('heartbeat', call, this.nodeOf(call)?.uuid, () => {
      const node = this.authenticate(call);
      node.reports.push(report);
      return {
        client_uuid: node.uuid,
        monitor_state: report.error ? 2 : 1,
        heartbeat_interval: this.heartbeatInterval,
        heartbeat_misses: 3,
        task_head: node.tasks.length,
        ...(node.host && { host: node.host }),
      };
    });
  }

  async listTasks(query: TaskQuery, call: AgentCall): Promise<AgentTaskPage> {
    const page = () => {
      const node = this.authenticate(call);
      const after = query.after ?? 0;
      const elements = node.tasks
        .filter((t) => t.seq > after && (query.state === undefined || t.state === query.state))
        .slice(0, query.limit ?? 100)
        .map((t) => structuredClone(t));
      return { elements, size: elements.length, next: elements.at(-1)?.seq ?? after, head: node.tasks.length };
    };
    const first = await this.answer('listTasks', call, this.nodeOf(call)?.uuid, page);
    if (first.size > 0 || !query.wait) return first;
    await this.hold(Math.min(query.wait * 1000, this.maxHoldMs), call.signal);
    return page();
  }

  reportTask(taskUuid: string, outcome: TaskOutcome, call: AgentCall): Promise<void> {
    return this.answer('reportTask', call, this.nodeOf(call)?.uuid, () => {
      const node = this.authenticate(call);
      const task = node.tasks.find((t) => t.uuid === taskUuid);
      if (!task) throw apiError(404, 'NOT_FOUND', `task ${taskUuid} not found`);
      if (task.state === 0) this.settle(task, outcome);
      else if (task.state !== outcome.state || (outcome.state === 2 && task.message !== (outcome.message ?? ''))) {
        throw apiError(400, 'FAILED_PRECONDITION', `task ${taskUuid} has ended already (state ${task.state})`);
      }
    });
  }

  /** Records the request (unless its agent stopped: a fetch with an aborted signal sends nothing), then answers it. */
  private async answer<T>(operation: Operation, call: AgentCall, node: string | undefined, work: () => T): Promise<T> {
    if (call.signal.aborted) throw new ChimeConnectionError('fake', 'aborted before it was sent');
    this.calls.push({ operation, node, credential: call.credential });
    await Promise.resolve(); // answers arrive later than requests leave, as over a network
    const failure = this.failures.get(operation)?.shift();
    if (failure && !failure.afterTheWork) throw failure.error;
    const result = work();
    if (failure) throw failure.error;
    return result;
  }

  private node(uuid: string): FakeNode {
    const node = this.nodes.get(uuid);
    if (!node) throw new Error(`no node ${uuid} enrolled`);
    return node;
  }

  private nodeOf(call: AgentCall): FakeNode | undefined {
    return [...this.nodes.values()].find((n) => n.credential !== '' && n.credential === call.credential);
  }

  private authenticate(call: AgentCall): FakeNode {
    const node = this.nodeOf(call);
    if (!node) throw apiError(401, 'UNAUTHENTICATED', 'the credential is not valid');
    return node;
  }

  /** Until a task is added, `ms` pass, or the caller aborts (then the request fails, as fetch's does). */
  private hold(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer);
        this.watchers.delete(wake);
        signal.removeEventListener('abort', aborted);
      };
      const wake = () => (done(), resolve());
      const aborted = () => (done(), reject(new ChimeConnectionError('fake', 'the request was aborted')));
      const timer = setTimeout(wake, ms);
      this.watchers.add(wake);
      signal.addEventListener('abort', aborted, { once: true });
    });
  }

  private wakeWatchers(): void {
    for (const wake of [...this.watchers]) wake();
  }
}

export const apiError = (code: number, status: ErrorStatus, message: string) =>
  new ChimeApiError(code, status, message, randomUUID());
