import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ChimeApiError, ChimeConnectionError } from '@chime/client';
import { type AgentApi, type AgentCall, type AgentHeartbeat, type AgentTaskPage, ChimeAgentApi } from './agent-api';
import { type AgentTask, type Driver, kindOf, type NodeReport, type TaskOutcome } from './driver';

/** What an agent keeps across restarts: its node's uuid, its credential, and its watch's cursor. */
export interface AgentState {
  uuid: string;
  credential?: string;
  cursor: number;
}

export interface AgentOptions {
  /** The API endpoint, e.g. http://127.0.0.1:8801, spoken to through @chime/client; or give `api`. */
  server?: string;
  /** The protocol itself, instead of `server`: a fleet shares one, unit tests pass a fake control plane. */
  api?: AgentApi;
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
  /** Retries after a failure wait `firstMs`, doubled each time up to `maxMs` (default 1 s … 15 s), ±25 %. */
  backoff?: { firstMs: number; maxMs: number };
}

/** What an agent has done, for the fleet simulator's figures and the tests. */
export interface AgentStats {
  heartbeats: number;
  heartbeatFailures: number;
  /** Milliseconds each successful heartbeat took, request to answer (the latest MAX_SAMPLES). */
  heartbeatLatencies: number[];
  enrolments: number;
  /** Outcomes the server took from this agent. */
  tasksSucceeded: number;
  tasksFailed: number;
  /** Requests of any kind that failed (refused or unanswered). */
  errors: number;
}

const DEFAULT_WATCH_WAIT = 120;
const MAX_WATCH_WAIT = 300;
const DEFAULT_BACKOFF = { firstMs: 1000, maxMs: 15_000 };
const PAGE = 100;
const MAX_SAMPLES = 1000;

/**
 * The node agent: a client of the API with a credential of its own (README, "The agent protocol").
 * It enrols with the join token, beats every `heartbeat_interval` seconds with its driver's report,
 * and watches its node's tasks from a cursor: each task goes to the driver, its outcome back to the
 * server, retried until the server has it. After a (re)start, a lost watch or an enrolment it first
 * takes up its unfinished tasks again, then watches on; the driver applies each task once. A 401
 * anywhere (its host deleted, or it enrolled elsewhere) makes it enrol again. stop() ends every
 * loop and every request at once; nothing is sent after it, as with a node that died.
 */
export class Agent {
  readonly stats: AgentStats = {
    heartbeats: 0,
    heartbeatFailures: 0,
    heartbeatLatencies: [],
    enrolments: 0,
    tasksSucceeded: 0,
    tasksFailed: 0,
    errors: 0,
  };
  readonly state: AgentState;
  private readonly api: AgentApi;
  private readonly driver: Driver;
  private readonly stopped = new AbortController();
  /** The watch being held, to end it early: the heartbeat saw a task it missed, or the agent enrolled again. */
  private heldWatch: AbortController | undefined;
  /** Tasks being applied or reported: a task is never in hand twice at once. */
  private readonly inFlight = new Set<string>();
  private readonly work = new Set<Promise<void>>();
  private loops: Promise<void>[] = [];
  private started = false;
  private enrolling: Promise<void> | undefined;
  /** A resume is due while `resumeAsked` is ahead of `resumed` (asked again during one: once more). */
  private resumeAsked = 1;
  private resumed = 0;
  private interval = 15;
  /** What the last heartbeat said of adoption (`null` before the first), and the last failure logged. */
  private adoptedAs: string | null | undefined = null;
  private lastBeatFailure = '';

  constructor(private readonly options: AgentOptions) {
    this.state = options.state ?? { uuid: randomUUID(), cursor: 0 };
    this.driver = options.driver;
    // Every request and every task in hand listens to the stop signal until it ends (untilStopped):
    // as many listeners as the node has tasks at once, each removed with its task. Not a leak, so
    // Node's warning past 10 listeners (MaxListenersExceededWarning) does not apply.
    setMaxListeners(0, this.stopped.signal);
    if (options.api) this.api = options.api;
    else if (options.server) this.api = new ChimeAgentApi(options.server);
    else throw new TypeError('an agent needs a server endpoint or an api');
    // A watch that is not held is answered at once: the loop would send request after request.
    const wait = options.watchWait ?? DEFAULT_WATCH_WAIT;
    if (!(wait >= 1 && wait <= MAX_WATCH_WAIT)) throw new RangeError(`watchWait must be 1 to ${MAX_WATCH_WAIT} seconds`);
  }

