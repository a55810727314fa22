/**
 * Issue 20: VMs created through the API and placed by the scheduler on a simulated fleet, end to
 * end. The built server (dist/src/main.js, run `npm run build` first; `--dist=<dir>` for another
 * build) runs as a child process on a fresh PostgreSQL database, as in production. In this process
 * the fleet simulator (apps/agent) runs --hosts agents (default 1,024, sim driver), adopted as hosts
 * into --clusters clusters (4 × 256, ChimeStack's limit per cluster), each node of --vcpus vCPUs and
 * --memory GiB with ratios 1 and nothing reserved. An instance spec of 2 vCPUs / 4 GiB is registered
 * in every cluster; each cluster gets a local storage pool sized for its share of the root volumes,
 * a registered volume spec, and a network with --subnets /18 subnets (a VM's NIC goes to the
 * cluster's subnets in turn: NIC allocation locks the subnet's row until the commit, so one subnet
 * per cluster would make that cluster's creations take turns on it). One public image is fetched once.
 *
 * Then --vms VMs (default 20,000) are created with createVm (`POST /v1/vm`: one NIC, a root volume of
 * --size GiB from the image), at most --concurrency requests under way (default 32), round-robin
 * over the clusters, the scheduler choosing each VM's host (HostPort.claim, atomic). A VM is running
 * when its `VmOperationSucceeded` with state 1 (its `vm/create` task reported by the host's agent and
 * applied) arrives on the server's event stream (`GET /v1/event/stream`), read live by this process.
 * Measured:
 *   - placements per second (createVm answered 200: first request → last answer) and VMs running
 *     per second end to end (first request → last VM running);
 *   - createVm's latency p50/p99, and request → running p50/p99;
 *   - the server's CPU (utime + stime, /proc) per VM: all its work in the window, and net of the
 *     fleet's steady load (heartbeats, watches) measured for 10 s before; its peak RSS;
 *   - at the end, in one SQL query: no host over its capacity (used_vcpus ≤ total_vcpus, used_memory
 *     ≤ total_memory), every host's claims exactly the sum of its VMs' vCPUs and memory, and the
 *     spread (VMs per host, min / max); then `npm run verify:replay` on the database.
 * Results go to bench/results.json under "schedule". `--profile=<dir>` leaves the server's CPU profile.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { capacitySql } from '../src/platform/domain/capacity';
import {
  fmt,
  intOption,
  machineLine,
  onCleanup,
  parseOptions,
  percentile,
  printTable,
  request,
  runBenchmark,
  sleep,
} from './support/bench-kit';
import { memoryMb } from './support/built-server';
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
  'usage: npm run bench:schedule -- [--hosts=1024] [--clusters=4] [--vms=20000] [--concurrency=32] [--vcpus=40] [--memory=80] ' +
  '[--subnets=4] [--pools=1] [--size=10] [--profile=<dir>] [--dist=<dir>]';
const { values } = parseOptions(USAGE, ['hosts', 'clusters', 'vms', 'concurrency', 'vcpus', 'memory', 'subnets', 'pools', 'size', 'profile', 'dist']);
const GIB = 1024 ** 3;
const HOSTS = intOption(values, 'hosts', 1024);
const CLUSTERS = intOption(values, 'clusters', 4);
const VMS = intOption(values, 'vms', 20_000);
const CONCURRENCY = intOption(values, 'concurrency', 32);
const HOST_VCPUS = intOption(values, 'vcpus', 40);
const HOST_MEMORY = intOption(values, 'memory', 80) * GIB;
const SUBNETS = intOption(values, 'subnets', 4);
const POOLS = intOption(values, 'pools', 1);
const SIZE = intOption(values, 'size', 10) * GIB;
const VM_VCPUS = 2;
const VM_MEMORY = 4 * GIB;
const JOIN_TOKEN = 'bench-schedule-join-token-0123456789';
const ROOT = join(__dirname, '..');
const DIST = values.dist ? resolve(values.dist) : join(ROOT, 'dist');

if (SUBNETS > 64 || CLUSTERS > 11) {
  console.error(`at most 11 clusters and 64 subnets per cluster (/18s of a /12 each, in 10.64.0.0/10)\n${USAGE}`);
  process.exit(2);
}

/** The sim agents report an image's size from its URL (apps/agent/src/sim-images.ts): pick one that fits the root volume. */
const simImageSize = (url: string) => (256 + (createHash('sha256').update(url).digest().readUInt32BE(0) % 3841)) * 2 ** 20;
const IMAGE_URL = Array.from({ length: 100 }, (_, i) => `https://mirror.example/schedule-${i}.qcow2`).find(
  (url) => simImageSize(url) <= Math.min(SIZE, 2 * GIB),
)!;

