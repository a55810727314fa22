/**
 * Issue 13: what an idle server costs. Bar: CPU < 0.5 % of one core on both databases, RSS on
 * PostgreSQL < 150 MB (the embedded database's RSS is reported).
 *
 * The built server (dist/src/main.js; run `npm run build` first) is started as a child process on a
 * fresh database, as in production (`node dist/src/main.js`, LOG_LEVEL=warn), on a free port. Once
 * it listens, one login and one request warm it up (the first request's lazy work is not idle
 * cost), then it settles for --settle seconds (60: V8's memory reducer collects the start-up's
 * garbage in a one-off burst of 100–250 ms some 15–40 s after the start) and is measured, untouched, for
 * --duration seconds (60: six of the consumers' 10 s safety polls):
 *   - CPU: utime + stime of the process from /proc/<pid>/stat at the start and the end of the
 *     window, as a percentage of one core over the window (the PostgreSQL server's own work for
 *     it, e.g. answering a poll, is not counted; the process's share of it is its round trips);
 *   - RSS: VmRSS from /proc/<pid>/status at the end of the window, and the highest VmHWM.
 * `--baseline=DIR` measures a second build as well (a dist/ directory of an earlier version, e.g.
 * checked out into a temporary directory and built there), in the same run and on the same
 * database kind, and prints both. Results are merged into bench/results.json under "idle".
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  ADMIN_PASSWORD,
  DatabaseKind,
  fmt,
  freshDatabaseEnv,
  intOption,
  login,
  machineLine,
  parseOptions,
  printTable,
  request,
  runBenchmark,
  onCleanup,
  sleep,
  withTimeout,
} from './support/bench-kit';
import { writeResults } from './support/results';

const USAGE = 'usage: npm run bench:idle -- [--db=embedded|postgres|both] [--settle=60] [--duration=60] [--baseline=DIST_DIR]';
const { databases, values } = parseOptions(USAGE, ['settle', 'duration', 'baseline']);
const SETTLE_S = intOption(values, 'settle', 60);
const DURATION_S = intOption(values, 'duration', 60);
const ROOT = join(__dirname, '..');
const CURRENT = join(ROOT, 'dist');
const BASELINE = values.baseline ? resolve(values.baseline) : undefined;
/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

interface IdleFigures {
  cpu_percent: number;
  rss_mb: number;
  peak_rss_mb: number;
}

/** utime + stime of a process, in seconds. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // fields 14 and 15 of the line
}

function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** Starts `node <dist>/src/main.js` on a fresh database; resolves with its pid and URL once it listens. */
async function startBuilt(dist: string, kind: DatabaseKind): Promise<{ pid: number; url: string; stop(): Promise<void> }> {
  const main = join(dist, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} does not exist: run \`npm run build\` first`);
  const env = await freshDatabaseEnv(kind);
  const child = spawn(process.execPath, [main], {
    cwd: join(dist, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CHIME_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withTimeout(exited, 20_000, 'stopping the server').catch(() => child.kill('SIGKILL'));
  };
  onCleanup(stop);
  const started = Date.now();
  for (;;) {
    const match = /listening on [\d.]+:(\d+)/.exec(output);
    if (match) return { pid: child.pid!, url: `http://127.0.0.1:${match[1]}`, stop };
    if (child.exitCode !== null) throw new Error(`the server exited before listening:\n${output}`);
    if (Date.now() - started > 90_000) throw new Error(`the server did not listen within 90 s:\n${output}`);
    await sleep(100);
  }
}

async function measure(dist: string, kind: DatabaseKind): Promise<IdleFigures> {
  const server = await startBuilt(dist, kind);
  const token = await login(server.url);
  const res = await request(server.url, 'GET', '/v1/az', { token });
  if (res.status !== 200) throw new Error(`GET /v1/az: ${res.status}`);
  await sleep(SETTLE_S * 1000);
  const cpuBefore = cpuSeconds(server.pid);
  const wallBefore = performance.now();
  let peak = 0;
  for (let s = 0; s < DURATION_S; s++) {
    await sleep(1000);
    peak = Math.max(peak, memoryMb(server.pid).hwm);
  }
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const wall = (performance.now() - wallBefore) / 1000;
  const { rss } = memoryMb(server.pid);
  await server.stop();
  return { cpu_percent: Number(((100 * cpu) / wall).toFixed(3)), rss_mb: Math.round(rss), peak_rss_mb: Math.round(peak) };
}

runBenchmark('bench:idle', 20 * 60_000, async () => {
  console.log(`idle server: ${SETTLE_S} s to settle, then ${DURATION_S} s measured — ${machineLine()}`);
  const rows: string[][] = [];
  const entry: Record<string, unknown> = {};
  for (const kind of databases) {
    const baseline = BASELINE ? await measure(BASELINE, kind) : undefined;
    const current = await measure(CURRENT, kind);
    const bars = `CPU < 0.5 %: ${current.cpu_percent < 0.5 ? 'yes' : 'NO'}${kind === 'postgres' ? `, RSS < 150 MB: ${current.rss_mb < 150 ? 'yes' : 'NO'}` : ''}`;
    if (baseline)
      rows.push([`${kind}, baseline`, fmt(baseline.cpu_percent, 3), fmt(baseline.rss_mb, 0), fmt(baseline.peak_rss_mb, 0), '']);
    rows.push([kind, fmt(current.cpu_percent, 3), fmt(current.rss_mb, 0), fmt(current.peak_rss_mb, 0), bars]);
    entry[kind] = {
      ...current,
      ...(baseline ? { baseline: { dist: BASELINE, ...baseline } } : {}),
      settle_s: SETTLE_S,
      duration_s: DURATION_S,
      machine: machineLine(),
      measured_at: new Date().toISOString(),
    };
  }
  console.log();
  printTable(['database', 'CPU % of a core', 'RSS MB', 'peak RSS MB', 'bar'], rows);
  writeResults('idle', entry, { merge: true });
});
