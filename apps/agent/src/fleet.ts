import { Agent, type AgentOptions } from './agent';
import { type AgentApi, ChimeAgentApi } from './agent-api';
import { SimDriver } from './sim-driver';

export interface FleetOptions {
  /** The API endpoint; or `api`, the protocol itself (tests: a fake control plane). */
  server?: string;
  api?: AgentApi;
  joinToken: string;
  hosts: number;
  /** Each node's logical CPUs and memory in bytes. */
  vcpus: number;
  memory: number;
  /** Node names: `<prefix>-1`, `<prefix>-2` … */
  namePrefix?: string;
  latencyMs?: number;
  fail?: string[];
  /** How long each agent holds its watch, in seconds. */
  watchWait?: number;
  /** Enrolments under way at once while the fleet starts (default 16). */
  startConcurrency?: number;
  backoff?: AgentOptions['backoff'];
  log?(line: string): void;
}

export interface FleetStats {
  agents: number;
  running: number;
  heartbeats: number;
  heartbeatFailures: number;
  /** Of the latest heartbeats of every agent, in milliseconds. */
  heartbeatP50: number;
  heartbeatP99: number;
  tasksSucceeded: number;
  tasksFailed: number;
  enrolments: number;
  /** Requests of any kind that failed. */
  errors: number;
}

/**
 * Many simulated nodes in one process, in the spirit of Kubernetes' KWOK: each one a real `Agent`
 * (its own node uuid, credential, heartbeats and task watch) over a `sim` driver, never a second,
 * test-only protocol. Agents start a few at a time and beat at random moments of the interval.
 * What it costs is timers and sockets, no busy work: an idle agent has one heartbeat timer and one
 * held watch, and all of them share one ChimeAgentApi, so one pool of keep-alive connections.
 */
export class Fleet {
  readonly agents: Agent[] = [];
  readonly drivers: SimDriver[] = [];
  private readonly api: AgentApi;

  constructor(private readonly options: FleetOptions) {
    if (options.api) this.api = options.api;
    else if (options.server) this.api = new ChimeAgentApi(options.server);
    else throw new TypeError('a fleet needs a server endpoint or an api');
  }

  async start(): Promise<void> {
    if (this.agents.length > 0) throw new Error('a fleet starts once');
    const { hosts, startConcurrency = 16 } = this.options;
    for (let i = 0; i < hosts; i++) {
      const driver = new SimDriver({
        name: `${this.options.namePrefix ?? 'sim'}-${i + 1}`,
        vcpus: this.options.vcpus,
        memory: this.options.memory,
        rack: `rack-${Math.floor(i / 32) + 1}`,
        manageIp: `10.${((i + 1) >> 16) & 255}.${((i + 1) >> 8) & 255}.${(i + 1) & 255}`,
        latencyMs: this.options.latencyMs,
        fail: this.options.fail,
        seed: i + 1,
      });
      this.drivers.push(driver);
      this.agents.push(
        new Agent({
          api: this.api,
          joinToken: this.options.joinToken,
          driver,
          watchWait: this.options.watchWait,
          spreadFirstBeat: true,
          backoff: this.options.backoff,
          log: this.options.log,
        }),
      );
    }
    let next = 0;
    const starter = async () => {
      while (next < this.agents.length) await this.agents[next++].start();
    };
    await Promise.all(Array.from({ length: Math.min(startConcurrency, hosts) }, starter));
  }

  /** Stops `count` running agents (all by default) at once: their nodes fall silent. Returns them. */
  async stop(count = this.agents.length): Promise<Agent[]> {
    const stopping = this.agents.filter((agent) => agent.running).slice(0, count);
    await Promise.all(stopping.map((agent) => agent.stop()));
    return stopping;
  }

  stats(): FleetStats {
    const latencies = this.agents.flatMap((a) => a.stats.heartbeatLatencies).sort((a, b) => a - b);
    const at = (p: number) =>
      latencies.length === 0 ? 0 : latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))];
    const sum = (pick: (agent: Agent) => number) => this.agents.reduce((total, agent) => total + pick(agent), 0);
    return {
      agents: this.agents.length,
      running: this.agents.filter((a) => a.running).length,
      heartbeats: sum((a) => a.stats.heartbeats),
      heartbeatFailures: sum((a) => a.stats.heartbeatFailures),
      heartbeatP50: at(0.5),
      heartbeatP99: at(0.99),
      tasksSucceeded: sum((a) => a.stats.tasksSucceeded),
      tasksFailed: sum((a) => a.stats.tasksFailed),
      enrolments: sum((a) => a.stats.enrolments),
      errors: sum((a) => a.stats.errors),
    };
  }
}
