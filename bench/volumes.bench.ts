/**
 * Issue 19: volumes created through the API against a simulated fleet, end to end. The built server
 * (dist/src/main.js, run `npm run build` first) runs as a child process on a fresh PostgreSQL
 * database, as in production. In this process the fleet simulator (apps/agent) runs --hosts agents
 * (default 256, sim driver), adopted as hosts into --clusters clusters (4 × 64); each cluster gets a
 * local storage pool sized for its share of the volumes and a registered volume spec.
 *
 * Then --volumes volumes (default 10,000, --size GiB each) are created with createVolume, at most
 * --concurrency requests under way (default 32), round-robin over the clusters, the server choosing
 * each volume's host. A volume is done when its `VolumeOperationSucceeded` (its `volume/create`
 * task reported by the host's agent and applied) arrives on the server's event stream
 * (`GET /v1/event/stream`), read live by this process. Measured:
 *   - creations per second, end to end (first request → last volume available);
 *   - createVolume's own latency p50/p99, and request → available p50/p99;
 *   - the server's CPU (utime + stime, /proc) per creation: all its work in the window, and net of
 *     the fleet's steady load (heartbeats, watches) measured for 10 s before;
 *   - at the end: every volume available, each pool's used_size exactly its volumes' sizes, and
 *     `npm run verify:replay` on the database.
 * Results go to bench/results.json under "volumes". `--profile=<dir>` leaves the server's CPU profile.
 */
import { spawn } from 'node:child_process';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { Fleet } from '../apps/agent/src/fleet';
import {
  fmt,
  intOption,
  login,
  machineLine,
  parseOptions,
  percentile,
  printTable,
  request,
  runBenchmark,
  sleep,
} from './support/bench-kit';
import { cpuSeconds, memoryMb, startBuilt } from './support/built-server';
import { stampedByDatabase, writeResults } from './support/results';
import { STANDARD_QOS } from '../test/support/volume-spec';

const USAGE =
  'usage: npm run bench:volumes -- [--hosts=256] [--clusters=4] [--volumes=10000] [--concurrency=32] [--size=10] [--profile=<dir>]';
const { values } = parseOptions(USAGE, ['hosts', 'clusters', 'volumes', 'concurrency', 'size', 'profile']);
const HOSTS = intOption(values, 'hosts', 256);
const CLUSTERS = intOption(values, 'clusters', 4);
const VOLUMES = intOption(values, 'volumes', 10_000);
const CONCURRENCY = intOption(values, 'concurrency', 32);
const SIZE = intOption(values, 'size', 10) * 1024 ** 3;
const JOIN_TOKEN = 'bench-volumes-join-token-012345678';
const ROOT = join(__dirname, '..');

async function ok<T>(what: string, answer: Promise<{ status: number; body: unknown }>): Promise<T> {
  const { status, body } = await answer;
  if (status !== 200) throw new Error(`${what}: ${status} ${JSON.stringify(body)}`);
  return (body as { result: T }).result;
}

