/**
 * Issue 13: the request path against a bare Nest route, and createCluster against raw `pg`.
 *
 * Processes, all on this machine:
 *   baseline — bench/support/baseline-app.ts: a minimal NestJS app on platform-express with one
 *              JSON route (GET /hello), its own process;
 *   server   — the built server (`node <dist>/src/main.js`, default ./dist), its own process, on a
 *              fresh database (PostgreSQL by default), with its default configuration (logging at
 *              `info` to stdout, which goes to /dev/null here);
 *   load     — autocannon in a worker thread of this process, C keep-alive connections (default 32).
 *   floor    — bench/support/floor-app.ts (PostgreSQL only, issue 21): a bare NestJS app on
 *              platform-express answering getAz, listAz and listCluster from the server's database
 *              through a `pg` Pool, the same statements prepared, in the envelope — and nothing else;
 *   checked floor — the same app with the checks issue 21 keeps on (token guard, validation, request
 *              id, log line, metrics), each done the plainest way (floor-app.ts);
 * Read scenarios, each run for D seconds in every round, a read's floor and checked floor right
 * beside it, in an order rotated round by round (roundOrder):
 *   baseline GET /hello · GET /healthz · getAz (cached token) · listAz (size=10 of 12) ·
 *   listCluster (size=10 of 12) · the floor's and the checked floor's getAz, listAz, listCluster.
 * Each read's ratio is its req/s over the baseline's in the same round, and (issue 21) getAz's,
 * listAz's and listCluster's over the floor's same read in the same round, and over the checked
 * floor's (the checked floor's own over the floor's says what the checks cost on the bare stack);
 * the median over rounds is reported, with the median p50/p99.
 * Write scenario, its variants in an order rotated round by round: createCluster + deleteCluster pairs
 * through the API vs. the same two transactions written by hand with `pg` (bench/support/raw-pairs.js,
 * run by bench/support/pair-worker.js) on a second database migrated by the server's own migrations,
 * same concurrency, a pool of the server's size; and the same transactions behind the floor's and the
 * checked floor's write routes (in that second database). Ratio: pairs/s server over pairs/s raw (the
 * issue's), and over the floor's and the checked floor's pairs/s (what the bare stack pays for a write).
 *
 * `--dist=<dir>` measures another build (e.g. a checkout of an older commit, for "before");
 * `--label` names the run in bench/results.json (key "http"). `--profile=<dir>` starts the server,
 * the floor and the checked floor with --cpu-prof and leaves their .cpuprofile files there (named by
 * pid; open one in Chrome DevTools or speedscope), and prints, for each read and for the write pairs,
 * the CPU per request of the server beside the checked floor's and of the checked floor beside the
 * floor's, taken from the load windows alone, by package and by function (profile-summary.ts).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import {
  ADMIN_PASSWORD,
  DatabaseKind,
  fmt,
  freshDatabaseEnv,
  intOption,
  login,
  machineLine,
  median,
  parseOptions,
  percentile,
  printTable,
  request,
  runBenchmark,
  createScratchDatabase,
  withTimeout,
  closeHttpAgent,
} from './support/bench-kit';
import { cpuSeconds, serverNodeFlags } from './support/built-server';
import { freePort, startProcess } from './support/child-app';
import { hrtimeUs, LoadWindow, printCostDiff, windowCost } from './support/profile-summary';
import { LoadResult, runLoad } from './support/load';
import { stampedByDatabase, writeResults } from './support/results';

const USAGE = `usage: npm run bench:http -- [--db=postgres|embedded|both] [--rounds=3] [--duration=5] [--connections=32] [--dist=dist] [--label=after] [--profile=<dir>] [--only=getAz,listAz,…]`;
const { databases: parsedDatabases, values } = parseOptions(USAGE, [
  'rounds',
  'duration',
  'connections',
  'dist',
  'label',
  'profile',
  'only',
]);
// The issue's figures are on PostgreSQL: that is the default here (--db=both for both).
const databases: DatabaseKind[] = (values.db ?? process.env.BENCH_DB) ? parsedDatabases : ['postgres'];
const ROUNDS = intOption(values, 'rounds', 3);
const DURATION_SEC = intOption(values, 'duration', 5);
const CONNECTIONS = intOption(values, 'connections', 32);
const ROOT = resolve(__dirname, '..');
const DIST = resolve(ROOT, values.dist ?? 'dist');
const LABEL = values.label ?? 'after';
const PROFILE_DIR = values.profile ? resolve(values.profile) : undefined;

/** Targets of issue 13 (ratios over the baseline measured in the same run). */
const TARGETS: Record<string, number> = { healthz: 0.85, getAz: 0.6, listAz: 0.45, listCluster: 0.45, createCluster: 0.5 };
/** Targets of issue 21 (ratios over the floor's same read, measured in the same run). */
const FLOOR_TARGETS: Record<string, number> = { getAz: 0.8, listAz: 0.7, listCluster: 0.7 };
/** The floor's scenario for each read it answers. */
const FLOOR_OF = { getAz: 'floorGetAz', listAz: 'floorListAz', listCluster: 'floorListCluster' } as const;
/** The checked floor's scenario for each read it answers, and the floor's same read. */
const CHECKED_OF = { getAz: 'checkedGetAz', listAz: 'checkedListAz', listCluster: 'checkedListCluster' } as const;
const FLOOR_OF_CHECKED = {
  checkedGetAz: 'floorGetAz',
  checkedListAz: 'floorListAz',
  checkedListCluster: 'floorListCluster',
} as const;
const P99_LIMIT_MS = 50;

