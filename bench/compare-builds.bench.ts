/**
 * Two builds of the server side by side (issue 21's "before → after"): each its own child process
 * (`node <dist>/src/main.js`, as in production) on its own fresh PostgreSQL database holding the
 * same rows (12 AZs, 12 clusters in the first), and the same reads sent to each in turn, C keep-alive
 * connections for D seconds, the order rotated every round; beside them issue 21's floor
 * (bench/support/floor-app.ts: a bare Nest route and a `pg` Pool reading the after build's
 * database), so each round also gives both builds' ratio over the floor, seconds apart. On this
 * shared 2-core VM the machine's speed drifts by ±20 % within a minute; only rates measured side by
 * side, seconds apart, compare. Reports per read the median req/s and server CPU per request of each
 * build and the floor, the median of the per-round ratios after/before (with every round's) and the
 * medians of each build's per-round ratio over the floor.
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
import { cpuSeconds, serverNodeFlags, startBuilt } from './support/built-server';
import { freePort, startProcess } from './support/child-app';
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
/** The two builds, and the floor. */
type Side = Build | 'floor';
const SIDES: Side[] = ['before', 'after', 'floor'];
interface Target {
  url: string;
  headers: Record<string, string>;
}

/** A build listening on a fresh database with the rows the reads read; its pid and targets. */
async function startWithRows(
  dist: string,
): Promise<{ pid: number; targets: Record<string, Target>; databaseUrl: string; az: string }> {
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
    databaseUrl: server.env.DATABASE_URL,
    az,
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
  const before = await startWithRows(BUILDS.before);
  const after = await startWithRows(BUILDS.after);
  const floorApp = await startProcess(
    'the floor app',
    [...serverNodeFlags(), '--require', './test/support/ts-register.js', 'bench/support/floor-app.ts'],
    { DATABASE_URL: after.databaseUrl },
    await freePort(),
    '/v1/az',
  );
  const floor = {
    pid: floorApp.pid,
    targets: {
      getAz: { url: `${floorApp.url}/v1/az/${after.az}`, headers: {} },
      listAz: { url: `${floorApp.url}/v1/az?size=10`, headers: {} },
      listCluster: { url: `${floorApp.url}/v1/az/${after.az}/cluster?size=10`, headers: {} },
    } as Record<string, Target>,
  };
  const sides = { before, after, floor };
  const measure = async (side: Side, read: string, durationSec: number) => {
    const { pid, targets } = sides[side];
    const cpuBefore = cpuSeconds(pid);
    const result = await runLoad({ ...targets[read], connections: CONNECTIONS, durationSec });
    if (result.bad > 0) throw new Error(`${side} ${read}: ${result.bad} failed responses`);
    return { rps: result.rps, cpuUs: ((cpuSeconds(pid) - cpuBefore) * 1e6) / result.ok };
  };
  for (const read of READS) for (const side of SIDES) await measure(side, read, 2); // warm-up

  const runs: Record<string, { rps: number; cpuUs: number }[]> = {};
  /** Per read, every round's after/before, before/floor and after/floor. */
  const ratios: Record<string, { afterOverBefore: number[]; beforeOverFloor: number[]; afterOverFloor: number[] }> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const read of READS) {
      const order = SIDES.map((_, i) => SIDES[(i + round) % SIDES.length]);
      const thisRound: Partial<Record<Side, { rps: number; cpuUs: number }>> = {};
      for (const side of order)
        (runs[`${read} ${side}`] ??= []).push((thisRound[side] = await measure(side, read, DURATION_SEC)));
      const of = (ratios[read] ??= { afterOverBefore: [], beforeOverFloor: [], afterOverFloor: [] });
      of.afterOverBefore.push(thisRound.after!.rps / thisRound.before!.rps);
      of.beforeOverFloor.push(thisRound.before!.rps / thisRound.floor!.rps);
      of.afterOverFloor.push(thisRound.after!.rps / thisRound.floor!.rps);
    }
    console.log(
      `round ${round + 1}: ${READS.map((read) => `${read} ×${fmt(ratios[read].afterOverBefore[round])} (× floor ${fmt(ratios[read].afterOverFloor[round])})`).join(', ')}`,
    );
  }

  const summary: Record<string, unknown> = {};
  const rows = READS.map((read) => {
    const of = (side: Side) => ({
      rps: median(runs[`${read} ${side}`].map((r) => r.rps)),
      cpuUs: median(runs[`${read} ${side}`].map((r) => r.cpuUs)),
    });
    const [before, after, floor] = [of('before'), of('after'), of('floor')];
    const { afterOverBefore, beforeOverFloor, afterOverFloor } = ratios[read];
    summary[read] = {
      before_rps: Math.round(before.rps),
      before_cpu_us_per_request: Math.round(before.cpuUs),
      after_rps: Math.round(after.rps),
      after_cpu_us_per_request: Math.round(after.cpuUs),
      floor_rps: Math.round(floor.rps),
      floor_cpu_us_per_request: Math.round(floor.cpuUs),
      after_over_before: Number(fmt(median(afterOverBefore))),
      rounds: afterOverBefore.map((r) => Number(fmt(r))),
      before_over_floor: Number(fmt(median(beforeOverFloor))),
      after_over_floor: Number(fmt(median(afterOverFloor))),
    };
    return [
      read,
      fmt(before.rps, 0),
      fmt(before.cpuUs, 0),
      fmt(after.rps, 0),
      fmt(after.cpuUs, 0),
      fmt(floor.rps, 0),
      fmt(floor.cpuUs, 0),
      fmt(median(afterOverBefore)),
      afterOverBefore.map((r) => fmt(r)).join(' '),
      fmt(median(beforeOverFloor)),
      fmt(median(afterOverFloor)),
    ];
  });
  console.log();
  printTable(
    [
      'read',
      'before req/s',
      'CPU µs/req',
      'after req/s',
      'CPU µs/req',
      'floor req/s',
      'CPU µs/req',
      'after/before',
      'rounds',
      'before × floor',
      'after × floor',
    ],
    rows,
  );
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
