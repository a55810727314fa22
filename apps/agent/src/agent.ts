import { randomUUID } from 'node:crypto';
import { ChimeApiError, ChimeClient } from '@chime/client';
import type { AgentTask, Driver, TaskOutcome } from './driver';
import { kindOf } from './driver';

/** What an agent keeps across restarts: its node's uuid, its credential, and its watch's cursor. */
export interface AgentState {
  uuid: string;
  credential?: string;
  cursor: number;
}

export interface AgentOptions {
  /** The API endpoint, e.g. http://127.0.0.1:8801. */
  server: string;
  /** The server's CHIME_AGENT_JOIN_TOKEN: needed to enrol, and to enrol again after a revocation. */
  joinToken?: string;
  driver: Driver;
  /** Where it starts from (a restart: the saved state); a new node by default. */
  state?: AgentState;
  /** Called with the state whenever it changes, to save it. */
  saveState?(state: AgentState): void;
  /** One line per thing worth knowing. */
  log?(line: string): void;
  /** How long a watch is held, in seconds (the server allows up to 300). */
  watchWait?: number;
  /** Sends the first heartbeat at a random moment within the interval (a fleet does not beat in lockstep). */
  spreadFirstBeat?: boolean;
}

/** What an agent has done, for the fleet simulator's figures and the tests. */
export interface AgentStats {
  heartbeats: number;
  heartbeatFailures: number;
  /** Milliseconds each successful heartbeat took, request to answer. */
  heartbeatLatencies: number[];
  enrolments: number;
  tasksSucceeded: number;
  tasksFailed: number;
}

const MAX_BACKOFF_MS = 15_000;
const PENDING_PAGE = 100;
/** Heartbeat latencies kept per agent (the latest). */
const MAX_SAMPLES = 1000;

/**
 * The node agent: a client of the API with a credential of its own (README, "The agent protocol").
 * It enrols with the join token, beats every `heartbeat_interval` seconds with its driver's report,
 * and watches its node's tasks from a cursor: each task goes to the driver, its outcome back to the
 * server, retried until the server has it. After a restart, a lost connection or a revoked
 * credential (it enrols again) it first applies its unfinished tasks again, then watches on; the
 * driver applies each task once. stop() ends every loop and sends nothing more.
 */
export class Agent {
  readonly stats: AgentStats = {
    heartbeats: 0,
    heartbeatFailures: 0,
    heartbeatLatencies: [],
    enrolments: 0,
    tasksSucceeded: 0,
    tasksFailed: 0,
  };
  readonly state: AgentState;
  private readonly client: ChimeClient;
  private readonly watchClient: ChimeClient;
  private readonly stopped = new AbortController();
  private watchAbort = new AbortController();
  private readonly inFlight = new Set<string>();
  private readonly work = new Set<Promise<void>>();
  private loops: Promise<void>[] = [];
  private enrolling: Promise<void> | undefined;
  private needResume = true;
  private interval = 15;

  constructor(private readonly options: AgentOptions) {
    this.state = options.state ?? { uuid: randomUUID(), cursor: 0 };
    const watchWait = options.watchWait ?? 120;
    const stopped = this.stopped.signal;
    // Every request ends when the agent stops; a watch also when the heartbeat says it missed a task.
    this.client = new ChimeClient({
      endpoint: options.server,
      token: this.state.credential,
      fetch: (request) => fetch(request, { signal: AbortSignal.any([request.signal, stopped]) }),
    });
    this.watchClient = new ChimeClient({
      endpoint: options.server,
      token: this.state.credential,
      timeoutMs: (watchWait + 30) * 1000,
      fetch: (request) => fetch(request, { signal: AbortSignal.any([request.signal, stopped, this.watchAbort.signal]) }),
    });
  }

  get name(): string {
    return this.options.driver.report().name;
  }

  get running(): boolean {
    return !this.stopped.signal.aborted;
  }

  /** Enrols (unless it holds a credential), then beats and watches until stop(). */
  async start(): Promise<void> {
    if (!this.state.credential) await this.enrol();
    this.loops = [this.beatLoop(), this.watchLoop()];
  }

  /** Ends every loop at once: no request is sent after it resolves (the node falls silent). */
  async stop(): Promise<void> {
    this.stopped.abort();
    await Promise.allSettled([...this.loops, ...this.work]);
  }

  private log(line: string): void {
    this.options.log?.(`${this.name}: ${line}`);
  }

  private setCredential(credential: string | undefined): void {
    this.state.credential = credential;
    this.client.token = credential;
    this.watchClient.token = credential;
    this.options.saveState?.(this.state);
  }

  /** Enrols, or enrols again (a revoked credential); concurrent callers share one attempt. */
  private enrol(): Promise<void> {
    this.enrolling ??= (async () => {
      const { joinToken } = this.options;
      if (joinToken === undefined) throw new Error('the credential is not valid and no join token was given: cannot enrol');
      for (let backoff = 1000; this.running; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
        try {
          // The node's facts from its report (its domains and problems are the heartbeat's).
          const { name, rack_name, manage_ip, node_ip, storage_ip, reserved_ip1, reserved_ip2, physical_vcpus, physical_memory } =
            this.options.driver.report();
          const facts = {
            name,
            rack_name,
            manage_ip,
            node_ip,
            storage_ip,
            reserved_ip1,
            reserved_ip2,
            physical_vcpus,
            physical_memory,
          };
          const { agent } = await this.client.call('enrolAgent', {
            body: { ...facts, uuid: this.state.uuid, join_token: joinToken },
          });
          this.interval = agent.heartbeat_interval;
          this.stats.enrolments++;
          this.needResume = true;
          this.setCredential(agent.credential);
          this.log(`enrolled as client ${agent.client_uuid}`);
          return;
        } catch (error) {
          if (!this.running) return;
          if (error instanceof ChimeApiError && error.code < 500)
            throw new Error(`enrolment refused: ${error.message}`, { cause: error });
          this.log(`cannot enrol yet (${(error as Error).message}); trying again in ${backoff / 1000} s`);
          await this.sleep(backoff);
        }
      }
    })().finally(() => (this.enrolling = undefined));
    return this.enrolling;
  }

