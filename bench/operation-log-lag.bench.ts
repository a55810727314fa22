/**
 * Issue 5: operation-log lag (event committed → entry visible) under write load; bar p99 ≤ 1 s.
 *
 * One server (createApp, in-process, real socket) per database. C clients (in a worker thread, so
 * they do not share the server's event loop) drive writes for D seconds, each cycling through one
 * AZ of its own: createAz, 3 × updateAz, disableAz, enableAz, deleteAz (so at most C AZs exist at
 * once, well under the limit of 32). Every request carries an
 * X-Request-Id chosen by the client, which becomes the entry's request_id. The event is committed
 * before the response is sent, so the response's arrival is taken as the commit time.
 *
 * A poller reads new operation_log rows every P ms straight from the database (its own connection
 * on PostgreSQL; the server's one session on the embedded database) and notes, for each request_id,
 * when the query that first returned it had finished: an upper bound of the moment the entry became
 * visible. lag = that moment − the response's arrival (negative values, an entry seen before the
 * response had arrived, count as 0). So the lag is overstated by up to P ms plus the query's time,
 * never understated; the "from request sent" figures are a looser upper bound still.
 */
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { Client } from 'pg';
import {
  DatabaseKind,
  fmt,
  freshDatabaseEnv,
  intOption,
  login,
  machineLine,
  parseOptions,
  percentile,
  printTable,
  runBenchmark,
  sleep,
  startServer,
} from './support/bench-kit';

const USAGE = `usage: npm run bench:lag -- [--db=embedded|postgres|both] [--duration=20] [--clients=8] [--poll=20] [--pool=N (DATABASE_POOL_SIZE of the server)]`;
const { databases, values } = parseOptions(USAGE, ['duration', 'clients', 'poll', 'pool']);
const DURATION_MS = intOption(values, 'duration', 20) * 1000;
const CLIENTS = intOption(values, 'clients', 8);
const POLL_MS = intOption(values, 'poll', 20);
/** The server's connection pool on PostgreSQL; by default the server's own default. */
const POOL = values.pool === undefined ? undefined : intOption(values, 'pool', 10);
/** After the load: how long entries still missing are waited for before they count as missing. */
const SETTLE_MS = 30_000;

if (CLIENTS > 32) {
  console.error('--clients must be at most 32 (each client keeps one AZ; the limit is 32 AZs)');
  process.exit(2);
}

interface Write {
  requestId: string;
  op: string;
  sentAt: number;
  doneAt: number;
}

type Query = (sql: string, params: unknown[]) => Promise<{ id: string; request_id: string }[]>;

/** Notes when each operation_log entry was first seen; stops when asked. */
class Poller {
  readonly seenAt = new Map<string, number>();
  private lastId = 0;
  private stopped = false;
  private running: Promise<void> | undefined;
  polls = 0;

  constructor(private readonly query: Query) {}

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        await this.pollOnce();
        await sleep(POLL_MS);
      }
    })();
    this.running.catch(() => undefined); // a failure is reported by stop()
  }

  async pollOnce(): Promise<void> {
    const rows = await this.query(
      'SELECT id::text AS id, request_id::text AS request_id FROM operation_log WHERE id > $1 ORDER BY id',
      [this.lastId],
    );
    const at = now();
    this.polls++;
    for (const row of rows) {
      if (!this.seenAt.has(row.request_id)) this.seenAt.set(row.request_id, at);
      this.lastId = Math.max(this.lastId, Number(row.id));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }
}

/**
 * PostgreSQL only, for the explanation of the numbers: every 50 ms, the oldest transaction of the
 * server that holds a transaction id. While it runs, pg_snapshot_xmin() cannot pass it, so no
 * reader of the log (the operation-log consumer included) can take any event written after it
 * began. Classified by its last statement: the operation-log consumer's batch, or a command.
 */