  get name(): string {
    return this.driver.report().name;
  }

  get running(): boolean {
    return !this.stopped.signal.aborted;
  }

  /** Enrols (unless it holds a credential), then beats and watches until stop(). */
  async start(): Promise<void> {
    if (this.started) throw new Error('an agent starts once; make a new one with the same state to restart');
    this.started = true;
    if (!this.state.credential) await this.enrol();
    this.loops = [this.beatLoop(), this.watchLoop()];
  }

  /** Ends every loop and request at once: nothing is sent once it was called (the node falls silent). */
  async stop(): Promise<void> {
    this.stopped.abort();
    await Promise.allSettled([...this.loops, ...this.work, this.enrolling]);
  }

  private log(line: string): void {
    this.options.log?.(`${this.name}: ${line}`);
  }

  /** Every request carries the credential of the moment and ends when the agent stops. */
  private call(signal = this.stopped.signal): AgentCall {
    return { credential: this.state.credential, signal };
  }

  /** Enrols, or enrols again; concurrent callers share one attempt, retried until it is answered. */
  private enrol(): Promise<void> {
    this.enrolling ??= this.enrolUntilAnswered().finally(() => (this.enrolling = undefined));
    return this.enrolling;
  }

  private async enrolUntilAnswered(): Promise<void> {
    const { joinToken } = this.options;
    if (joinToken === undefined) throw new Error('no join token was given: cannot enrol');
    for (let failures = 0; this.running; failures++) {
      try {
        const body = { ...nodeFacts(this.driver.report()), uuid: this.state.uuid, join_token: joinToken };
        const agent = await this.api.enrol(body, { signal: this.stopped.signal });
        this.stats.enrolments++;
        this.interval = agent.heartbeat_interval;
        this.state.credential = agent.credential;
        this.options.saveState?.(this.state);
        // Tasks may have failed meanwhile (a deleted host's do): take up the unfinished ones afresh.
        this.askResume();
        this.heldWatch?.abort();
        this.log(`enrolled as node ${this.state.uuid}; heartbeat every ${agent.heartbeat_interval} s`);
        return;
      } catch (error) {
        if (!this.running) return;
        this.stats.errors++;
        if (error instanceof ChimeApiError && error.code < 500 && error.code !== 429) {
          throw new Error(`enrolment refused: ${error.message}`, { cause: error });
        }
        const delay = this.backoff(failures);
        this.log(`cannot enrol yet (${messageOf(error)}); trying again in ${seconds(delay)}`);
        await this.sleep(delay);
      }
    }
  }

  /**
   * After a 401: the credential was revoked (the host deleted) or replaced (enrolled elsewhere), so
   * enrol again, unless another loop already did since `used` was sent (enrolling again then would
   * revoke the new credential, and the loops would take turns revoking each other's). True: retry.
   */
  private async recover(error: unknown, used: string | undefined): Promise<boolean> {
    if (!(error instanceof ChimeApiError && error.code === 401)) return false;
    if (used !== this.state.credential) return true;
    if (!this.enrolling) this.log(`credential refused (${error.message}); enrolling again`);
    try {
      await this.enrol();
      return this.running;
    } catch (refused) {
      this.log(`cannot enrol again: ${messageOf(refused)}`);
      return false;
    }
  }

  private async beatLoop(): Promise<void> {
    if (this.options.spreadFirstBeat) await this.sleep(Math.random() * this.interval * 1000);
    while (this.running) {
      const started = performance.now();
      await this.beat();
      await this.sleep(this.interval * 1000 - (performance.now() - started));
    }
  }

