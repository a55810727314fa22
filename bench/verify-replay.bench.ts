/**
 * Issue 13: `npm run verify:replay` on a long log — its peak memory and its rate against a raw read.
 *
 * In a scratch database on the local PostgreSQL server (`chime_bench_<random>`; the schema and the
 * super administrator come from starting the real server once), a bulk seeder writes N events
 * straight into event_log (support/seed-log.ts): N / K availability zones, each an AzCreated then
 * K − 1 AzUpdated, one transaction per version layer so the read order keeps every stream in
 * version order; then the final state of each AZ goes into
 * availability_zones, so the replay finds no difference. Then, in the same run:
 *   (a) baseline — a raw server-side cursor read of the whole log (the same columns verify:replay
 *       reads, FETCH 5,000 at a time, rows parsed by the driver and dropped), events/s;
 *   (b) verify:replay as a child process (src/replay/main.ts through the SWC loader, so the RSS
 *       includes the loader's own; with the node options of `npm run verify:replay`), its wall time (start-up included) and its peak RSS, the
 *       highest VmHWM read from /proc/<pid>/status every 50 ms. Its fixed start-up cost is measured
 *       by a first run on the near-empty log, and the rate is also given without it.
 * Reported: both rates, replay/baseline (issue 13's bar: ≥ 0.25) and peak RSS (bar: < 300 MB).
 * Results are merged into bench/results.json under "verify_replay".
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { createScratchDatabase, fmt, machineLine, printTable, runBenchmark, startServer } from './support/bench-kit';
import { writeResults } from './support/results';
import { logSizeOptions, seedAzEvents, seedAzRows } from './support/seed-log';

const { events: EVENTS, perAggregate: PER_AGGREGATE, aggregates } = logSizeOptions('bench:replay');
const ROOT = join(__dirname, '..');

/** Writes `aggregates` AZs of PER_AGGREGATE events each, and their final rows. */
async function seed(client: Client, aggregates: number): Promise<void> {
  await seedAzEvents(client, { aggregates, perAggregate: PER_AGGREGATE });
  await seedAzRows(client, { aggregates, perAggregate: PER_AGGREGATE });
  await client.query('VACUUM ANALYZE event_log');
  await client.query('VACUUM ANALYZE availability_zones');
}

/** The raw read: a server-side cursor over the log in read order; returns [events, seconds]. */
async function rawCursorRead(client: Client): Promise<[number, number]> {
  const started = process.hrtime.bigint();
  let count = 0;
  await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ');
  await client.query(`DECLARE log_cursor NO SCROLL CURSOR FOR
    SELECT position, transaction_id::text AS transaction_id, stream_type, stream_id, version, type, data, metadata, created_at
      FROM event_log ORDER BY transaction_id, position`);
  for (;;) {
    const { rows } = await client.query('FETCH 5000 FROM log_cursor');
    if (rows.length === 0) break;
    count += rows.length;
  }
  await client.query('COMMIT');
  return [count, Number(process.hrtime.bigint() - started) / 1e9];
}

interface ReplayRun {
  exitCode: number | null;
  seconds: number;
  peakRssMb: number;
  stdout: string;
  stderr: string;
}

/**
 * The node options of `npm run verify:replay` (its heap cap: the check's memory is bounded by its
 * pages, and the cap makes the garbage collector keep the process near that bound instead of
 * letting the heap grow lazily), so that the child runs as the script does.
 */
function scriptNodeOptions(): string[] {
  const scripts = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  return /^node ((?:--[\w-]+=\S+ )*)/.exec(scripts['verify:replay'])?.[1].trim().split(' ').filter(Boolean) ?? [];
}

/** verify:replay in a child process, its peak RSS sampled from /proc while it runs. */
function runVerifyReplay(databaseUrl: string): Promise<ReplayRun> {
  const started = process.hrtime.bigint();
  const args = [...scriptNodeOptions(), '--require', './test/support/ts-register.js', 'src/replay/main.ts'];
  const child = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let peakKb = 0;
  const sample = () => {
    try {
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
      if (hwm) peakKb = Math.max(peakKb, Number(hwm[1]));
    } catch {
      // The process has just ended: the last sample stands.
    }
  };
  const sampler = setInterval(sample, 50);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (exitCode) => {
      clearInterval(sampler);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      resolve({ exitCode, seconds, peakRssMb: peakKb / 1024, stdout, stderr });
    });
  });
}

runBenchmark('bench:replay', 60 * 60_000, async () => {
  console.log(`verify:replay (node ${scriptNodeOptions().join(' ')}) on ${EVENTS} events (PostgreSQL) — ${machineLine()}`);
  const database = await createScratchDatabase();
  const server = await startServer({ DATABASE_URL: database.url });
  await server.close();
  // The child's fixed cost (loading and compiling the code, connecting), measured on the near-empty log.
  const startup = await runVerifyReplay(database.url);
  if (startup.exitCode !== 0) throw new Error(`verify:replay exited ${startup.exitCode}: ${startup.stderr.slice(0, 2000)}`);
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const seedStarted = Date.now();
    await seed(client, aggregates);
    const [{ count }] = (await client.query('SELECT count(*)::int AS count FROM event_log')).rows as { count: number }[];
    console.log(
      `seeded ${count} events (${aggregates} AZs × ${PER_AGGREGATE}) in ${fmt((Date.now() - seedStarted) / 1000, 1)} s`,
    );

    const [rawEvents, rawSeconds] = await rawCursorRead(client);
    const replay = await runVerifyReplay(database.url);
    if (replay.exitCode !== 0) throw new Error(`verify:replay exited ${replay.exitCode}: ${replay.stderr.slice(0, 2000)}`);
    const baselineRate = rawEvents / rawSeconds;
    const replayRate = count / replay.seconds;
    const replayPhaseRate = count / Math.max(replay.seconds - startup.seconds, 0.001);
    const ratio = replayRate / baselineRate;
    printTable(
      ['', 'seconds', 'events/s', 'peak RSS'],
      [
        ['raw cursor read', fmt(rawSeconds), fmt(baselineRate, 0), ''],
        ['verify:replay', fmt(replay.seconds), fmt(replayRate, 0), `${fmt(replay.peakRssMb, 0)} MB`],
        ['  less start-up', fmt(replay.seconds - startup.seconds), fmt(replayPhaseRate, 0), ''],
        ['  start-up alone', fmt(startup.seconds), '', `${fmt(startup.peakRssMb, 0)} MB`],
      ],
    );
    console.log(
      `${replay.stdout.trim()}\nreplay/baseline ${fmt(ratio)} (bar ≥ 0.25), peak RSS ${fmt(replay.peakRssMb, 0)} MB (bar < 300)`,
    );
    writeResults('verify_replay', {
      database: 'postgres',
      events: count,
      aggregates,
      events_per_aggregate: PER_AGGREGATE,
      baseline_events_per_s: Math.round(baselineRate),
      replay_events_per_s: Math.round(replayRate),
      replay_seconds: Number(replay.seconds.toFixed(2)),
      ratio: Number(ratio.toFixed(3)),
      startup_seconds: Number(startup.seconds.toFixed(2)),
      startup_peak_rss_mb: Math.round(startup.peakRssMb),
      ratio_without_startup: Number((replayPhaseRate / baselineRate).toFixed(3)),
      peak_rss_mb: Math.round(replay.peakRssMb),
      node_options: scriptNodeOptions().join(' '),
      machine: machineLine(),
      measured_at: new Date().toISOString(),
    });
  } finally {
    await client.end();
  }
});