runBenchmark('bench:schedule', 60 * 60_000, async () => {
  const slots = Math.min(Math.floor(HOST_VCPUS / VM_VCPUS), Math.floor(HOST_MEMORY / VM_MEMORY)) * HOSTS;
  console.log(
    `schedule: ${VMS} VMs of ${VM_VCPUS} vCPUs / ${VM_MEMORY / GIB} GiB on ${HOSTS} simulated hosts of ${HOST_VCPUS} vCPUs / ` +
      `${HOST_MEMORY / GIB} GiB in ${CLUSTERS} clusters (room for ${slots}: ${fmt((100 * VMS) / slots, 1)} % full at the end), ` +
      `${SUBNETS} subnets and ${POOLS} pool(s) per cluster, ${CONCURRENCY} requests at once — ${machineLine()}`,
  );
  const server = await startFleetServer(DIST, { joinToken: JOIN_TOKEN, profileDir: values.profile });
  const { token, post, get } = server;

  // The place: an AZ, the clusters with their pools, volume specs, networks and subnets; one instance spec.
  const place = await createClusters(server, 'schedule', CLUSTERS);
  const az = place.az;
  const instanceSpec = (
    await post<{ instance_spec: { uuid: string } }>('createInstanceSpec', '/v1/instance_spec', {
      name: 'bench-2c4g',
      vcpus: VM_VCPUS,
      memory: VM_MEMORY,
    })
  ).instance_spec.uuid;
  const clusters: { uuid: string; path: string; pools: string[]; volumeSpecs: string[]; subnets: string[] }[] = [];
  const perCluster = Math.ceil(VMS / CLUSTERS);
  for (const [c, { uuid, path }] of place.clusters.entries()) {
    // --pools local pools (each with a volume spec of its own; a VM's root volume goes to them in turn).
    const pools: string[] = [];
    const volumeSpecs: string[] = [];
    for (let p = 0; p < POOLS; p++) {
      const { pool, spec } = await createPoolWithSpec(server, path, {
        pool: `local-${p + 1}`,
        spec: `standard-${c + 1}-${p + 1}`,
        size: Math.ceil(perCluster / POOLS) * SIZE,
      });
      pools.push(pool);
      volumeSpecs.push(spec);
    }
    await post('createClusterInstanceSpecRelation', `${path}/instance_spec_relation`, { instance_spec_uuid: instanceSpec });
    const network = (
      await post<{ network: { uuid: string } }>('createNetwork', `${path}/network`, {
        name: `net-${c + 1}`,
        bridge_name: 'br1',
        interface_name: 'ens224',
      })
    ).network.uuid;
    // Cluster c: 10.(64 + 16c + ⌊s/4⌋).(64 (s mod 4)).0/18 for s = 0 … SUBNETS − 1 (16,382 addresses each; the
    // fleet's management addresses are 10.0.x.x).
    const subnets: string[] = [];
    for (let s = 0; s < SUBNETS; s++) {
      const prefix = `10.${64 + 16 * c + Math.floor(s / 4)}.${64 * (s % 4)}`;
      subnets.push(
        (
          await post<{ subnet: { uuid: string } }>('createSubnet', `${path}/network/${network}/subnet`, {
            name: `sub-${c + 1}-${s + 1}`,
            cidr: `${prefix}.0/18`,
            gateway: `${prefix}.1`,
          })
        ).subnet.uuid,
      );
    }
    clusters.push({ uuid, path, pools, volumeSpecs, subnets });
  }

  // The fleet, adopted.
  const { fleet, enrolSeconds } = await startFleet(server, { hosts: HOSTS, vcpus: HOST_VCPUS, memory: HOST_MEMORY });
  console.log(`${HOSTS} agents enrolled in ${fmt(enrolSeconds, 1)} s`);
  const adoptSeconds = await adoptHosts(server, fleet, clusters, { timeoutMs: 600_000 });
  console.log(`${HOSTS} hosts adopted in ${fmt(adoptSeconds, 1)} s`);

  // One public image, fetched once by one host.
  const image = (await post<{ image: { uuid: string } }>('createPublicImage', '/v1/image/public', { name: 'bench-image', install_url: IMAGE_URL }))
    .image.uuid;
  for (const imageFrom = performance.now(); ; await sleep(250)) {
    const { state } = (await get<{ image: { state: number } }>('getImage', `/v1/image/${image}`)).image;
    if (state === 1) break;
    if (performance.now() - imageFrom > 120_000) throw new Error(`the image is still in state ${state} after 120 s`);
  }

  console.log('measuring the steady load for 10 s');
  const idleCpuPerS = await steadyCpuPerS(server.pid);

  const requestedAt = new Map<string, number>();
  const runningAt = new Map<string, number>();
  const failedVms = new Set<string>();
  const stream = followEvents(server.url, token, (event) => {
    if (event.type === 'VmOperationSucceeded' && event.data?.changes?.state === 1 && !runningAt.has(event.stream_id)) {
      runningAt.set(event.stream_id, performance.now());
    }
    if (event.type === 'VmOperationFailed') failedVms.add(event.stream_id);
  });
  await sleep(500);

  const requestLatencies: number[] = [];
  const refusals = new Map<string, number>();
  let placed = 0;
  let lastAnswer = 0;
  const measurement = startMeasuring(server.pid);
  const progress = setInterval(
    () =>
      console.log(
        `  ${fmt((performance.now() - measurement.at) / 1000, 0)} s: ${placed} placed, ${runningAt.size} running, ` +
          `${failedVms.size} failed, ${[...refusals.values()].reduce((a, b) => a + b, 0)} refused`,
      ),
    30_000,
  );
  onCleanup(() => clearInterval(progress));
  /** A refusal or a broken connection is counted by its message (uuids blanked) and printed the first time. */
  const refuse = (message: string) => {
    if (!refusals.has(message))
      console.log(`  ${fmt((performance.now() - measurement.at) / 1000, 0)} s: first refusal of its kind: ${message}`);
    refusals.set(message, (refusals.get(message) ?? 0) + 1);
  };
  await inBatches(
    Array.from({ length: VMS }, (_, i) => i),
    CONCURRENCY,
    async (i) => {
      const cluster = clusters[i % CLUSTERS];
      const sent = performance.now();
      const answer = request(server.url, 'POST', '/v1/vm', {
        token,
        body: {
          az_uuid: az,
          cluster_uuid: cluster.uuid,
          name: `vm-${i}`,
          instance_spec_uuid: instanceSpec,
          nics: [{ name: 'eth0', subnet_uuid: cluster.subnets[Math.floor(i / CLUSTERS) % SUBNETS] }],
          volumes: [{ name: 'root', size: SIZE, volume_spec_uuid: cluster.volumeSpecs[Math.floor(i / CLUSTERS) % POOLS], image_uuid: image }],
        },
      });
      let status: number;
      let body: unknown;
      try {
        ({ status, body } = await answer);
      } catch (error) {
        // The connection broke (reset, timed out): the VM may or may not exist; it is counted, not awaited.
        refuse(`no answer: ${(error as Error).message}`);
        return;
      }
      const answered = performance.now();
      lastAnswer = Math.max(lastAnswer, answered);
      requestLatencies.push(answered - sent);
      if (status !== 200) {
        refuse(`${status} ${JSON.stringify(body)
          .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g, '<uuid>')
          .slice(0, 300)}`);
        return;
      }
      placed++;
      // The event may arrive before the answer: "running" is measured from the request.
      requestedAt.set((body as { result: { vm: { uuid: string } } }).result.vm.uuid, sent);
    },
  );
  const requestsDone = performance.now();
  const settled = () => [...requestedAt.keys()].filter((uuid) => runningAt.has(uuid) || failedVms.has(uuid)).length;
  while (settled() < placed) {
    if (stream.ended()) throw new Error('the event stream ended');
    if (performance.now() - requestsDone > 300_000) throw new Error(`only ${settled()} of ${placed} VMs settled within 300 s`);
    await sleep(250);
  }
  clearInterval(progress);
  const lastRunning = Math.max(...[...requestedAt.keys()].map((uuid) => runningAt.get(uuid) ?? 0));
  const window = (Math.max(lastRunning, lastAnswer) - measurement.at) / 1000;
  const { serverCpu, fleetCpu, peakRss } = measurement.end();
  const hwm = memoryMb(server.pid).hwm;
  stream.close();
  const running = [...requestedAt.keys()].filter((uuid) => runningAt.has(uuid));
  const endToEnd = running.map((uuid) => runningAt.get(uuid)! - requestedAt.get(uuid)!);

  // The hosts, in one query: capacity as the scheduler computes it, claims, and what their VMs hold.
  const db = new Client({ connectionString: server.env.DATABASE_URL });
  await db.connect();
  const { rows: hosts } = await db.query<{
    total_vcpus: number;
    used_vcpus: number;
    total_memory: string;
    used_memory: string;
    vm_vcpus: string;
    vm_memory: string;
    vms: string;
  }>(
    `SELECT ${capacitySql('c.physical_vcpus', 'h.cpu_ratio', 'h.reserved_vcpus')}::int AS total_vcpus, h.used_vcpus,
            ${capacitySql('c.physical_memory', 'h.memory_ratio', 'h.reserved_memory')}::bigint AS total_memory, h.used_memory,
            coalesce(v.vcpus, 0) AS vm_vcpus, coalesce(v.memory, 0) AS vm_memory, coalesce(v.n, 0) AS vms
       FROM hosts h JOIN clients c ON c.uuid = h.uuid
       LEFT JOIN (SELECT host_uuid, sum(vcpus) AS vcpus, sum(memory) AS memory, count(*) AS n
                    FROM vms WHERE state <> 10 GROUP BY host_uuid) v ON v.host_uuid = h.uuid`,
  );
  const { rows: stateRows } = await db.query<{ state: number; n: string }>('SELECT state, count(*) AS n FROM vms GROUP BY state ORDER BY state');
  await db.end();
  const overCapacity = hosts.filter((h) => h.used_vcpus > h.total_vcpus || Number(h.used_memory) > Number(h.total_memory)).length;
  const claimsOff = hosts.filter((h) => h.used_vcpus !== Number(h.vm_vcpus) || Number(h.used_memory) !== Number(h.vm_memory)).length;
  const perHost = hosts.map((h) => Number(h.vms));
  const fullHosts = hosts.filter((h) => h.total_vcpus - h.used_vcpus < VM_VCPUS || Number(h.total_memory) - Number(h.used_memory) < VM_MEMORY).length;
  const vmStates = Object.fromEntries(stateRows.map((r) => [String(r.state), Number(r.n)]));
  const poolsUsed = await Promise.all(
    clusters.flatMap((c) =>
      c.pools.map(
        async (pool) => (await get<{ storage_pool: { used_size: number } }>('getStoragePool', `${c.path}/storage_pool/${pool}`)).storage_pool.used_size,
      ),
    ),
  );
  // Every VM in the table that did not fail holds its root volume's claim (one whose answer was lost too).
  const vmsHolding = perHost.reduce((a, b) => a + b, 0);
  const poolsExact = poolsUsed.reduce((a, b) => a + b, 0) === vmsHolding * SIZE;
  const fleetStats = fleet.stats();
  await fleet.stop();
  await server.stop();

  const replay = await verifyReplay(DIST, server);

  const placementSeconds = (lastAnswer - measurement.at) / 1000;
  const refused = VMS - placed;
  const result = {
    hosts: HOSTS,
    clusters: CLUSTERS,
    host_vcpus: HOST_VCPUS,
    host_memory_gib: HOST_MEMORY / GIB,
    vm_vcpus: VM_VCPUS,
    vm_memory_gib: VM_MEMORY / GIB,
    root_volume_gib: SIZE / GIB,
    subnets_per_cluster: SUBNETS,
    pools_per_cluster: POOLS,
    subnet_prefix: 18,
    vms: VMS,
    concurrency: CONCURRENCY,
    fill_percent: Number(((100 * VMS) / slots).toFixed(1)),
    placed,
    refused,
    refusals: Object.fromEntries(refusals),
    running: running.length,
    failed: failedVms.size,
    placement_seconds: Number(placementSeconds.toFixed(1)),
    seconds: Number(window.toFixed(1)),
    placements_per_s: Number((placed / placementSeconds).toFixed(1)),
    running_per_s: Number((running.length / window).toFixed(1)),
    request_p50_ms: Number(percentile(requestLatencies, 50).toFixed(1)),
    request_p99_ms: Number(percentile(requestLatencies, 99).toFixed(1)),
    running_p50_ms: Number(percentile(endToEnd, 50).toFixed(1)),
    running_p99_ms: Number(percentile(endToEnd, 99).toFixed(1)),
    server_cpu_percent: Number(((100 * serverCpu) / window).toFixed(1)),
    server_cpu_us_per_vm: Math.round((serverCpu * 1e6) / Math.max(1, placed)),
    server_cpu_us_per_vm_net: Math.round(((serverCpu - idleCpuPerS * window) * 1e6) / Math.max(1, placed)),
    steady_load_cpu_percent: Number((100 * idleCpuPerS).toFixed(1)),
    fleet_and_client_cpu_percent: Number(((100 * fleetCpu) / window).toFixed(1)),
    server_peak_rss_mb: Math.round(peakRss),
    server_hwm_mb: Math.round(hwm),
    hosts_over_capacity: overCapacity,
    hosts_claims_not_their_vms: claimsOff,
    hosts_full: fullHosts,
    vms_per_host_min: Math.min(...perHost),
    vms_per_host_max: Math.max(...perHost),
    vm_states: vmStates,
    pool_claims_exact: poolsExact,
    fleet_tasks_failed: fleetStats.tasksFailed,
    fleet_errors: fleetStats.errors,
    verify_replay_exit: replay,
  };

  console.log();
  printTable(
    ['figure', 'value'],
    [
      ['VMs placed (200) / refused', `${placed} / ${refused}`],
      ['VMs running / failed', `${result.running} / ${result.failed}`],
      ['placements per s (first request → last answer)', fmt(result.placements_per_s, 1)],
      ['VMs running per s, end to end', fmt(result.running_per_s, 1)],
      ['createVm p50 / p99 (ms)', `${result.request_p50_ms} / ${result.request_p99_ms}`],
      ['request → running p50 / p99 (ms)', `${result.running_p50_ms} / ${result.running_p99_ms}`],
      ['server CPU, % of a core', fmt(result.server_cpu_percent, 1)],
      ['server CPU per VM (µs): all / net of steady load', `${result.server_cpu_us_per_vm} / ${result.server_cpu_us_per_vm_net}`],
      ['steady load before, % of a core', fmt(result.steady_load_cpu_percent, 1)],
      ["the fleet's and the client's CPU, % of a core", fmt(result.fleet_and_client_cpu_percent, 1)],
      ['server peak RSS while creating / VmHWM (MB)', `${result.server_peak_rss_mb} / ${result.server_hwm_mb}`],
      ['hosts over capacity', String(overCapacity)],
      ["hosts whose claims are not their VMs' sum", String(claimsOff)],
      ['VMs per host min / max (hosts full)', `${result.vms_per_host_min} / ${result.vms_per_host_max} (${fullHosts})`],
      ["pools' used_size = the root volumes'", String(poolsExact)],
      ['fleet: tasks failed / request errors', `${fleetStats.tasksFailed} / ${fleetStats.errors}`],
      ['verify:replay exit code', String(replay)],
    ],
  );
  for (const [message, count] of refusals) console.log(`refused ×${count}: ${message}`);
  // One pool per cluster is the run of record ("postgres"); a run with more is kept beside it.
  writeResults('schedule', stampedByDatabase({ [POOLS === 1 ? 'postgres' : `postgres_pools_${POOLS}`]: result }), { merge: true });
});