/** Runs `work` over the items with at most `width` under way at once. */
async function inBatches<T>(items: T[], width: number, work: (item: T, index: number) => Promise<unknown>): Promise<void> {
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

/** The server's event stream, live: calls `onEvent` with each event as it arrives. */
function followEvents(baseUrl: string, token: string, onEvent: (event: { type: string; stream_id: string }) => void) {
  const req = httpRequest(`${baseUrl}/v1/event/stream`, { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' } });
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
        if (/^event: (?!message)/m.test(message)) continue;
        const data = message
          .split('\n')
          .filter((line) => line.startsWith('data:'))
          .map((line) => line.slice(5).replace(/^ /, ''))
          .join('\n');
        if (data) onEvent(JSON.parse(data) as { type: string; stream_id: string });
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return { close: () => req.destroy() };
}

runBenchmark('bench:volumes', 45 * 60_000, async () => {
  console.log(
    `volumes: ${VOLUMES} volumes of ${SIZE / 1024 ** 3} GiB, ${HOSTS} simulated hosts in ${CLUSTERS} clusters, ` +
      `${CONCURRENCY} requests at once — ${machineLine()}`,
  );
  const server = await startBuilt(
    join(ROOT, 'dist'),
    'postgres',
    { CHIME_AGENT_JOIN_TOKEN: JOIN_TOKEN },
    values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : [],
  );
  const token = await login(server.url);
  const post = <T>(what: string, path: string, body: object) => ok<T>(what, request(server.url, 'POST', path, { token, body }));
  const az = (await post<{ az: { uuid: string } }>('createAz', '/v1/az', { name: 'volumes' })).az.uuid;
  const clusters: { path: string; pool: string; spec: string }[] = [];
  const perCluster = Math.ceil(VOLUMES / CLUSTERS);
  for (let c = 0; c < CLUSTERS; c++) {
    const uuid = (await post<{ cluster: { uuid: string } }>('createCluster', `/v1/az/${az}/cluster`, { name: `volumes-${c + 1}` }))
      .cluster.uuid;
    const path = `/v1/az/${az}/cluster/${uuid}`;
    const pool = (
      await post<{ storage_pool: { uuid: string } }>('createStoragePool', `${path}/storage_pool`, {
        name: 'local',
        physical_size: perCluster * SIZE,
      })
    ).storage_pool.uuid;
    const spec = (
      await post<{ volume_spec: { uuid: string } }>('createVolumeSpec', '/v1/volume_spec', {
        name: `standard-${c + 1}`,
        storage_pool_uuid: pool,
        ...STANDARD_QOS,
      })
    ).volume_spec.uuid;
    await post('createClusterVolumeSpecRelation', `${path}/volume_spec_relation`, { volume_spec_uuid: spec });
    clusters.push({ path, pool, spec });
  }

  const fleet = new Fleet({
    server: server.url,
    joinToken: JOIN_TOKEN,
    hosts: HOSTS,
    vcpus: 64,
    memory: 256 * 1024 ** 3,
    startConcurrency: 32,
  });
  await fleet.start();
  const started = performance.now();
  await inBatches(fleet.agents, 8, (agent, index) =>
    post('createHost', `${clusters[index % CLUSTERS].path}/host`, { uuid: agent.state.uuid }),
  );
  while (fleet.stats().tasksSucceeded < HOSTS) {
    if (performance.now() - started > 300_000) throw new Error(`only ${fleet.stats().tasksSucceeded} host/create tasks succeeded`);
    await sleep(200);
  }
  console.log(`${HOSTS} hosts adopted in ${fmt((performance.now() - started) / 1000, 1)} s; measuring the steady load for 10 s`);
  await sleep(2000);
  const idleFrom = { cpu: cpuSeconds(server.pid), at: performance.now() };
  await sleep(10_000);
  const idleCpuPerS = (cpuSeconds(server.pid) - idleFrom.cpu) / ((performance.now() - idleFrom.at) / 1000);

  const requestedAt = new Map<string, number>();
  const availableAt = new Map<string, number>();
  let failedCreations = 0;
  const stream = followEvents(server.url, token, (event) => {
    if (event.type === 'VolumeOperationSucceeded' && requestedAt.has(event.stream_id) && !availableAt.has(event.stream_id)) {
      availableAt.set(event.stream_id, performance.now());
    }
    if (event.type === 'VolumeOperationFailed' && requestedAt.has(event.stream_id)) failedCreations++;
  });
  await sleep(500);

  const requestLatencies: number[] = [];
  const hostsUsed = new Set<string>();
  const before = { cpu: cpuSeconds(server.pid), fleet: process.cpuUsage(), at: performance.now() };
  let peakRss = 0;
  const rssTimer = setInterval(() => (peakRss = Math.max(peakRss, memoryMb(server.pid).rss)), 1000);
  await inBatches(
    Array.from({ length: VOLUMES }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const cluster = clusters[i % CLUSTERS];
      const sent = performance.now();
      const { volume } = await post<{ volume: { uuid: string; host_uuid: string } }>('createVolume', `${cluster.path}/volume`, {
        name: `v-${i}`,
        size: SIZE,
        volume_spec_uuid: cluster.spec,
      });
      const answered = performance.now();
      requestLatencies.push(answered - sent);
      // The event may arrive before the answer: keep the earlier of the two for "available".
      requestedAt.set(volume.uuid, sent);
      hostsUsed.add(volume.host_uuid);
    },
  );
  const requestsDone = performance.now();
  while (availableAt.size + failedCreations < VOLUMES) {
    if (performance.now() - requestsDone > 300_000) throw new Error(`only ${availableAt.size} of ${VOLUMES} volumes became available`);
    await sleep(100);
  }
  const lastAvailable = Math.max(...availableAt.values());
  const window = (lastAvailable - before.at) / 1000;
  const serverCpu = cpuSeconds(server.pid) - before.cpu;
  const fleetCpu = process.cpuUsage(before.fleet);
  clearInterval(rssTimer);
  stream.close();

  const endToEnd = [...availableAt].map(([uuid, at]) => Math.max(0, at - (requestedAt.get(uuid) ?? at)));
  const pools = await Promise.all(
    clusters.map(async (c) => (await ok<{ storage_pool: { used_size: number } }>('getStoragePool', request(server.url, 'GET', `${c.path}/storage_pool/${c.pool}`, { token }))).storage_pool),
  );
  const statistic = (
    await ok<{ volume_statistic: { volumes: number; available: number; size: number } }>(
      'getVolumeStatistic',
      request(server.url, 'GET', '/v1/volume_statistic', { token }),
    )
  ).volume_statistic;
  const claimsExact = pools.reduce((sum, p) => sum + p.used_size, 0) === statistic.size && statistic.size === availableAt.size * SIZE;
  await fleet.stop();
  await server.stop();

  const replay = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, ['--max-old-space-size=192', join(ROOT, 'dist/src/replay/main.js')], {
      env: { PATH: process.env.PATH ?? '', ...server.env },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    child.on('exit', (code) => resolve(code));
  });

  const result = {
    hosts: HOSTS,
    clusters: CLUSTERS,
    volumes: VOLUMES,
    concurrency: CONCURRENCY,
    volume_size_gib: SIZE / 1024 ** 3,
    seconds: Number(window.toFixed(1)),
    creations_per_s: Number((availableAt.size / window).toFixed(1)),
    request_p50_ms: Number(percentile(requestLatencies, 50).toFixed(1)),
    request_p99_ms: Number(percentile(requestLatencies, 99).toFixed(1)),
    available_p50_ms: Number(percentile(endToEnd, 50).toFixed(1)),
    available_p99_ms: Number(percentile(endToEnd, 99).toFixed(1)),
    server_cpu_percent: Number(((100 * serverCpu) / window).toFixed(1)),
    server_cpu_us_per_creation: Math.round((serverCpu * 1e6) / availableAt.size),
    server_cpu_us_per_creation_net: Math.round(((serverCpu - idleCpuPerS * window) * 1e6) / availableAt.size),
    steady_load_cpu_percent: Number((100 * idleCpuPerS).toFixed(1)),
    fleet_and_client_cpu_percent: Number(((100 * (fleetCpu.user + fleetCpu.system)) / 1e6 / window).toFixed(1)),
    server_peak_rss_mb: Math.round(peakRss),
    available: availableAt.size,
    failed: failedCreations,
    hosts_used: hostsUsed.size,
    pool_claims_exact: claimsExact,
    verify_replay_exit: replay,
  };

  console.log();
  printTable(
    ['figure', 'value'],
    [
      ['volumes available / failed', `${result.available} / ${result.failed}`],
      ['creations per s, end to end', fmt(result.creations_per_s, 1)],
      ['createVolume p50 / p99 (ms)', `${result.request_p50_ms} / ${result.request_p99_ms}`],
      ['request → available p50 / p99 (ms)', `${result.available_p50_ms} / ${result.available_p99_ms}`],
      ['server CPU, % of a core', fmt(result.server_cpu_percent, 1)],
      ['server CPU per creation (µs): all / net of steady load', `${result.server_cpu_us_per_creation} / ${result.server_cpu_us_per_creation_net}`],
      ['hosts used', `${result.hosts_used} of ${HOSTS}`],
      ["pools' used_size = the volumes' sizes", String(claimsExact)],
      ['server peak RSS (MB)', String(result.server_peak_rss_mb)],
      ['verify:replay exit code', String(replay)],
    ],
  );
  writeResults('volumes', stampedByDatabase({ postgres: result }));
});
