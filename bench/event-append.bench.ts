/**
 * Issue 5: the append path's throughput with the read-order scheme vs. without it, in one run.
 *
 * In a scratch database (a fresh `chime_bench_<random>` on the local PostgreSQL server, or a new
 * embedded database in a temporary directory) two tables:
 *   scheme — `event_log` exactly as libs/event-log/src/event-log.migration.ts creates it: each row
 *            records its writer's transaction id (`transaction_id xid8 DEFAULT pg_current_xact_id()`),
 *            indexed with the position for the read order;
 *   naive  — `event_log_naive`, the same table without that column and its index (the type index
 *            becomes (type, position)).
 * The same workload runs against each, alternating rounds (A B, B A, …): K writers, each on a
 * connection of its own, each looping over one-event transactions
 *   BEGIN; <append>; COMMIT
 * where <append> is the INSERT of UnitOfWork (APPEND_SQL, read from libs/event-log/src/unit-of-work.ts
 * at start) for the scheme, and the same statement minus the transaction-id condition of its
 * previous-row check for the naive table. Each writer appends to 4 streams of its own in turn,
 * so most appends continue a stream (expected version > 0, the previous-row check runs) and a
 * few start one. The embedded database is one session, so it runs with one writer.
 *
 * Reported: events/s per round, the medians, and scheme/naive (issue 5's bar: ≥ 0.9).
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { APPEND_SQL, CreateEventLog1764300000000 } from '@chime/event-log';
import { Client } from 'pg';
import type { QueryRunner } from 'typeorm';
import {
  alternate,
  createEmbeddedDir,
  createScratchDatabase,
  DatabaseKind,
  fmt,
  intOption,
  machineLine,
  median,
  onCleanup,
  parseOptions,
  printTable,
  runBenchmark,
} from './support/bench-kit';

const USAGE = `usage: npm run bench:append -- [--db=embedded|postgres|both] [--rounds=8] [--duration=3] [--writers=8]`;
const { databases, values } = parseOptions(USAGE, ['rounds', 'duration', 'writers']);
const ROUNDS = intOption(values, 'rounds', 8);
const DURATION_MS = intOption(values, 'duration', 3) * 1000;
const PG_WRITERS = intOption(values, 'writers', 8);
const STREAMS_PER_WRITER = 4;

/** The same append without the transaction id: the previous-row check only asks "does it exist?". */
const NAIVE_SQL = `
WITH previous AS (
  SELECT 1 FROM event_log_naive WHERE stream_type = $1 AND stream_id = $2 AND version = $3
)
INSERT INTO event_log_naive (stream_type, stream_id, version, type, data, metadata)
SELECT $1, $2, $3 + e.ord, e.event->>'type', e.event->'data', $4::jsonb
FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS e(event, ord)
WHERE ($3 = 0 OR EXISTS (SELECT 1 FROM previous))
RETURNING position`;

/**
 * The naive twin of event_log (created by the server's own migration): the same table without the
 * transaction id, hence without the read-order index.
 */
const NAIVE_SCHEMA = [
  'CREATE TABLE event_log_naive (LIKE event_log INCLUDING ALL)',
  'ALTER TABLE event_log_naive DROP COLUMN transaction_id',
  'CREATE INDEX event_log_naive_type_idx ON event_log_naive (type, position)',
  `CREATE TRIGGER event_log_naive_append_only BEFORE UPDATE OR DELETE ON event_log_naive
   FOR EACH ROW EXECUTE FUNCTION event_log_refuse_change()`,
];

type Variant = 'scheme' | 'naive';

/** A realistic event: an AZ description change by the admin, with the request's metadata. */
function payload(streamId: string, n: number): { metadata: string; events: string } {
  const metadata = {
    request_id: randomUUID(),
    user_uuid: '6f1c0a52-9d1e-4a55-8f2e-3b1d7c9e0a11',
    user_name: 'admin',
    ip: '127.0.0.1',
    method: 'PATCH',
    path: `/v1/az/${streamId}`,
    input: JSON.stringify({ description: `description ${n}` }),
  };
  const events = [{ type: 'AzUpdated', data: { uuid: streamId, changes: { description: `description ${n}` } } }];
  return { metadata: JSON.stringify(metadata), events: JSON.stringify(events) };
}

/** Opens the K writer connections (and one for set-up); returns them and how to close them. */
async function connect(kind: DatabaseKind): Promise<{ admin: Client; writers: Client[] }> {
  if (kind === 'postgres') {
    const db = await createScratchDatabase();
    const open = async () => {
      const client = new Client({ connectionString: db.url, application_name: 'chime-bench-append' });
      await client.connect();
      onCleanup(() => client.end());
      return client;
    };
    const admin = await open();
    const writers = await Promise.all(Array.from({ length: PG_WRITERS }, open));
    return { admin, writers };
  }
  // The embedded database, through PGlite's node-postgres adapter as the server uses it.
  const { PGlite } = await import('@electric-sql/pglite');
  const { createPgConfig } = await import('@electric-sql/pglite/node-postgres');
  const pglite = await PGlite.create(join(createEmbeddedDir(), 'pg'));
  onCleanup(() => pglite.close());
  const client = new Client(createPgConfig(pglite) as unknown as ConstructorParameters<typeof Client>[0]);
  await client.connect();
  onCleanup(() => client.end());
  return { admin: client, writers: [client] };
}

