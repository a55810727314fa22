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
import { join, resolve } from 'node:path';
import {
  DatabaseKind,
  fmt,
  intOption,
  login,
  machineLine,
  parseOptions,
  printTable,
  request,
  runBenchmark,
  sleep,
} from './support/bench-kit';
import { cpuSeconds, memoryMb, startBuilt } from './support/built-server';
import { writeResults } from './support/results';

const USAGE = 'usage: npm run bench:idle -- [--db=embedded|postgres|both] [--settle=60] [--duration=60] [--baseline=DIST_DIR]';
const { databases, values } = parseOptions(USAGE, ['settle', 'duration', 'baseline']);
const SETTLE_S = intOption(values, 'settle', 60);
const DURATION_S = intOption(values, 'duration', 60);
const ROOT = join(__dirname, '..');
const CURRENT = join(ROOT, 'dist');
const BASELINE = values.baseline ? resolve(values.baseline) : undefined;
interface IdleFigures {
  cpu_percent: number;
  rss_mb: number;
  peak_rss_mb: number;
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
