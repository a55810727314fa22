import { ChimeClient, normalizeEndpoint, type operations, type Schema } from '@chime/client';
import type { NodeReport, TaskOutcome } from './driver';

export type EnrolRequest = Schema<'EnrolAgentRequest'>;
export type AgentEnrolment = Schema<'AgentEnrolment'>;
export type AgentHeartbeat = Schema<'AgentHeartbeat'>;
export type AgentTaskPage = Schema<'AgentTaskPage'>;
export type TaskQuery = NonNullable<operations['listAgentTask']['parameters']['query']>;

/**
 * Who calls and until when: the agent's credential (none to enrol) and its stop signal, so that
 * a stopped agent's requests end at once (a held watch too) and nothing more is sent.
 */
export interface AgentCall {
  credential?: string;
  signal: AbortSignal;
}

/**
 * The four operations of the agent protocol (README, "The agent protocol"), as the agent needs
 * them. Failures are thrown as @chime/client's ChimeApiError (the server said no: `code`, `status`)
 * or ChimeConnectionError (no answer), which is what the agent decides its retries on. The
 * credential travels with each call, so one instance serves a whole fleet; the unit tests give the
 * agent a fake control plane instead (fake-control-plane.ts).
 */
export interface AgentApi {
  enrol(request: EnrolRequest, call: AgentCall): Promise<AgentEnrolment>;
  heartbeat(report: NodeReport, call: AgentCall): Promise<AgentHeartbeat>;
  /** With `wait`, the watch: held until a task is created or `wait` seconds have passed. */
  listTasks(query: TaskQuery, call: AgentCall): Promise<AgentTaskPage>;
  reportTask(taskUuid: string, outcome: TaskOutcome, call: AgentCall): Promise<void>;
}

/** Longer than the server may take over a held watch, so the client never gives up first. */
const WATCH_GRACE_MS = 30_000;

/** The protocol over the generated client: `http://host:8801`, the agent's credential as its token. */
export class ChimeAgentApi implements AgentApi {
  readonly endpoint: string;

  /** Throws a TypeError at once on an endpoint that is not an http(s) URL or host:port. */
  constructor(endpoint: string) {
    this.endpoint = normalizeEndpoint(endpoint);
  }

  async enrol(request: EnrolRequest, call: AgentCall): Promise<AgentEnrolment> {
    return (await this.client(call).call('enrolAgent', { body: request })).agent;
  }

  async heartbeat(report: NodeReport, call: AgentCall): Promise<AgentHeartbeat> {
    return (await this.client(call).call('agentHeartbeat', { body: report })).heartbeat;
  }

  listTasks(query: TaskQuery, call: AgentCall): Promise<AgentTaskPage> {
    const timeoutMs = (query.wait ?? 0) * 1000 + WATCH_GRACE_MS;
    return this.client(call, timeoutMs).call('listAgentTask', { params: { query } });
  }

  async reportTask(taskUuid: string, outcome: TaskOutcome, call: AgentCall): Promise<void> {
    await this.client(call).call('reportAgentTask', { params: { path: { TaskUuid: taskUuid } }, body: outcome });
  }

  /**
   * A client per call: the credential and the signal are the call's, so concurrent calls share no
   * state. It is cheap: it holds no connection (Node's fetch keeps one pool of keep-alive
   * connections per origin for the whole process, reused by every call of every agent).
   */
  private client({ credential, signal }: AgentCall, timeoutMs?: number): ChimeClient {
    return new ChimeClient({
      endpoint: this.endpoint,
      token: credential,
      timeoutMs,
      fetch: (request) => fetch(request, { signal: AbortSignal.any([request.signal, signal]) }),
    });
  }
}
