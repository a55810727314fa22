/**
 * What the benchmarks against a simulated fleet (fleet, volumes, schedule) share: the built server
 * on a fresh PostgreSQL database with an administrator's calls on it, the place (an AZ, clusters,
 * local pools with their volume specs), the fleet simulator (apps/agent) started and its agents
 * adopted as hosts, the server's event stream read live, the server's CPU and memory over a
 * measured window, and `npm run verify:replay` on the database at the end.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Fleet } from '../../apps/agent/src/fleet';
import { STANDARD_QOS } from '../../test/support/volume-spec';
import { login, onCleanup, request, sleep } from './bench-kit';
import { cpuSeconds, memoryMb, startBuilt } from './built-server';

/** The built server of a fleet benchmark, logged in as the administrator. */
export interface FleetServer {
  pid: number;
  url: string;
  /** The server's database settings (DATABASE_URL), for verify:replay and direct queries. */
  env: Record<string, string>;
  joinToken: string;
  token: string;
  /** Calls the API; resolve with the answer's `result`, or throw unless it is a 200. */
  post: <T>(what: string, path: string, body: object) => Promise<T>;
  get: <T>(what: string, path: string) => Promise<T>;
  stop(): Promise<void>;
}

async function ok<T>(what: string, answer: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return (body as { result: T }).result;
}

/**
 * Starts the built server of `dist` (startBuilt) on a fresh PostgreSQL database, letting agents
 * enrol with `joinToken` (`env` adds settings); with `profileDir`, it leaves its CPU profile there.
 */
export async function startFleetServer(
  dist: string,
  { joinToken, profileDir, env = {} }: { joinToken: string; profileDir?: string; env?: Record<string, string> },
): Promise<FleetServer> {
  const server = await startBuilt(
    dist,
    'postgres',
    { CHIME_AGENT_JOIN_TOKEN: joinToken, ...env },
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [],
  );
  const token = await login(server.url);
  return {
    ...server,
    joinToken,
    token,
    post: <T>(what: string, path: string, body: object) => ok<T>(what, request(server.url, 'POST', path, { token, body })),
    get: <T>(what: string, path: string) => ok<T>(what, request(server.url, 'GET', path, { token })),
  };
}

/** An AZ named `name` and `count` clusters in it (`<name>-1`, `<name>-2` …), each with its API path. */
export async function createClusters(
  server: FleetServer,
  name: string,
  count: number,
): Promise<{ az: string; clusters: { uuid: string; path: string }[] }> {
  const az = (await server.post<{ az: { uuid: string } }>('createAz', '/v1/az', { name })).az.uuid;
  const clusters: { uuid: string; path: string }[] = [];
  for (let c = 0; c < count; c++) {
    const uuid = (
      await server.post<{ cluster: { uuid: string } }>('createCluster', `/v1/az/${az}/cluster`, { name: `${name}-${c + 1}` })
    ).cluster.uuid;
    clusters.push({ uuid, path: `/v1/az/${az}/cluster/${uuid}` });
  }
  return { az, clusters };
}

/** A local storage pool of `size` bytes in the cluster at `clusterPath`, and a standard volume spec on it registered there. */
export async function createPoolWithSpec(
  server: FleetServer,
  clusterPath: string,
  { pool: poolName, spec: specName, size }: { pool: string; spec: string; size: number },
): Promise<{ pool: string; spec: string }> {
  const pool = (
    await server.post<{ storage_pool: { uuid: string } }>('createStoragePool', `${clusterPath}/storage_pool`, {
      name: poolName,
      physical_size: size,
    })
  ).storage_pool.uuid;
  const spec = (
    await server.post<{ volume_spec: { uuid: string } }>('createVolumeSpec', '/v1/volume_spec', {
      name: specName,
      storage_pool_uuid: pool,
      ...STANDARD_QOS,
    })
  ).volume_spec.uuid;
  await server.post('createClusterVolumeSpecRelation', `${clusterPath}/volume_spec_relation`, { volume_spec_uuid: spec });
  return { pool, spec };
}

/** Runs `work` over the items with at most `width` under way at once. */
export async function inBatches<T>(items: T[], width: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const index = next++;
        await work(items[index], index);
      }
    }),
  );
}

/**
 * Starts `hosts` simulated agents (sim driver, nodes of `vcpus` vCPUs and `memory` bytes, 32
 * enrolling at once) against the server; resolves once every one has enrolled, with the seconds
 * that took.
 */
