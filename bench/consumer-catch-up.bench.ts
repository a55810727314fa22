/**
 * Issue 13: durable consumers catching up from position 0 on a long log (PostgreSQL). Bar: ≥ 5,000
 * events/s for 10⁶ events.
 *
 * In a scratch database (`chime_bench_<random>`; schema from starting the real server once), the
 * bulk seeder (support/seed-log.ts) writes N events straight into event_log, each as if caused by a
 * request of its own: the most work for the operation-log projection (one entry per event). The
 * real consumers then catch up from position 0, twice:
 *   (a) cold: with the server stopped, every consumer's checkpoint is set back to the start and
 *       operation_log emptied; the server (createApp, in-process) starts, and the consumers start
 *       with it. Timed from just before the start (the start-up is included);
 *   (b) warm: on the running server, under every consumer's advisory lock (so that no batch is
 *       half done), the same reset, then `NOTIFY chime_event_log` wakes the consumers, as a
 *       commit in another process would. Timed from the reset's commit.
 * Each consumer's checkpoint is sampled every 100 ms until it stands on the log's last event; the
 * rate is N / the time the slowest consumer took. The operation log must then hold exactly one
 * entry per request. The plan of a consumer's read in the middle of the log is printed.
 * Results are merged into bench/results.json under "consumer_catch_up".
 */
import { Client } from 'pg';
import { createScratchDatabase, fmt, machineLine, printTable, runBenchmark, sleep, startServer } from './support/bench-kit';
import { writeResults } from './support/results';
import { logSizeOptions, seedAzEvents } from './support/seed-log';

const { events: EVENTS, perAggregate: PER_AGGREGATE, aggregates } = logSizeOptions('bench:catchup');
const BAR = 5_000;
/** As in libs/event-log/src/subscription-runner.ts. */
const CONSUMER_LOCK_SPACE = 0x63686d63;

interface Head {
  transactionId: string;
  position: string;
}

/** Resets every consumer to the start of the log and empties what the operation log built. */
async function resetConsumers(client: Client): Promise<void> {
  await client.query('BEGIN');
  await client.query('SELECT pg_advisory_xact_lock($1, hashtext(name)) FROM event_subscriptions ORDER BY name', [
    CONSUMER_LOCK_SPACE,
  ]);
  await client.query('TRUNCATE operation_log');
  await client.query(
    "UPDATE event_subscriptions SET last_transaction_id = '0', last_position = 0, handled = 0, failures = 0, failed_position = NULL, last_error = NULL",
  );
  await client.query('COMMIT');
}

/** Samples the checkpoints until every consumer stands on the head; returns seconds per consumer, from `started`. */
async function waitForHead(client: Client, head: Head, started: number): Promise<Record<string, number>> {
  const done: Record<string, number> = {};
  let lastLine = 0;
  for (;;) {
    const { rows } = await client.query<{ name: string; txid: string; position: string; handled: string; failures: number }>(
      'SELECT name, last_transaction_id::text AS txid, last_position::text AS position, handled, failures FROM event_subscriptions',
    );
    const now = performance.now();
    for (const row of rows) {
      if (row.failures > 0) throw new Error(`consumer ${row.name} is failing: ${JSON.stringify(row)}`);
      if (done[row.name] === undefined && row.txid === head.transactionId && row.position === head.position) {
        done[row.name] = (now - started) / 1000;
      }
    }
    if (now - lastLine > 1000) {
      lastLine = now;
      process.stderr.write(`\r${rows.map((r) => `${r.name} ${r.handled}`).join(', ')}   `);
    }
    if (rows.every((row) => done[row.name] !== undefined)) break;
    if (now - started > 20 * 60_000) throw new Error('the consumers did not reach the head within 20 minutes');
    await sleep(100);
  }
  process.stderr.write('\n');
  return done;
}

async function checkOperationLog(client: Client): Promise<void> {
  const { rows } = await client.query<{ entries: number; requests: number }>(
    `SELECT (SELECT count(*)::int FROM operation_log) AS entries,
            (SELECT count(DISTINCT metadata->>'request_id')::int FROM event_log WHERE metadata->>'request_id' IS NOT NULL) AS requests`,
  );
  if (rows[0].entries !== rows[0].requests) {
    throw new Error(`operation_log holds ${rows[0].entries} entries for ${rows[0].requests} requests`);
  }
}