class XminHolders {
  readonly ages: number[] = [];
  consumer = 0;
  /** Of the consumer's samples: those where PostgreSQL was waiting for the server process to send its next statement. */
  consumerIdle = 0;
  private stopped = false;
  private running: Promise<void> | undefined;

  constructor(private readonly pg: Client) {}

  start(): void {
    this.running = (async () => {
      while (!this.stopped) {
        const { rows } = await this.pg.query<{ age_ms: number; query: string; state: string }>(
          `SELECT (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::float8 AS age_ms, query, state
             FROM pg_stat_activity
            WHERE datname = current_database() AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()
            ORDER BY xact_start LIMIT 1`,
        );
        if (rows[0]) {
          this.ages.push(rows[0].age_ms);
          if (/operation_log|event_subscriptions|FROM event_log/.test(rows[0].query)) {
            this.consumer++;
            if (rows[0].state === 'idle in transaction') this.consumerIdle++;
          }
        } else {
          this.ages.push(0);
        }
        await sleep(50);
      }
    })();
    this.running.catch(() => undefined); // a failure is reported by stop()
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  describe(): string {
    const share = this.ages.length ? Math.round((100 * this.consumer) / this.ages.length) : 0;
    return (
      `oldest transaction holding an xid (holds back every log reader), ${this.ages.length} samples: ` +
      `age p50 ${fmt(percentile(this.ages, 50), 0)} ms, p95 ${fmt(percentile(this.ages, 95), 0)} ms, max ${fmt(percentile(this.ages, 100), 0)} ms; ` +
      `the operation-log consumer's own batch in ${share}% of samples, ` +
      `in ${this.consumer ? Math.round((100 * this.consumerIdle) / this.consumer) : 0}% of those idle in transaction (waiting for the server process, not for PostgreSQL)`
    );
  }
}

/** Epoch milliseconds with sub-millisecond precision, comparable across threads. */
const now = () => performance.timeOrigin + performance.now();

/** The C clients' write loops, in a worker thread (support/write-load-worker.js), until `deadline` (epoch ms). */
function writeLoad(baseUrl: string, token: string, deadline: number): Promise<Write[]> {
  const worker = new Worker(join(__dirname, 'support', 'write-load-worker.js'), {
    workerData: { url: baseUrl, token, clients: CLIENTS, deadline },
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => {
        void worker.terminate();
        reject(new Error('the write load did not stop in time'));
      },
      deadline - now() + 60_000,
    );
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('message', (message: { error?: string; writes: Write[] }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (message.error) reject(new Error(message.error));
      else resolve(message.writes);
    });
  });
}