  /** 401 anywhere: the credential was revoked (the host deleted) or replaced; enrol again. */
  private async recover(error: unknown): Promise<boolean> {
    if (error instanceof ChimeApiError && error.code === 401) {
      this.log('credential refused; enrolling again');
      await this.enrol();
      return true;
    }
    return false;
  }

  private async beatLoop(): Promise<void> {
    if (this.options.spreadFirstBeat) await this.sleep(Math.random() * this.interval * 1000);
    while (this.running) {
      const started = performance.now();
      try {
        const { heartbeat } = await this.client.call('agentHeartbeat', { body: this.options.driver.report() });
        this.stats.heartbeats++;
        this.stats.heartbeatLatencies.push(performance.now() - started);
        if (this.stats.heartbeatLatencies.length > MAX_SAMPLES) this.stats.heartbeatLatencies.shift();
        this.interval = heartbeat.heartbeat_interval;
        // A task numbered past the cursor that no watch brought (its connection lost): read now.
        if (heartbeat.task_head > this.state.cursor && this.inFlight.size === 0) this.watchAbort.abort();
      } catch (error) {
        if (!this.running) return;
        this.stats.heartbeatFailures++;
        if (!(await this.recover(error).catch(() => false))) this.log(`heartbeat failed: ${(error as Error).message}`);
      }
      await this.sleep(this.interval * 1000 - (performance.now() - started));
    }
  }

  private async watchLoop(): Promise<void> {
    let backoff = 1000;
    while (this.running) {
      try {
        if (this.needResume) await this.resume();
        const page = await this.watchClient.call('listAgentTask', {
          params: { query: { after: this.state.cursor, wait: this.options.watchWait ?? 120, limit: PENDING_PAGE } },
        });
        page.elements.forEach((task) => this.run(task));
        this.advance(page.next);
        backoff = 1000;
      } catch (error) {
        if (!this.running) return;
        if (this.watchAbort.signal.aborted) {
          this.watchAbort = new AbortController(); // the heartbeat asked for a fresh read
          continue;
        }
        if (await this.recover(error).catch(() => false)) continue;
        this.log(`watch failed (${(error as Error).message}); again in ${backoff / 1000} s`);
        this.needResume = true;
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, MAX_BACKOFF_MS);
      }
    }
  }

  /** After a (re)start, a lost connection or an enrolment: the unfinished tasks again, then the watch from the head. */
  private async resume(): Promise<void> {
    let after = 0;
    let head: number;
    for (;;) {
      const page = await this.client.call('listAgentTask', { params: { query: { after, state: 0, limit: PENDING_PAGE } } });
      page.elements.forEach((task) => this.run(task));
      head = page.head;
      if (page.size < PENDING_PAGE) break;
      after = page.next;
    }
    this.needResume = false;
    // Every task up to the head is finished or among those just taken up.
    this.advance(head);
  }

  private advance(cursor: number): void {
    if (cursor === this.state.cursor) return;
    this.state.cursor = Math.max(this.state.cursor, cursor);
    this.options.saveState?.(this.state);
  }

  /** Applies a task through the driver and reports its outcome; a task already in hand is not taken twice. */
  private run(task: AgentTask): void {
    if (this.inFlight.has(task.uuid) || task.state !== 0) return;
    this.inFlight.add(task.uuid);
    const work = (async () => {
      const outcome = await this.options.driver.apply(task).catch((error: unknown): TaskOutcome => ({
        state: 2,
        message: `the ${this.options.driver.name} driver failed: ${(error as Error).message}`,
      }));
      await this.report(task, outcome);
    })().finally(() => {
      this.inFlight.delete(task.uuid);
      this.work.delete(work);
    });
    this.work.add(work);
  }

  private async report(task: AgentTask, outcome: TaskOutcome): Promise<void> {
    for (let backoff = 1000; this.running; backoff = Math.min(backoff * 2, MAX_BACKOFF_MS)) {
      try {
        await this.client.call('reportAgentTask', { params: { path: { TaskUuid: task.uuid } }, body: outcome });
        if (outcome.state === 1) this.stats.tasksSucceeded++;
        else this.stats.tasksFailed++;
        this.log(`${kindOf(task)} task ${task.uuid} ${outcome.state === 1 ? 'succeeded' : `failed: ${outcome.message ?? ''}`}`);
        return;
      } catch (error) {
        if (!this.running) return;
        if (error instanceof ChimeApiError && (error.code === 400 || error.code === 404)) {
          this.log(`task ${task.uuid}: the server keeps its own outcome (${error.message})`);
          return;
        }
        if (await this.recover(error).catch(() => false)) continue;
        await this.sleep(backoff);
      }
    }
  }

  /** Sleeps, unless the agent stops first. */
  private sleep(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stopped.signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.stopped.signal.addEventListener('abort', done);
    });
  }
}