/** K writers appending one-event transactions until the deadline; returns events per second. */
async function round(writers: Client[], variant: Variant, sql: string, tag: string, durationMs: number): Promise<number> {
  const started = performance.now();
  const deadline = started + durationMs;
  const counts = await Promise.all(
    writers.map(async (client, w) => {
      const versions = new Array<number>(STREAMS_PER_WRITER).fill(0);
      let n = 0;
      while (performance.now() < deadline) {
        const s = n % STREAMS_PER_WRITER;
        const streamId = `${tag}-${w}-${s}`;
        const { metadata, events } = payload(streamId, n);
        await client.query('BEGIN');
        try {
          const result = await client.query(sql, ['az', streamId, versions[s], metadata, events]);
          if (result.rowCount !== 1)
            throw new Error(`${variant}: append to ${streamId} at version ${versions[s]} inserted ${result.rowCount} rows`);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw error;
        }
        versions[s]++;
        n++;
      }
      return n;
    }),
  );
  const elapsed = performance.now() - started;
  return counts.reduce((a, b) => a + b, 0) / (elapsed / 1000);
}

async function benchmark(kind: DatabaseKind, scheme: string): Promise<string[]> {
  const { admin, writers } = await connect(kind);
  console.log(
    `\n=== event append, ${kind} database, ${writers.length} writer(s), ${ROUNDS} rounds × ${DURATION_MS / 1000} s per variant ===`,
  );
  await new CreateEventLog1764300000000().up({ query: (sql: string) => admin.query(sql) } as unknown as QueryRunner);
  for (const statement of NAIVE_SCHEMA) await admin.query(statement);
  const sqlOf: Record<Variant, string> = { scheme, naive: NAIVE_SQL };

  // Warm-up: connections, plans, the first pages of both tables.
  for (const variant of ['scheme', 'naive'] as const) await round(writers, variant, sqlOf[variant], `warm-${variant}`, 1000);

  const results: Record<Variant, number[]> = { scheme: [], naive: [] };
  const table: string[][] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const line: Partial<Record<Variant, number>> = {};
    for (const variant of alternate<Variant>('scheme', 'naive', r)) {
      await admin.query('CHECKPOINT').catch(() => undefined); // start each round without the last one's dirty pages
      const rate = await round(writers, variant, sqlOf[variant], `r${r}-${variant}`, DURATION_MS);
      results[variant].push(rate);
      line[variant] = rate;
    }
    table.push([`${r + 1}`, fmt(line.scheme!, 0), fmt(line.naive!, 0), fmt(line.scheme! / line.naive!)]);
    console.log(`  round ${r + 1}: scheme ${fmt(line.scheme!, 0)} events/s, naive ${fmt(line.naive!, 0)} events/s`);
  }
  console.log('');
  printTable(['round', 'scheme events/s', 'naive events/s', 'scheme/naive'], table);

  // Sanity: both logs hold what was appended, with the transaction ids in place.
  const [sizes]: { scheme_rows: string; naive_rows: string; scheme_bytes: string; naive_bytes: string; no_xid: string }[] = (
    await admin.query(`SELECT (SELECT count(*) FROM event_log) AS scheme_rows, (SELECT count(*) FROM event_log_naive) AS naive_rows,
                              pg_total_relation_size('event_log') AS scheme_bytes, pg_total_relation_size('event_log_naive') AS naive_bytes,
                              (SELECT count(*) FROM event_log WHERE transaction_id IS NULL) AS no_xid`)
  ).rows;
  if (Number(sizes.no_xid) !== 0) throw new Error('rows of event_log without a transaction id');
  const perRow = (bytes: string, rows: string) => fmt(Number(bytes) / Number(rows), 0);
  console.log(
    `tables after the run: event_log ${sizes.scheme_rows} rows, ${perRow(sizes.scheme_bytes, sizes.scheme_rows)} bytes/row with indexes; ` +
      `event_log_naive ${sizes.naive_rows} rows, ${perRow(sizes.naive_bytes, sizes.naive_rows)} bytes/row`,
  );
  const s = median(results.scheme);
  const n = median(results.naive);
  // The ratio of the medians, and the median of each round's own ratio (robust to drift between rounds).
  const paired = median(results.scheme.map((x, i) => x / results.naive[i]));
  // What the scheme adds to each append, in time of the whole system (with one writer: each append's latency).
  const extraMicros = (1 / s - 1 / n) * 1e6;
  return [
    kind,
    String(writers.length),
    fmt(s, 0),
    fmt(n, 0),
    fmt(s / n),
    fmt(paired),
    fmt(extraMicros, 0),
    Math.min(s / n, paired) >= 0.9 ? 'yes' : 'NO',
  ];
}

runBenchmark('event-append benchmark', 10 * 60_000, async () => {
  console.log(`event append: read-order scheme (transaction_id xid8 + index) vs. naive log`);
  console.log(`machine: ${machineLine()}`);
  const scheme = APPEND_SQL; // the server's own statement
  const summary: string[][] = [];
  for (const kind of databases) summary.push(await benchmark(kind, scheme));
  console.log(`\n=== summary: median events/s over ${ROUNDS} rounds; bar: scheme/naive ≥ 0.9 ===`);
  printTable(
    [
      'database',
      'writers',
      'scheme events/s',
      'naive events/s',
      'scheme/naive',
      'median round ratio',
      '1/scheme − 1/naive µs',
      '≥ 0.9',
    ],
    summary,
  );
});