/** CPU time (user + system) a process has used so far, in milliseconds (Linux /proc). */
const cpuMs = (pid: number) => cpuSeconds(pid) * 1000;

/** Creates a resource through the API and returns its uuid (`result[kind].uuid`). */
async function create(url: string, token: string, path: string, kind: 'az' | 'cluster', body: unknown): Promise<string> {
  const res = await request(url, 'POST', path, { token, body });
  if (res.status !== 200) throw new Error(`POST ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { result: Record<string, { uuid: string }> }).result[kind].uuid;
}

interface PairResult {
  pairs: number;
  /** The server's CPU time per create + delete pair (µs), for the API variant. */
  cpuUsPerPair?: number;
  pairsPerSec: number;
  createP50: number;
  createP99: number;
  deleteP99: number;
  bad: number;
}

function runPairs(workerData: Record<string, unknown>): Promise<PairResult> {
  const worker = new Worker(join(__dirname, 'support', 'pair-worker.js'), {
    workerData: { connections: CONNECTIONS, durationSec: DURATION_SEC, ...workerData },
  });
  return withTimeout(
    new Promise<PairResult>((done, reject) => {
      worker.once('error', reject);
      worker.once('message', (m: { error?: string; create: number[]; remove: number[]; durationMs: number; bad: number }) => {
        void worker.terminate();
        if (m.error) return reject(new Error(m.error));
        done({
          pairs: m.remove.length,
          pairsPerSec: m.remove.length / (m.durationMs / 1000),
          createP50: percentile(m.create, 50),
          createP99: percentile(m.create, 99),
          deleteP99: percentile(m.remove, 99),
          bad: m.bad,
        });
      });
    }),
    (DURATION_SEC + 60) * 1000,
    'the pair worker',
  );
}

/** A second database with the server's schema (its own migrations) and `count` enabled AZs, for raw `pg`. */
async function rawDatabase(count: number): Promise<{ url: string; azUuids: string[] }> {
  const database = await createScratchDatabase();
  await promisify(execFile)(process.execPath, [join(DIST, 'src', 'migrate.js')], {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' },
  });
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const { rows } = await client.query<{ uuid: string }>(
      `INSERT INTO availability_zones (uuid, name, description, parent, state, version, created_at)
       SELECT gen_random_uuid(), 'raw-' || g, '', '', 1, 1, now() FROM generate_series(1, $1::int) AS g
       RETURNING uuid`,
      [count],
    );
    return { url: database.url, azUuids: rows.map((r) => r.uuid) };
  } finally {
    await client.end();
  }
}

/**
 * With `--profile`, where each scenario's load fell in its process's life, to read the CPU profiles
 * by: what the server spent per request beside the checked floor, and the checked floor beside the
 * floor, in the same kind of window (profile-summary.ts).
 */
class LoadWindows {
  private readonly byScenario = new Map<string, { pid: number; windows: LoadWindow[] }>();

  add(scenario: string, pid: number, window: LoadWindow): void {
    const entry = this.byScenario.get(scenario) ?? { pid, windows: [] };
    entry.windows.push(window);
    this.byScenario.set(scenario, entry);
  }

  /** Forgets the warm-up's windows. */
  clear(): void {
    this.byScenario.clear();
  }

  /** Once the processes have exited and written their profiles (`CPU.<date>.<time>.<pid>.….cpuprofile`). */
  printCosts(dir: string): void {
    const files = readdirSync(dir);
    const cost = (scenario: string) => {
      const entry = this.byScenario.get(scenario);
      const file = entry && files.find((name) => name.split('.')[3] === String(entry.pid));
      return entry && file ? windowCost(join(dir, file), entry.windows) : undefined;
    };
    const pairs: [string, string, string][] = [
      ...(Object.keys(CHECKED_OF) as (keyof typeof CHECKED_OF)[]).map((read): [string, string, string] => [
        read,
        CHECKED_OF[read],
        FLOOR_OF[read],
      ]),
      ['server pairs', 'checked pairs', 'floor pairs'],
    ];
    for (const [server, checkedScenario, floorScenario] of pairs) {
      const [s, c, f] = [cost(server), cost(checkedScenario), cost(floorScenario)];
      const unit = server === 'server pairs' ? { unit: 'pair' } : {};
      if (s && c) printCostDiff(`${server}: the server beside the checked floor`, ['server', 'checked'], [s, c], unit);
      if (c && f) printCostDiff(`${server}: the checked floor beside the floor`, ['checked', 'floor'], [c, f], unit);
    }
  }
}

const ALL_READS = [
  'baseline',
  'healthz',
  'getAz',
  'listAz',
  'listCluster',
  'floorGetAz',
  'floorListAz',
  'floorListCluster',
  'checkedGetAz',
  'checkedListAz',
  'checkedListCluster',
] as const;
type Read = (typeof ALL_READS)[number];
const isFloor = (read: Read) => read.startsWith('floor');
const isChecked = (read: Read) => read.startsWith('checked');
/**
 * The order of one round's reads. A ratio compares two windows of the same round, and this VM's
 * throughput drifts over tens of seconds (other tenants): each read runs between its floor's and
 * its checked floor's, so that both of its ratios compare adjacent windows (in a plain rotation of
 * all eleven they stood up to eight windows apart). The groups' order rotates round by round, and
 * each group runs forwards in one round and backwards in the next, so that a steady drift favours
 * neither floor.
 */
function roundOrder(reads: readonly Read[], round: number): Read[] {
  const groups = reads
    .filter((read) => !isFloor(read) && !isChecked(read))
    .map((read) =>
      [FLOOR_OF[read as keyof typeof FLOOR_OF], read, CHECKED_OF[read as keyof typeof CHECKED_OF]].filter(
        (member): member is Read => member !== undefined && reads.includes(member),
      ),
    );
  const rotated = groups.map((_, i) => groups[(i + round) % groups.length]);
  return rotated.flatMap((group) => (round % 2 === 1 ? [...group].reverse() : group));
}
/** `--only=getAz,createCluster` runs just those (the baseline and their floors always run): for profiling one path. */
const ONLY = values.only?.split(',');
const selected = (read: Read) =>
  read === 'baseline' ||
  !ONLY ||
  ONLY.includes(read) ||
  [FLOOR_OF, CHECKED_OF].some((floors) => Object.entries(floors).some(([of, floor]) => floor === read && ONLY.includes(of)));
const WRITES = !ONLY || ONLY.includes('createCluster');
const WRITE_AZS = 8;
/** The write pairs: through the server, in raw `pg`, and through the floor's and the checked floor's write routes. */
type WriteVariant = 'server' | 'raw' | 'floor' | 'checked';

async function runOn(kind: DatabaseKind) {
  console.log(`\n=== HTTP request path, ${kind} database, ${CONNECTIONS} connections, ${DURATION_SEC} s × ${ROUNDS} rounds ===`);
  const baseline = await startProcess(
    'the baseline app',
    ['--require', './test/support/ts-register.js', 'bench/support/baseline-app.ts'],
    {},
    await freePort(),
    '/hello',
  );
  const env = await freshDatabaseEnv(kind);
  // The floor reads the server's database, which only PostgreSQL shares with another process.
  const READS = ALL_READS.filter((read) => selected(read) && (kind === 'postgres' || !(isFloor(read) || isChecked(read))));
  // The floors run on the server's Node options too: the same runtime on both sides of a ratio.
  const nodeArgs = [...(PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`] : []), ...serverNodeFlags()];
  if (PROFILE_DIR) mkdirSync(PROFILE_DIR, { recursive: true });
  const server = await startProcess(
    'the server',
    [...nodeArgs, join(DIST, 'src', 'main.js')],
    { ...env, CHIME_ADMIN_PASSWORD: ADMIN_PASSWORD },
    await freePort(),
    '/healthz',
  );
  // The raw variant's database; the floors' write routes work in it too (the server's consumers never see those).
  const raw = kind === 'postgres' && WRITES ? await rawDatabase(WRITE_AZS) : undefined;
  const writeEnv: Record<string, string> = raw ? { WRITE_DATABASE_URL: raw.url } : {};
  const WRITE_VARIANTS: WriteVariant[] = !WRITES ? [] : raw ? ['server', 'raw', 'floor', 'checked'] : ['server'];
  const floor =
    kind === 'postgres'
      ? await startProcess(
          'the floor app',
          [...nodeArgs, '--require', './test/support/ts-register.js', 'bench/support/floor-app.ts'],
          { DATABASE_URL: env.DATABASE_URL, ...writeEnv },
          await freePort(),
          '/v1/az',
        )
      : undefined;
  const token = await login(server.url);
  // The checked floor lets in the server's token (and nothing else), so both get the same requests.
  const checked =
    kind === 'postgres'
      ? await startProcess(
          'the checked floor app',
          [...nodeArgs, '--require', './test/support/ts-register.js', 'bench/support/floor-app.ts'],
          { DATABASE_URL: env.DATABASE_URL, FLOOR_TOKEN: token, ...writeEnv },
          await freePort(),
          '/v1/az',
          token,
        )
      : undefined;
  const azs: string[] = [];
  for (let i = 0; i < 12 + WRITE_AZS; i++) azs.push(await create(server.url, token, '/v1/az', 'az', { name: `bench-az-${i}` }));
  for (let i = 0; i < 12; i++)
    await create(server.url, token, `/v1/az/${azs[0]}/cluster`, 'cluster', { name: `bench-cluster-${i}` });
  const auth = { authorization: `Bearer ${token}` };
  const targets: Record<Read, { url: string; headers?: Record<string, string> }> = {
    baseline: { url: `${baseline.url}/hello` },
    healthz: { url: `${server.url}/healthz` },
    getAz: { url: `${server.url}/v1/az/${azs[0]}`, headers: auth },
    listAz: { url: `${server.url}/v1/az?size=10`, headers: auth },
    listCluster: { url: `${server.url}/v1/az/${azs[0]}/cluster?size=10`, headers: auth },
    floorGetAz: { url: `${floor?.url}/v1/az/${azs[0]}` },
    floorListAz: { url: `${floor?.url}/v1/az?size=10` },
    floorListCluster: { url: `${floor?.url}/v1/az/${azs[0]}/cluster?size=10` },
    checkedGetAz: { url: `${checked?.url}/v1/az/${azs[0]}`, headers: auth },
    checkedListAz: { url: `${checked?.url}/v1/az?size=10`, headers: auth },
    checkedListCluster: { url: `${checked?.url}/v1/az/${azs[0]}/cluster?size=10`, headers: auth },
  };
  /** One read scenario, with the CPU time its server process spent per response (µs). */
  const loadWindows = new LoadWindows();
  const load = async (read: Read, durationSec: number): Promise<LoadResult & { cpuUs: number }> => {
    const pid = read === 'baseline' ? baseline.pid : isFloor(read) ? floor!.pid : isChecked(read) ? checked!.pid : server.pid;
    const cpuBefore = cpuMs(pid);
    const from = hrtimeUs();
    const result = await runLoad({ ...targets[read], connections: CONNECTIONS, durationSec });
    if (result.bad > 0) throw new Error(`${read}: ${result.bad} failed responses`);
    loadWindows.add(read, pid, { from, to: hrtimeUs(), requests: result.ok });
    return { ...result, cpuUs: ((cpuMs(pid) - cpuBefore) * 1000) / result.ok };
  };
  const pairs = async (variant: WriteVariant): Promise<PairResult> => {
    if (variant === 'raw') return runPairs({ mode: 'pg', databaseUrl: raw!.url, poolSize: 10, azUuids: raw!.azUuids });
    const [target, azUuids] =
      variant === 'server' ? [server, azs.slice(12)] : [variant === 'floor' ? floor! : checked!, raw!.azUuids];
    const cpuBefore = cpuMs(target.pid);
    const from = hrtimeUs();
    const result = await runPairs({ mode: 'http', url: target.url, token, azUuids });
    loadWindows.add(`${variant} pairs`, target.pid, { from, to: hrtimeUs(), requests: result.pairs });
    return { ...result, cpuUsPerPair: ((cpuMs(target.pid) - cpuBefore) * 1000) / result.pairs };
  };

  // Warm-up: JIT, pools, plans, caches.
  for (const read of READS) await load(read, 2);
  for (const variant of WRITE_VARIANTS) await pairs(variant);
  loadWindows.clear();

  const reads = Object.fromEntries(READS.map((read) => [read, []])) as unknown as Record<
    Read,
    (LoadResult & { cpuUs: number })[]
  >;
  const ratios: Record<string, number[]> = {};
  const writes: Record<WriteVariant, PairResult[]> = { server: [], raw: [], floor: [], checked: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const order = roundOrder(READS, round);
    const thisRound: Partial<Record<Read, LoadResult & { cpuUs: number }>> = {};
    for (const read of order) thisRound[read] = await load(read, DURATION_SEC);
    for (const read of READS) {
      reads[read].push(thisRound[read]!);
      if (read !== 'baseline') (ratios[read] ??= []).push(thisRound[read]!.rps / thisRound.baseline!.rps);
      const floorRead = FLOOR_OF[read as keyof typeof FLOOR_OF] ?? FLOOR_OF_CHECKED[read as keyof typeof FLOOR_OF_CHECKED];
      if (floorRead && thisRound[floorRead])
        (ratios[`${read} floor`] ??= []).push(thisRound[read]!.rps / thisRound[floorRead]!.rps);
      const checkedRead = CHECKED_OF[read as keyof typeof CHECKED_OF];
      if (checkedRead && thisRound[checkedRead])
        (ratios[`${read} checked`] ??= []).push(thisRound[read]!.rps / thisRound[checkedRead]!.rps);
    }
    const variants = WRITE_VARIANTS.map((_, i) => WRITE_VARIANTS[(i + round) % WRITE_VARIANTS.length]);
    const pairRound: Partial<Record<WriteVariant, PairResult>> = {};
    for (const variant of variants) pairRound[variant] = await pairs(variant);
    for (const variant of variants) writes[variant].push(pairRound[variant]!);
    if (raw) {
      const server = pairRound.server!.pairsPerSec;
      (ratios.createCluster ??= []).push(server / pairRound.raw!.pairsPerSec);
      (ratios['createCluster floor'] ??= []).push(server / pairRound.floor!.pairsPerSec);
      (ratios['createCluster checked'] ??= []).push(server / pairRound.checked!.pairsPerSec);
      for (const floorVariant of ['floor', 'checked'] as const) {
        (ratios[`${floorVariant} pairs`] ??= []).push(pairRound[floorVariant]!.pairsPerSec / pairRound.raw!.pairsPerSec);
      }
    }
    console.log(
      `round ${round + 1}: ` +
        READS.map((r) => `${r} ${Math.round(thisRound[r]!.rps)}/s`).join(', ') +
        `, createCluster pairs ${variants.map((v) => `${v} ${Math.round(pairRound[v]!.pairsPerSec)}/s`).join(', ')}`,
    );
  }
  await server.stop();
  await floor?.stop();
  await checked?.stop();
  await baseline.stop();
  if (PROFILE_DIR) loadWindows.printCosts(PROFILE_DIR);

  const summary: Record<string, Record<string, number | string | null>> = {};
  const rows: string[][] = [];
  const verdict = (name: string, ratio: number, p99: number, floorRatio = NaN) =>
    (TARGETS[name] === undefined || ratio >= TARGETS[name]) &&
    (FLOOR_TARGETS[name] === undefined || !Number.isFinite(floorRatio) || floorRatio >= FLOOR_TARGETS[name]) &&
    p99 < P99_LIMIT_MS
      ? 'yes'
      : 'NO';
  for (const read of READS) {
    const rps = median(reads[read].map((r) => r.rps));
    const p50 = median(reads[read].map((r) => r.p50));
    const p99 = median(reads[read].map((r) => r.p99));
    const ratio = read === 'baseline' ? 1 : median(ratios[read]);
    const floorRatio = ratios[`${read} floor`] ? median(ratios[`${read} floor`]) : NaN;
    const checkedRatio = ratios[`${read} checked`] ? median(ratios[`${read} checked`]) : NaN;
    const cpuUs = median(reads[read].map((r) => r.cpuUs));
    summary[read] = {
      rps: Math.round(rps),
      server_cpu_us_per_request: Math.round(cpuUs),
      p50_ms: Number(fmt(p50)),
      p99_ms: Number(fmt(p99)),
      ratio: Number(fmt(ratio)),
      target: TARGETS[read] ?? null,
      ...(Number.isFinite(floorRatio) ? { floor_ratio: Number(fmt(floorRatio)), floor_target: FLOOR_TARGETS[read] ?? null } : {}),
      ...(Number.isFinite(checkedRatio) ? { checked_floor_ratio: Number(fmt(checkedRatio)) } : {}),
    };
    rows.push([
      read,
      fmt(rps, 0),
      fmt(cpuUs, 0),
      fmt(p50),
      fmt(p99),
      fmt(ratio),
      TARGETS[read] ? `≥ ${TARGETS[read]}` : '',
      Number.isFinite(floorRatio) ? fmt(floorRatio) : '',
      FLOOR_TARGETS[read] !== undefined && Number.isFinite(floorRatio) ? `≥ ${FLOOR_TARGETS[read]}` : '',
      Number.isFinite(checkedRatio) ? fmt(checkedRatio) : '',
      read === 'baseline' || isFloor(read) || isChecked(read) ? '' : verdict(read, ratio, p99, floorRatio),
    ]);
  }
  const WRITE_NAMES: Record<WriteVariant, string> = {
    raw: 'createCluster (raw pg)',
    floor: 'createCluster (floor)',
    checked: 'createCluster (checked floor)',
    server: 'createCluster',
  };
  for (const variant of ['raw', 'floor', 'checked', 'server'] as const) {
    if (writes[variant].length === 0) continue;
    const pps = median(writes[variant].map((w) => w.pairsPerSec));
    const p50 = median(writes[variant].map((w) => w.createP50));
    const p99 = median(writes[variant].map((w) => w.createP99));
    const name = WRITE_NAMES[variant];
    const cpuPerPair = median(writes[variant].map((w) => w.cpuUsPerPair ?? NaN));
    // × raw pg for every variant; the server's also × the floor's and the checked floor's pairs.
    const ratio =
      variant === 'raw' ? 1 : !raw ? NaN : median(ratios[variant === 'server' ? 'createCluster' : `${variant} pairs`]);
    const floorRatio = variant === 'server' && raw ? median(ratios['createCluster floor']) : NaN;
    const checkedRatio = variant === 'server' && raw ? median(ratios['createCluster checked']) : NaN;
    summary[name] = {
      pairs_per_s: Math.round(pps),
      server_cpu_us_per_pair: variant === 'raw' ? null : Math.round(cpuPerPair),
      create_p50_ms: Number(fmt(p50)),
      create_p99_ms: Number(fmt(p99)),
      delete_p99_ms: Number(fmt(median(writes[variant].map((w) => w.deleteP99)))),
      ratio: Number.isFinite(ratio) ? Number(fmt(ratio)) : null,
      target: variant === 'server' ? TARGETS.createCluster : null,
      ...(Number.isFinite(floorRatio)
        ? { floor_ratio: Number(fmt(floorRatio)), checked_floor_ratio: Number(fmt(checkedRatio)) }
        : {}),
    };
    rows.push([
      `${name} pairs`,
      fmt(pps, 0),
      variant === 'raw' ? '' : `${fmt(cpuPerPair, 0)}/pair`,
      fmt(p50),
      fmt(p99),
      fmt(ratio),
      variant === 'server' ? `≥ ${TARGETS.createCluster}` : '',
      Number.isFinite(floorRatio) ? fmt(floorRatio) : '',
      '',
      Number.isFinite(checkedRatio) ? fmt(checkedRatio) : '',
      variant === 'server' && raw ? verdict('createCluster', ratio, p99) : '',
    ]);
  }
  console.log();
  printTable(
    [
      'scenario',
      'req/s',
      'CPU µs/req',
      'p50 ms',
      'p99 ms',
      '× baseline',
      'target',
      '× floor',
      'target',
      '× checked floor',
      `met (and p99 < ${P99_LIMIT_MS} ms)`,
    ],
    rows,
  );
  return summary;
}

runBenchmark('bench:http', 40 * 60_000, async () => {
  console.log(`${machineLine()} — server from ${DIST}, label "${LABEL}"`);
  const byDatabase: Record<string, unknown> = {};
  for (const kind of databases) byDatabase[kind] = await runOn(kind);
  closeHttpAgent();
  if (ONLY) console.log('--only: not written to bench/results.json');
  else {
    writeResults('http', { [LABEL]: stampedByDatabase(byDatabase) }, { merge: true });
  }
  if (PROFILE_DIR) console.log(`CPU profile of the server written to ${PROFILE_DIR}`);
});