  private async beat(): Promise<void> {
    const started = performance.now();
    const credential = this.state.credential;
    let heartbeat: AgentHeartbeat;
    try {
      heartbeat = await this.api.heartbeat(this.driver.report(), this.call());
    } catch (error) {
      if (!this.running) return;
      this.stats.heartbeatFailures++;
      this.stats.errors++;
      if (await this.recover(error, credential)) return;
      // The held watch is likely on a dead connection, or on a server on its way down that no
      // longer answers: end it; the watch loop resumes once the server answers again.
      if (error instanceof ChimeConnectionError) this.heldWatch?.abort();
      // One line when the failure starts or changes, not one per beat while the server is away.
      const failure = messageOf(error);
      if (failure !== this.lastBeatFailure) this.log(`heartbeat failed: ${failure}`);
      this.lastBeatFailure = failure;
      return;
    }
    this.stats.heartbeats++;
    this.stats.heartbeatLatencies.push(performance.now() - started);
    if (this.stats.heartbeatLatencies.length > MAX_SAMPLES) this.stats.heartbeatLatencies.shift();
    if (this.lastBeatFailure) this.log('heartbeats answered again');
    this.lastBeatFailure = '';
    this.interval = heartbeat.heartbeat_interval;
    this.noteAdoption(heartbeat);
    // A task numbered past the cursor that the held watch did not bring (a wake-up lost): read now.
    if (heartbeat.task_head > this.state.cursor) this.heldWatch?.abort();
  }

  private noteAdoption({ host }: AgentHeartbeat): void {
    const adoptedAs = host && `host ${host.uuid} in cluster ${host.cluster_uuid} (az ${host.az_uuid})`;
    if (adoptedAs === this.adoptedAs) return;
    if (adoptedAs) this.log(`adopted as ${adoptedAs}`);
    else if (this.adoptedAs) this.log(`no longer ${this.adoptedAs}: a free client again`);
    this.adoptedAs = adoptedAs;
  }

  private async watchLoop(): Promise<void> {
    for (let failures = 0; this.running;) {
      const credential = this.state.credential;
      try {
        if (this.resumed < this.resumeAsked) await this.resume();
        const asked = performance.now();
        const page = await this.watch();
        if (page) {
          this.take(page.elements);
          this.advance(page.next);
          // Nothing, at once: something between does not hold watches; do not ask again and again.
          if (page.size === 0 && performance.now() - asked < 1000) await this.sleep(this.backoff(0));
        }
        failures = 0;
      } catch (error) {
        if (!this.running) return;
        this.stats.errors++;
        if (await this.recover(error, credential)) continue;
        // The connection may have dropped with tasks in it: take up the unfinished ones first.
        this.askResume();
        const delay = this.backoff(failures++);
        this.log(`watch failed (${messageOf(error)}); again in ${seconds(delay)}`);
        await this.sleep(delay);
      }
    }
  }

  /** Holds a watch from the cursor; undefined when ended early on purpose (then resumed or read again at once). */
  private async watch(): Promise<AgentTaskPage | undefined> {
    const held = new AbortController();
    this.heldWatch = held;
    const query = { after: this.state.cursor, wait: this.options.watchWait ?? DEFAULT_WATCH_WAIT, limit: PAGE };
    try {
      return await this.api.listTasks(query, this.call(AbortSignal.any([this.stopped.signal, held.signal])));
    } catch (error) {
      if (held.signal.aborted && this.running) return undefined;
      throw error;
    } finally {
      if (this.heldWatch === held) this.heldWatch = undefined;
    }
  }

  private askResume(): void {
    this.resumeAsked++;
  }

  /** The unfinished tasks (`state=0`) again, then the cursor at the head: all below it is finished or in hand. */
  private async resume(): Promise<void> {
    const asked = this.resumeAsked;
    let page: AgentTaskPage;
    let after = 0;
    do {
      page = await this.api.listTasks({ after, state: 0, limit: PAGE }, this.call());
      this.take(page.elements);
      after = page.next;
    } while (page.size === PAGE);
    this.resumed = asked;
    if (page.head < this.state.cursor) {
      this.log(`the server's last task is ${page.head}, below the saved cursor ${this.state.cursor}: watching from ${page.head}`);
    }
    this.advance(page.head);
  }