async function benchmark(kind: DatabaseKind): Promise<string[]> {
  console.log(
    `\n=== operation-log lag, ${kind} database, ${CLIENTS} clients, ${DURATION_MS / 1000} s, poll every ${POLL_MS} ms ===`,
  );
  const env = await freshDatabaseEnv(kind);
  const server = await startServer(POOL === undefined ? env : { ...env, DATABASE_POOL_SIZE: String(POOL) });
  let pollClient: Client | undefined;
  let sampleClient: Client | undefined;
  let holders: XminHolders | undefined;
  try {
    const token = await login(server.url);
    let query: Query;
    if (env.DATABASE_URL) {
      const pg = new Client({ connectionString: env.DATABASE_URL, application_name: 'chime-bench-lag-poller' });
      pollClient = pg;
      await pg.connect();
      query = async (sql, params) => (await pg.query(sql, params)).rows;
      sampleClient = new Client({ connectionString: env.DATABASE_URL, application_name: 'chime-bench-lag-sampler' });
      await sampleClient.connect();
      holders = new XminHolders(sampleClient);
    } else {
      query = (sql, params) => server.dataSource.query(sql, params);
    }
    const poller = new Poller(query);
    await poller.pollOnce(); // the login's entry and anything before: not part of the measurement
    poller.seenAt.clear();
    poller.start();
    holders?.start();

    const started = now();
    const writes = await writeLoad(server.url, token, started + DURATION_MS);
    const loadEnd = now();
    await holders?.stop();

    // Let the projection catch up with the last writes, then stop polling.
    const settleDeadline = now() + SETTLE_MS;
    while (writes.some((w) => !poller.seenAt.has(w.requestId)) && now() < settleDeadline) await sleep(POLL_MS);
    await poller.stop();

    const lags: number[] = [];
    const lagsFromSent: number[] = [];
    let missing = 0;
    for (const w of writes) {
      const seen = poller.seenAt.get(w.requestId);
      if (seen === undefined) {
        missing++;
        continue;
      }
      lags.push(Math.max(0, seen - w.doneAt));
      lagsFromSent.push(seen - w.sentAt);
    }
    const latencies = writes.map((w) => w.doneAt - w.sentAt);
    const rate = writes.length / ((loadEnd - started) / 1000);
    const byOp = new Map<string, number>();
    writes.forEach((w) => byOp.set(w.op, (byOp.get(w.op) ?? 0) + 1));
    console.log(
      `${writes.length} writes in ${fmt((loadEnd - started) / 1000, 1)} s (${[...byOp].map(([op, n]) => `${n} ${op}`).join(', ')}), ` +
        `${poller.polls} polls; ${missing} entries never seen within ${SETTLE_MS / 1000} s after the load`,
    );
    printTable(
      ['ms', 'p50', 'p95', 'p99', 'max'],
      [
        ['write latency', ...[50, 95, 99, 100].map((p) => fmt(percentile(latencies, p), 1))],
        ['lag from response', ...[50, 95, 99, 100].map((p) => fmt(percentile(lags, p), 1))],
        ['lag from request sent', ...[50, 95, 99, 100].map((p) => fmt(percentile(lagsFromSent, p), 1))],
      ],
    );
    // Steady or growing? The p99 lag of the writes answered in each third of the run.
    const thirds = [0, 1, 2].map((k) => {
      const from = started + (k * (loadEnd - started)) / 3;
      const to = started + ((k + 1) * (loadEnd - started)) / 3;
      const inThird = writes.filter((w) => w.doneAt >= from && w.doneAt < to && poller.seenAt.has(w.requestId));
      return fmt(
        percentile(
          inThird.map((w) => Math.max(0, poller.seenAt.get(w.requestId)! - w.doneAt)),
          99,
        ),
        0,
      );
    });
    console.log(`lag p99 by third of the run: ${thirds.join(' / ')} ms`);
    if (holders) console.log(holders.describe());
    const p99 = percentile(lags, 99);
    return [
      kind,
      String(CLIENTS),
      String(writes.length),
      fmt(rate, 0),
      fmt(percentile(latencies, 50), 1),
      fmt(percentile(lags, 50), 1),
      fmt(percentile(lags, 95), 1),
      fmt(p99, 1),
      fmt(percentile(lags, 100), 1),
      fmt(percentile(lagsFromSent, 99), 1),
      String(missing),
      missing === 0 && p99 <= 1000 ? 'yes' : 'NO',
    ];
  } finally {
    await holders?.stop();
    await sampleClient?.end().catch(() => undefined);
    await pollClient?.end().catch(() => undefined);
    await server.close();
  }
}

runBenchmark('operation-log lag benchmark', 10 * 60_000, async () => {
  console.log('operation-log lag: write committed (response received) → operation_log entry visible');
  console.log(`machine: ${machineLine()}`);
  const summary: string[][] = [];
  for (const kind of databases) summary.push(await benchmark(kind));
  console.log(
    `\n=== summary: lag from response to visible entry (ms), and its looser upper bound from request sent; bar p99 ≤ 1000 ms ===`,
  );
  printTable(
    [
      'database',
      'clients',
      'writes',
      'writes/s',
      'write p50',
      'lag p50',
      'lag p95',
      'lag p99',
      'lag max',
      'p99 from sent',
      'missing',
      'p99 ≤ 1 s',
    ],
    summary,
  );
});