runBenchmark('bench:catchup', 45 * 60_000, async () => {
  console.log(`consumers catching up on ${EVENTS} events (PostgreSQL) — ${machineLine()}`);
  const database = await createScratchDatabase();
  const env = { DATABASE_URL: database.url };
  await (await startServer(env)).close();
  const client = new Client({ connectionString: database.url });
  await client.connect();
  try {
    const seedStarted = performance.now();
    await seedAzEvents(client, { aggregates, perAggregate: PER_AGGREGATE, requests: true });
    await client.query('VACUUM ANALYZE event_log');
    const { rows: counted } = await client.query<{ count: number }>('SELECT count(*)::int AS count FROM event_log');
    const count = counted[0].count;
    console.log(`seeded ${count} events in ${fmt((performance.now() - seedStarted) / 1000, 1)} s`);
    const { rows: heads } = await client.query<Head>(
      `SELECT transaction_id::text AS "transactionId", position::text AS position FROM event_log
        ORDER BY event_log.transaction_id DESC, event_log.position DESC LIMIT 1`,
    );
    const head = heads[0];

    // (a) cold: the consumers start with the server.
    await resetConsumers(client);
    let started = performance.now();
    const server = await startServer(env);
    const cold = await waitForHead(client, head, started);
    await checkOperationLog(client);

    // (b) warm: reset under the running consumers, then wake them as another process would.
    await resetConsumers(client);
    started = performance.now();
    await client.query('NOTIFY chime_event_log');
    const warm = await waitForHead(client, head, started);
    await checkOperationLog(client);
    await server.close();

    const { rows: middle } = await client.query<{ txid: string; position: string }>(
      'SELECT transaction_id::text AS txid, position::text AS position FROM event_log ORDER BY event_log.transaction_id, event_log.position OFFSET $1 LIMIT 1',
      [Math.floor(count / 2)],
    );
    const { rows: plan } = await client.query<{ 'QUERY PLAN': string }>(
      `EXPLAIN (ANALYZE, BUFFERS, COSTS OFF)
       SELECT position, transaction_id::text AS transaction_id, stream_type, stream_id, version, type, data, metadata, created_at
         FROM event_log
        WHERE (transaction_id, position) > ($1::xid8, $2::bigint)
          AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
        ORDER BY event_log.transaction_id, event_log.position
        LIMIT 200`,
      [middle[0].txid, middle[0].position],
    );
    console.log(
      `\nplan of a consumer's read (200 events) in the middle of the log:\n${plan.map((r) => `  ${r['QUERY PLAN']}`).join('\n')}\n`,
    );

    const names = Object.keys(cold).sort();
    const rate = (seconds: number) => count / seconds;
    printTable(
      ['consumer', 'cold s', 'cold events/s', 'warm s', 'warm events/s'],
      names.map((name) => [name, fmt(cold[name]), fmt(rate(cold[name]), 0), fmt(warm[name]), fmt(rate(warm[name]), 0)]),
    );
    const coldAll = Math.max(...Object.values(cold));
    const warmAll = Math.max(...Object.values(warm));
    console.log(
      `\nall consumers at the head: cold ${fmt(coldAll)} s (${fmt(rate(coldAll), 0)} events/s, start-up included), ` +
        `warm ${fmt(warmAll)} s (${fmt(rate(warmAll), 0)} events/s); bar ≥ ${BAR}: ${Math.min(rate(coldAll), rate(warmAll)) >= BAR ? 'yes' : 'NO'}`,
    );
    writeResults('consumer_catch_up', {
      database: 'postgres',
      events: count,
      events_per_request: 1,
      cold_seconds: Object.fromEntries(names.map((n) => [n, Number(cold[n].toFixed(2))])),
      warm_seconds: Object.fromEntries(names.map((n) => [n, Number(warm[n].toFixed(2))])),
      cold_events_per_s: Math.round(rate(coldAll)),
      warm_events_per_s: Math.round(rate(warmAll)),
      machine: machineLine(),
      measured_at: new Date().toISOString(),
    });
  } finally {
    await client.end();
  }
});
