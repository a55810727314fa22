/**
 * Issue 13: reading the operation log at 10³ and at 10⁶ entries; bar: page 1, the `user_uuid` filter
 * and the `method` filter within 2× of the same request at 10³, a deep page (`page=1000`) within 3×.
 *
 * One server (createApp, in-process, real socket) per database. The log is seeded straight into
 * `operation_log` (INSERT … SELECT generate_series: 50 users, a spread of methods, paths and
 * outcomes, one entry a second going back from now), the requests are timed (median of R sequential
 * requests after a few warm-up ones), then the same table is grown to the large size (VACUUM ANALYZE
 * after each seeding, as autovacuum would do in time) and the requests are timed again.
 * Prints the medians and their ratio large/small per request, and writes them to bench/results.json
 * under "operation_log" (other keys of the file are kept).
 */
import type { DataSource, EntityManager } from 'typeorm';
import { stampedByDatabase, writeResults } from './support/results';
import {
  DatabaseKind,
  fmt,
  freshDatabaseEnv,
  intOption,
  login,
  machineLine,
  median,
  parseOptions,
  printTable,
  request,
  runBenchmark,
  startServer,
} from './support/bench-kit';

const USAGE = `usage: npm run bench:oplog -- [--db=embedded|postgres|both] [--small=1000] [--large=1000000 (100000 on embedded)] [--requests=40]`;
const { databases, values } = parseOptions(USAGE, ['small', 'large', 'requests']);
const SMALL = intOption(values, 'small', 1000);
const REQUESTS = intOption(values, 'requests', 40);
/** Seeding and reading 10⁶ rows in the embedded database (PGlite, one core, WASM) is slow: 10⁵ there by default. */
const largeFor = (kind: DatabaseKind) => intOption(values, 'large', kind === 'embedded' ? 100_000 : 1_000_000);
const WARM_UP = 5;
const USERS = 50;

/** The user whose entries the `user_uuid` request asks for (seeded as user 7). */
const userUuid = (i: number | string) => `('00000000-0000-4000-8000-' || lpad((${i})::text, 12, '0'))::uuid`;

const REQUESTS_TIMED: { name: string; path: (user: string) => string }[] = [
  { name: 'page 1', path: () => '/v1/operation_log' },
  { name: 'user_uuid', path: (user) => `/v1/operation_log?user_uuid=${user}` },
  { name: 'method', path: () => '/v1/operation_log?method=DELETE' },
  { name: 'page=1000', path: () => '/v1/operation_log?page=1000&size=10' },
];

/**
 * Adds `count` entries after the table's last id, the newest one second before now. The table is
 * locked meanwhile: the projection numbers its entries after the last id too. One connection of
 * its own, without the server's statement timeout (a batch of 10⁵ rows into five indexes can take
 * longer on a busy machine).
 */
async function seed(dataSource: DataSource, count: number): Promise<void> {
  const runner = dataSource.createQueryRunner();
  try {
    await runner.query('SET statement_timeout = 0');
    await seedOn(runner.manager, count);
    await runner.query('VACUUM ANALYZE operation_log');
  } finally {
    await runner.query('RESET statement_timeout');
    await runner.release();
  }
}

async function seedOn(connection: EntityManager, count: number): Promise<void> {
  const batch = 100_000;
  for (let from = 1; from <= count; from += batch) {
    const to = Math.min(count, from + batch - 1);
    await connection.transaction(async (manager) => {
      await manager.query('LOCK TABLE operation_log IN EXCLUSIVE MODE');
      const [{ last }] = (await manager.query('SELECT coalesce(max(id), 0)::bigint AS last FROM operation_log')) as {
        last: string;
      }[];
      const base = Number(last) - from + 1;
      await manager.query(
        `INSERT INTO operation_log (id, created_at, method, path, input, ip, user_uuid, user_name, request_id, outcome, event_position)
       SELECT $1::bigint + g,
              now() - make_interval(secs => $2::bigint + 1 - g),
              (ARRAY['POST','POST','POST','POST','PATCH','PATCH','PATCH','DELETE','DELETE','PUT','GET','POST'])[1 + g % 12],
              (ARRAY['/v1/az','/v1/clusters','/v1/networks','/v1/users','/v1/instance-specs'])[1 + g % 5] || '/' || (g % 300),
              '{"name":"bench"}',
              '127.0.0.1',
              ${userUuid(`g % ${USERS}`)},
              'bench-user-' || (g % ${USERS}),
              md5('bench-request-' || ($1::bigint + g))::uuid,
              CASE WHEN g % 29 = 0 THEN 'failed' WHEN g % 13 = 0 THEN 'denied' ELSE 'success' END,
              $1::bigint + g
         FROM generate_series($3::bigint, $4::bigint) AS g`,
        [base, count, from, to],
      );
    });
  }
}

async function timeRequests(url: string, token: string, user: string): Promise<Record<string, number>> {
  const medians: Record<string, number> = {};
  for (const { name, path } of REQUESTS_TIMED) {
    const durations: number[] = [];
    for (let i = 0; i < WARM_UP + REQUESTS; i++) {
      // A kept-alive connection may have been closed by the server while the table was seeded.
      const send = () => request(url, 'GET', path(user), { token });
      const res = await send().catch((error: NodeJS.ErrnoException) =>
        error.code === 'ECONNRESET' ? send() : Promise.reject(error),
      );
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${JSON.stringify(res.body)}`);
      if (i >= WARM_UP) durations.push(res.doneAt - res.sentAt);
    }
    medians[name] = median(durations);
  }
  return medians;
}

async function runOn(kind: DatabaseKind): Promise<Record<string, unknown>> {
  const large = largeFor(kind);
  const server = await startServer(await freshDatabaseEnv(kind));
  const token = await login(server.url);
  const [{ user }] = (await server.dataSource.query(`SELECT ${userUuid(7)}::text AS user`)) as { user: string }[];

  let started = performance.now();
  await seed(server.dataSource, SMALL);
  console.log(`${kind}: seeded ${SMALL} entries in ${fmt((performance.now() - started) / 1000, 1)} s`);
  const small = await timeRequests(server.url, token, user);

  started = performance.now();
  await seed(server.dataSource, large - SMALL);
  console.log(`${kind}: grew to ${large} entries in ${fmt((performance.now() - started) / 1000, 1)} s`);
  const big = await timeRequests(server.url, token, user);
  await server.close();

  const rows = REQUESTS_TIMED.map(({ name }) => [name, fmt(small[name]), fmt(big[name]), fmt(big[name] / small[name])]);
  console.log(`\n${kind}: median of ${REQUESTS} sequential requests (ms)`);
  printTable(['request', `${SMALL} entries`, `${large} entries`, 'ratio'], rows);
  console.log();
  return {
    small: SMALL,
    large,
    requests: REQUESTS,
    median_ms: Object.fromEntries(REQUESTS_TIMED.map(({ name }) => [name, { small: small[name], large: big[name] }])),
    ratio: Object.fromEntries(REQUESTS_TIMED.map(({ name }) => [name, Number((big[name] / small[name]).toFixed(2))])),
  };
}

runBenchmark('bench:oplog', 30 * 60_000, async () => {
  console.log(machineLine());
  const byDatabase: Record<string, unknown> = {};
  for (const kind of databases) byDatabase[kind] = await runOn(kind);
  writeResults('operation_log', stampedByDatabase(byDatabase), { merge: true });
});
