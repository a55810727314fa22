/**
 * Issue 18: what a fleet of node agents costs the server. The built server (dist/src/main.js, run
 * `npm run build` first) runs as a child process on a fresh PostgreSQL database with the default
 * heartbeat (15 s, 3 misses) and LOG_LEVEL=info, as in production. In this process, the fleet
 * simulator (apps/agent) runs --hosts agents (default 1,024), each a real protocol client with its
 * own credential, heartbeats spread over the interval, each holding a task watch (--watch-wait s);
 * they are adopted as hosts into --clusters clusters of one AZ (4 × 256), and every agent carries
 * out its `host/create` task.
 *
 * After --settle s, for --seconds s (default 120) it measures:
 *   - the server's CPU (utime + stime of its process, /proc) as a share of one core, and per
 *     heartbeat (all the server's work in the window, watches and its own timers included, divided by
 *     the heartbeats: an upper bound of a heartbeat's own cost); the fleet's own CPU beside it;
 *   - heartbeat latency p50/p99 as the agents saw it, request to answer;
 *   - the server's RSS.
 * Then it stops --stop agents (default 100) at once and times how long until every one of their
 * hosts is unreachable (bound: interval × misses + 5 s = 50 s). Finally `npm run verify:replay`
 * runs on the database. Results go to bench/results.json under "fleet". `--profile=<dir>` leaves the
 * server's CPU profile there (summary: bench/support/profile-summary.ts).
 */
import { join } from 'node:path';
import { fmt, intOption, machineLine, parseOptions, percentile, printTable, runBenchmark, sleep } from './support/bench-kit';
import { memoryMb } from './support/built-server';
import { adoptHosts, createClusters, startFleet, startFleetServer, startMeasuring, verifyReplay } from './support/fleet-run';
import { stampedByDatabase, writeResults } from './support/results';

const USAGE =
  'usage: npm run bench:fleet -- [--hosts=1024] [--clusters=4] [--seconds=120] [--settle=20] [--stop=100] [--watch-wait=120] [--profile=<dir>]';
const { values } = parseOptions(USAGE, ['hosts', 'clusters', 'seconds', 'settle', 'stop', 'watch-wait', 'profile']);
const HOSTS = intOption(values, 'hosts', 1024);
const CLUSTERS = intOption(values, 'clusters', 4);
const SECONDS = intOption(values, 'seconds', 120);
const SETTLE = intOption(values, 'settle', 20, 0);
const STOP = Math.min(intOption(values, 'stop', 100), HOSTS);
const WATCH_WAIT = intOption(values, 'watch-wait', 120, 0);
const JOIN_TOKEN = 'bench-fleet-join-token-0123456789';
const INTERVAL = 15;
const MISSES = 3;
const DIST = join(__dirname, '..', 'dist');

