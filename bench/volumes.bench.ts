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
import { join } from 'node:path';
import { fmt, intOption, machineLine, parseOptions, percentile, printTable, runBenchmark, sleep } from './support/bench-kit';
import {
  adoptHosts,
  createClusters,
  createPoolWithSpec,
  followEvents,
  inBatches,
  startFleet,
  startFleetServer,
  startMeasuring,
  steadyCpuPerS,
  verifyReplay,
} from './support/fleet-run';
import { stampedByDatabase, writeResults } from './support/results';

const USAGE =
  'usage: npm run bench:volumes -- [--hosts=256] [--clusters=4] [--volumes=10000] [--concurrency=32] [--size=10] [--profile=<dir>]';
const { values } = parseOptions(USAGE, ['hosts', 'clusters', 'volumes', 'concurrency', 'size', 'profile']);
const HOSTS = intOption(values, 'hosts', 256);
const CLUSTERS = intOption(values, 'clusters', 4);
const VOLUMES = intOption(values, 'volumes', 10_000);
const CONCURRENCY = intOption(values, 'concurrency', 32);
const SIZE = intOption(values, 'size', 10) * 1024 ** 3;
const JOIN_TOKEN = 'bench-volumes-join-token-012345678';
const DIST = join(__dirname, '..', 'dist');

runBenchmark('bench:volumes', 45 * 60_000, async () => {
  console.log(
    `volumes: ${VOLUMES} volumes of ${SIZE / 1024 ** 3} GiB, ${HOSTS} simulated hosts in ${CLUSTERS} clusters, ` +
      `${CONCURRENCY} requests at once — ${machineLine()}`,
  );
  const server = await startFleetServer(DIST, { joinToken: JOIN_TOKEN, profileDir: values.profile });
  const place = await createClusters(server, 'volumes', CLUSTERS);
  const clusters: { path: string; pool: string; spec: string }[] = [];
  const perCluster = Math.ceil(VOLUMES / CLUSTERS);
  for (const [c, { path }] of place.clusters.entries()) {
    const { pool, spec } = await createPoolWithSpec(server, path, {
      pool: 'local',
      spec: `standard-${c + 1}`,
      size: perCluster * SIZE,
    });
    clusters.push({ path, pool, spec });
  }

  const { fleet } = await startFleet(server, { hosts: HOSTS, vcpus: 64, memory: 256 * 1024 ** 3 });
  const adoptSeconds = await adoptHosts(server, fleet, clusters, { timeoutMs: 300_000 });
  console.log(`${HOSTS} hosts adopted in ${fmt(adoptSeconds, 1)} s; measuring the steady load for 10 s`);
  const idleCpuPerS = await steadyCpuPerS(server.pid);

  const requestedAt = new Map<string, number>();
  const availableAt = new Map<string, number>();
  let failedCreations = 0;
  const stream = followEvents(server.url, server.token, (event) => {
    if (event.type === 'VolumeOperationSucceeded' && requestedAt.has(event.stream_id) && !availableAt.has(event.stream_id)) {
      availableAt.set(event.stream_id, performance.now());
    }
    if (event.type === 'VolumeOperationFailed' && requestedAt.has(event.stream_id)) failedCreations++;
  });
  await sleep(500);

  const requestLatencies: number[] = [];
  const hostsUsed = new Set<string>();
  const measurement = startMeasuring(server.pid);
  await inBatches(
    Array.from({ length: VOLUMES }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const cluster = clusters[i % CLUSTERS];
      const sent = performance.now();
      const { volume } = await server.post<{ volume: { uuid: string; host_uuid: string } }>(
        'createVolume',
        `${cluster.path}/volume`,
        {
          name: `v-${i}`,
          size: SIZE,
          volume_spec_uuid: cluster.spec,
        },
      );
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
  const window = (lastAvailable - measurement.at) / 1000;
  const { serverCpu, fleetCpu, peakRss } = measurement.end();
  stream.close();

  const endToEnd = [...availableAt].map(([uuid, at]) => Math.max(0, at - (requestedAt.get(uuid) ?? at)));
  const pools = await Promise.all(
    clusters.map(
      async (c) =>
        (await server.get<{ storage_pool: { used_size: number } }>('getStoragePool', `${c.path}/storage_pool/${c.pool}`))
          .storage_pool,
    ),
  );
  const statistic = (
    await server.get<{ volume_statistic: { volumes: number; available: number; size: number } }>(
      'getVolumeStatistic',
      '/v1/volume_statistic',
    )
  ).volume_statistic;
  const claimsExact = pools.reduce((sum, p) => sum + p.used_size, 0) === statistic.size && statistic.size === availableAt.size * SIZE;
  await fleet.stop();
  await server.stop();

  const replay = await verifyReplay(DIST, server);

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
    fleet_and_client_cpu_percent: Number(((100 * fleetCpu) / window).toFixed(1)),
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