export async function startFleet(
  server: FleetServer,
  options: { hosts: number; vcpus: number; memory: number; watchWait?: number },
): Promise<{ fleet: Fleet; enrolSeconds: number }> {
  const fleet = new Fleet({ server: server.url, joinToken: server.joinToken, ...options, startConcurrency: 32 });
  const started = performance.now();
  await fleet.start();
  return { fleet, enrolSeconds: (performance.now() - started) / 1000 };
}

/**
 * Adopts the fleet's agents as hosts, agent i into cluster `clusters[i mod n]` (by its API path; 8
 * createHost requests at once, each body `{ uuid, ...host }`), and waits until every agent has
 * carried out its `host/create` task, at most `timeoutMs`; resolves with the seconds that took.
 */
export async function adoptHosts(
  server: FleetServer,
  fleet: Fleet,
  clusters: { path: string }[],
  { timeoutMs, host = {} }: { timeoutMs: number; host?: object },
): Promise<number> {
  const started = performance.now();
  await inBatches(fleet.agents, 8, (agent, index) =>
    server.post('createHost', `${clusters[index % clusters.length].path}/host`, { uuid: agent.state.uuid, ...host }),
  );
  while (fleet.stats().tasksSucceeded < fleet.agents.length) {
    if (performance.now() - started > timeoutMs)
      throw new Error(`only ${fleet.stats().tasksSucceeded} host/create tasks succeeded`);
    await sleep(200);
  }
  return (performance.now() - started) / 1000;
}

/** The server's CPU (seconds per second) under the fleet's steady load (heartbeats, watches): 10 s, after 2 s to settle. */
export async function steadyCpuPerS(pid: number): Promise<number> {
  await sleep(2000);
  const from = { cpu: cpuSeconds(pid), at: performance.now() };
  await sleep(10_000);
  return (cpuSeconds(pid) - from.cpu) / ((performance.now() - from.at) / 1000);
}

/** A measured window, from `at` (performance.now()) on. */
export interface Measurement {
  at: number;
  /** Ends it: CPU seconds of the server and of this process (the fleet and the client), the server's peak RSS in MB. */
  end(): { serverCpu: number; fleetCpu: number; peakRss: number };
}

/** Starts a measured window on the server of process `pid`; its RSS is sampled every second. */
export function startMeasuring(pid: number): Measurement {
  const before = { cpu: cpuSeconds(pid), fleet: process.cpuUsage(), at: performance.now() };
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, memoryMb(pid).rss)), 1000);
  onCleanup(() => clearInterval(rssTimer)); // before the server stops, should the run fail
  return {
    at: before.at,
    end: () => {
      const serverCpu = cpuSeconds(pid) - before.cpu;
      const fleetCpu = process.cpuUsage(before.fleet);
      clearInterval(rssTimer);
      return { serverCpu, fleetCpu: (fleetCpu.user + fleetCpu.system) / 1e6, peakRss };
    },
  };
}

/** An event of the server's event stream, with what the benchmarks read of it. */
export interface StreamedEvent {
  type: string;
  stream_id: string;
  data?: { changes?: { state?: number } };
}

/** The server's event stream, live: calls `onEvent` with each event as it arrives. */
export function followEvents(baseUrl: string, token: string, onEvent: (event: StreamedEvent) => void) {
  let ended = false;
  const req = httpRequest(`${baseUrl}/v1/event/stream`, {
    headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
  });
  req.on('response', (res) => {
    if (res.statusCode !== 200) throw new Error(`event stream: ${res.statusCode}`);
    res.setEncoding('utf8');
    let buffer = '';
    res.on('data', (chunk: string) => {
      buffer += chunk;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const message = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (/^event: end/m.test(message)) ended = true;
        if (/^event: (?!message)/m.test(message)) continue;
        const data = message
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) onEvent(JSON.parse(data) as StreamedEvent);
      }
    });
    res.on('end', () => (ended = true));
  });
  req.on('error', () => (ended = true));
  req.end();
  return { close: () => req.destroy(), ended: () => ended };
}

/** Runs `npm run verify:replay` (the build's src/replay/main.js) on the server's database; resolves with its exit code. */
export function verifyReplay(dist: string, server: FleetServer): Promise<number | null> {
  return new Promise((done) => {
    const child = spawn(process.execPath, ['--max-old-space-size=192', join(dist, 'src/replay/main.js')], {
      env: { PATH: process.env.PATH ?? '', ...server.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) => done(code));
  });
}