runBenchmark('bench:fleet', 30 * 60_000, async () => {
  console.log(
    `fleet: ${HOSTS} simulated agents in ${CLUSTERS} clusters, heartbeat ${INTERVAL} s, watch ${WATCH_WAIT} s — ${machineLine()}`,
  );
  const server = await startFleetServer(DIST, {
    joinToken: JOIN_TOKEN,
    profileDir: values.profile,
    env: { CHIME_HEARTBEAT_INTERVAL: String(INTERVAL), CHIME_HEARTBEAT_MISSES: String(MISSES) },
  });
  const { clusters } = await createClusters(server, 'fleet', CLUSTERS);

  const { fleet, enrolSeconds } = await startFleet(server, {
    hosts: HOSTS,
    vcpus: 64,
    memory: 256 * 1024 ** 3,
    watchWait: WATCH_WAIT,
  });
  console.log(`enrolled ${HOSTS} agents in ${fmt(enrolSeconds, 1)} s`);

  const adoptSeconds = await adoptHosts(server, fleet, clusters, { timeoutMs: 300_000, host: { cpu_ratio: 2 } });
  console.log(`adopted ${HOSTS} hosts, every host/create task done, in ${fmt(adoptSeconds, 1)} s; settling ${SETTLE} s`);
  await sleep(SETTLE * 1000);

  for (const agent of fleet.agents) agent.stats.heartbeatLatencies.length = 0;
  const beatsBefore = fleet.stats().heartbeats;
  const measurement = startMeasuring(server.pid);
  await sleep(SECONDS * 1000);
  const wall = (performance.now() - measurement.at) / 1000;
  const { serverCpu, fleetCpu, peakRss } = measurement.end();
  const stats = fleet.stats();
  const beats = stats.heartbeats - beatsBefore;
  const latencies = fleet.agents.flatMap((a) => a.stats.heartbeatLatencies);
  const steady = {
    hosts: HOSTS,
    clusters: CLUSTERS,
    seconds: Math.round(wall),
    heartbeats: beats,
    heartbeats_per_s: Number((beats / wall).toFixed(1)),
    heartbeat_failures: stats.heartbeatFailures,
    server_cpu_percent: Number(((100 * serverCpu) / wall).toFixed(2)),
    server_cpu_us_per_heartbeat: Math.round((serverCpu * 1e6) / beats),
    heartbeat_p50_ms: Number(percentile(latencies, 50).toFixed(1)),
    heartbeat_p99_ms: Number(percentile(latencies, 99).toFixed(1)),
    server_rss_mb: Math.round(memoryMb(server.pid).rss),
    server_peak_rss_mb: Math.round(peakRss),
    fleet_cpu_percent: Number(((100 * fleetCpu) / wall).toFixed(2)),
    enrol_seconds: Number(enrolSeconds.toFixed(1)),
    adopt_seconds: Number(adoptSeconds.toFixed(1)),
    watch_wait_s: WATCH_WAIT,
  };

  // Silence: STOP agents at once; every one of their hosts must be unreachable within the bound.
  const stopped = await fleet.stop(STOP);
  const silentAt = performance.now();
  const bound = INTERVAL * MISSES + 5;
  let unreachable = 0;
  while (unreachable < STOP && performance.now() - silentAt < (bound + 30) * 1000) {
    await sleep(500);
    const statistic = await server.get<{ host_statistic: { unreachable: number } }>('getHostStatistic', '/v1/host_statistic');
    unreachable = statistic.host_statistic.unreachable;
  }
  const detection = (performance.now() - silentAt) / 1000;
  const silence = {
    stopped: stopped.length,
    unreachable,
    all_unreachable_after_s: Number(detection.toFixed(1)),
    bound_s: bound,
    within_bound: unreachable === STOP && detection <= bound,
  };
  await fleet.stop();
  await server.stop();

  const replay = await verifyReplay(DIST, server);

  console.log();
  printTable(
    ['figure', 'value', 'target'],
    [
      ['heartbeats per s', fmt(steady.heartbeats_per_s, 1), `${HOSTS} / ${INTERVAL} s`],
      ['server CPU, % of a core', fmt(steady.server_cpu_percent, 2), '< 10'],
      ['server CPU per heartbeat (µs, all work)', String(steady.server_cpu_us_per_heartbeat), ''],
      ['heartbeat p50 / p99 (ms)', `${steady.heartbeat_p50_ms} / ${steady.heartbeat_p99_ms}`, 'p99 < 50'],
      ['server RSS (MB), peak', `${steady.server_rss_mb}, ${steady.server_peak_rss_mb}`, ''],
      ['fleet CPU, % of a core', fmt(steady.fleet_cpu_percent, 2), ''],
      [
        `${STOP} agents stopped → all unreachable (s)`,
        `${silence.all_unreachable_after_s} (${unreachable}/${STOP})`,
        `≤ ${bound}`,
      ],
      ['verify:replay exit code', String(replay), '0'],
    ],
  );
  writeResults('fleet', stampedByDatabase({ postgres: { ...steady, silence, verify_replay_exit: replay } }));
});
