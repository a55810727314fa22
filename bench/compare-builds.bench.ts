/**
 * Two builds of the server side by side (issue 21's "before → after"): each its own child process
 * (`node <dist>/src/main.js`, as in production) on its own fresh PostgreSQL database holding the
 * same rows (12 AZs, 12 clusters in the first), and the same reads sent to one and then the other,
 * C keep-alive connections for D seconds, the order swapped every round. On this shared 2-core VM
 * the machine's speed drifts by ±20 % within a minute; only rates measured side by side, seconds
 * apart, compare. Reports per read the median req/s and server CPU per request of each build and the
 * median of the per-round ratios after/before, with every round's ratio.
 *
 *   npm run build && git worktree add /tmp/before <rev> && (cd /tmp/before && npm ci && npm run build)
 *   npm run bench:compare -- --before=/tmp/before/dist [--after=dist] [--rounds=6] [--duration=3]
 *
 * Writes bench/results.json key "compare" (with both builds' paths) unless `--only` narrows it.
 */
import { resolve } from 'node:path';
import {
  closeHttpAgent,
  fmt,
  intOption,
  login,
  machineLine,
  median,
  parseOptions,
  printTable,
  request,
  runBenchmark,
} from './support/bench-kit';
import { cpuSeconds, startBuilt } from './support/built-server';
import { runLoad } from './support/load';
import { writeResults } from './support/results';

const USAGE =
  'usage: npm run bench:compare -- --before=<dist> [--after=dist] [--rounds=6] [--duration=3] [--connections=32] [--only=getAz,listAz,listCluster]';
const { values } = parseOptions(USAGE, ['before', 'after', 'rounds', 'duration', 'connections', 'only']);
if (!values.before) {
  console.error(USAGE);
  process.exit(2);
}
const ROOT = resolve(__dirname, '..');
const BUILDS = { before: resolve(ROOT, values.before), after: resolve(ROOT, values.after ?? 'dist') };
const ROUNDS = intOption(values, 'rounds', 6);
const DURATION_SEC = intOption(values, 'duration', 3);
const CONNECTIONS = intOption(values, 'connections', 32);
const READS = (values.only ?? 'getAz,listAz,listCluster').split(',');
const KNOWN = ['getAz', 'listAz', 'listCluster'];
if (READS.some((read) => !KNOWN.includes(read))) {
  console.error(`--only takes ${KNOWN.join(', ')}\n${USAGE}`);
  process.exit(2);
}

type Build = keyof typeof BUILDS;
interface Target {
  url: string;
  headers: Record<string, string>;
}

/** A build listening on a fresh database with the rows the reads read; its pid and targets. */
async function startWithRows(dist: string): Promise<{ pid: number; targets: Record<string, Target> }> {
  const server = await startBuilt(dist, 'postgres');
  const token = await login(server.url);
  const create = async (path: string, kind: 'az' | 'cluster', name: string): Promise<string> => {
    const res = await request(server.url, 'POST', path, { token, body: { name } });
    if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return (res.body as { result: Record<string, { uuid: string }> }).result[kind].uuid;
  };
  const az = await create('/v1/az', 'az', 'compare-az-0');
  for (let i = 1; i < 12; i++) await create('/v1/az', 'az', `compare-az-${i}`);
  for (let i = 0; i < 12; i++) await create(`/v1/az/${az}/cluster`, 'cluster', `compare-cluster-${i}`);
  const headers = { authorization: `Bearer ${token}` };
  return {
    pid: server.pid,
    targets: {
      getAz: { url: `${server.url}/v1/az/${az}`, headers },
      listAz: { url: `${server.url}/v1/az?size=10`, headers },
      listCluster: { url: `${server.url}/v1/az/${az}/cluster?size=10`, headers },
    },
  };
}

runBenchmark('bench:compare', 30 * 60_000, async () => {
  console.log(`${machineLine()} — before ${BUILDS.before}, after ${BUILDS.after}`);
  console.log(`${READS.join(', ')}: ${CONNECTIONS} connections, ${DURATION_SEC} s per build and read, ${ROUNDS} rounds`);
  const servers = {
    before: await startWithRows(BUILDS.before),
    after: await startWithRows(BUILDS.after),
  };
  const measure = async (build: Build, read: string, durationSec: number) => {
    const { pid, targets } = servers[build];
    const cpuBefore = cpuSeconds(pid);
    const result = await runLoad({ ...targets[read], connections: CONNECTIONS, durationSec });
    if (result.bad > 0) throw new Error(`${build} ${read}: ${result.bad} failed responses`);
    return { rps: result.rps, cpuUs: ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.ok };
  };
  for (const read of READS) for (const build of ['before', 'after'] as const) await measure(build, read, 2); // warm-up

  const runs: Record<string, { rps: number; cpuUs: number }[]> = {};
  const ratios: Record<string, number[]> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const read of READS) {
      const order: Build[] = round % 2 === 0 ? ['before', 'after'] : ['after', 'before'];
      const thisRound: Partial<Record<Build, { rps: number; cpuUs: number }>> = {};
      for (const build of order)
        (runs[`${read} ${build}`] ??= []).push((thisRound[build] = await measure(build, read, DURATION_SEC)));
      (ratios[read] ??= []).push(thisRound.after!.rps / thisRound.before!.rps);
    }
    console.log(`round ${round + 1}: ${READS.map((read) => `${read} ×${fmt(ratios[read][round])}`).join(', ')}`);
  }

  const summary: Record<string, unknown> = {};
  const rows = READS.map((read) => {
    const of = (build: Build) => ({
      rps: median(runs[`${read} ${build}`].map((r) => r.rps)),
      cpuUs: median(runs[`${read} ${build}`].map((r) => r.cpuUs)),
    });
    const [before, after] = [of('before'), of('after')];
    const ratio = median(ratios[read]);
    summary[read] = {
      before_rps: Math.round(before.rps),
      before_cpu_us_per_request: Math.round(before.cpuUs),
      after_rps: Math.round(after.rps),
      after_cpu_us_per_request: Math.round(after.cpuUs),
      after_over_before: Number(fmt(ratio)),
      rounds: ratios[read].map((r) => Number(fmt(r))),
    };
    return [
      read,
      fmt(before.rps, 0),
      fmt(before.cpuUs, 0),
      fmt(after.rps, 0),
      fmt(after.cpuUs, 0),
      fmt(ratio),
      ratios[read].map((r) => fmt(r)).join(' '),
    ];
  });
  console.log();
  printTable(['read', 'before req/s', 'CPU µs/req', 'after req/s', 'CPU µs/req', 'after/before', 'rounds'], rows);
  closeHttpAgent();
  if (values.only) console.log('--only: not written to bench/results.json');
  else {
    writeResults('compare', {
      measured_at: new Date().toISOString(),
      machine: machineLine(),
      before: BUILDS.before,
      after: BUILDS.after,
      ...summary,
    });
  }
});