  /** Moves the cursor (on from a watch, or to the head after a resume) and saves it. */
  private advance(cursor: number): void {
    if (cursor === this.state.cursor) return;
    this.state.cursor = cursor;
    this.options.saveState?.(this.state);
  }

  private take(tasks: AgentTask[]): void {
    for (const task of tasks) {
      if (task.state !== 0 || this.inFlight.has(task.uuid)) continue;
      this.inFlight.add(task.uuid);
      const work: Promise<void> = this.applyAndReport(task).finally(() => {
        this.inFlight.delete(task.uuid);
        this.work.delete(work);
      });
      this.work.add(work);
    }
  }

  private async applyAndReport(task: AgentTask): Promise<void> {
    const applying = (async () => this.driver.apply(task))().catch((error: unknown): TaskOutcome => ({
      state: 2,
      message: `the ${this.driver.name} driver failed: ${messageOf(error)}`,
    }));
    // Stopped mid-task, the agent reports nothing; the driver's work goes on, and a restarted
    // agent finds the task unfinished and gets its outcome from the driver (applied once).
    const outcome = await this.untilStopped(applying);
    if (outcome && this.running) await this.report(task, outcome);
  }

  private async report(task: AgentTask, outcome: TaskOutcome): Promise<void> {
    const what = `${kindOf(task)} task ${task.uuid}`;
    for (let failures = 0; this.running;) {
      const credential = this.state.credential;
      try {
        await this.api.reportTask(task.uuid, outcome, this.call());
        if (outcome.state === 1) this.stats.tasksSucceeded++;
        else this.stats.tasksFailed++;
        this.log(`${what} ${outcome.state === 1 ? 'succeeded' : `failed: ${outcome.message ?? ''}`}`);
        return;
      } catch (error) {
        if (!this.running) return;
        this.stats.errors++;
        if (await this.recover(error, credential)) continue;
        if (error instanceof ChimeApiError && error.code >= 400 && error.code < 500 && error.code !== 401 && error.code !== 429) {
          // Sending the same report again would get the same answer.
          const why =
            error.status === 'FAILED_PRECONDITION'
              ? 'the server settled it already'
              : error.code === 404
                ? 'the server knows no such task of this node'
                : 'the server refused the report';
          this.log(`${what}: ${why} (${error.message}); not reported again`);
          return;
        }
        await this.sleep(this.backoff(failures++));
      }
    }
  }

  /** The wait before retry number `failures + 1`, with jitter so that a fleet does not retry in step. */
  private backoff(failures: number): number {
    const { firstMs, maxMs } = this.options.backoff ?? DEFAULT_BACKOFF;
    return Math.min(firstMs * 2 ** failures, maxMs) * (0.75 + Math.random() * 0.5);
  }

  /** Sleeps, unless the agent stops first. */
  private async sleep(ms: number): Promise<void> {
    if (ms <= 0 || !this.running) return;
    let timer: NodeJS.Timeout | undefined;
    await this.untilStopped(new Promise((resolve) => (timer = setTimeout(resolve, ms))));
    clearTimeout(timer);
  }

  /**
   * The promise's value, or undefined as soon as the agent stops. A listener added and removed
   * each time, not a race against one long-lived promise, which would keep every caller's
   * reaction for the agent's whole life.
   */
  private untilStopped<T>(promise: Promise<T>): Promise<T | undefined> {
    const { signal } = this.stopped;
    if (signal.aborted) return Promise.resolve(undefined);
    return new Promise((resolve, reject) => {
      const onStop = () => resolve(undefined);
      signal.addEventListener('abort', onStop, { once: true });
      promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onStop));
    });
  }
}

/** The enrolment's part of a report: the node's facts, without its domains and problems. */
function nodeFacts(report: NodeReport) {
  const { name, rack_name, manage_ip, node_ip, storage_ip, reserved_ip1, reserved_ip2, physical_vcpus, physical_memory } = report;
  return { name, rack_name, manage_ip, node_ip, storage_ip, reserved_ip1, reserved_ip2, physical_vcpus, physical_memory };
}

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));
const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
