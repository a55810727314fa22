/**
 * Issue 3: token checks must not slow down as revoked and expired tokens pile up.
 *
 * One server (createApp, in-process, real socket) per database. Two table states, alternated over
 * several rounds on the same server (A B, B A, …):
 *   empty  — the tokens table holds only valid tokens (the benchmark's login token and its cold tokens);
 *   loaded — the same plus 10,000 dead tokens of the admin user, inserted with SQL: half expired,
 *            half revoked (what a busy server accumulates between two sweeps).
 * Each state is set up from scratch and ends with VACUUM ANALYZE, so both are steady. In each state
 * three measurements:
 *   hot   — autocannon, C connections for D seconds of GET /v1/az with one valid bearer token (the
 *           path almost every request takes: the validated token is served from the in-memory cache);
 *   cold  — one GET /v1/az per never-seen token (N valid tokens inserted with SQL, not through
 *           login, whose password hashing would dominate), C at a time: every request misses the
 *           cache and costs the indexed token query;
 *   query — that token query alone (the SQL of Sessions.resolve), once per cold token, one after
 *           the other: the part of a cache miss the table's size could change, without HTTP noise.
 * The HTTP load runs in a worker thread (bench/support/load-worker.js). Reported: per round, and
 * the medians over rounds of p50/p99 latency and req/s with the slow-down loaded vs. empty
 * (latency loaded/empty, throughput empty/loaded; 1.00 = no change). Issue 3's bar: ≤ 1.2.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { DataSource } from 'typeorm';
import {
  alternate,
  closeHttpAgent,
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
  runBenchmark,
  startServer,
} from './support/bench-kit';
import { LoadResult, runEachToken, runLoad } from './support/load';

const USAGE = `usage: npm run bench:tokens -- [--db=embedded|postgres|both] [--rounds=6] [--duration=4] [--connections=10] [--dead=10000] [--cold=1000]`;
const { databases, values } = parseOptions(USAGE, ['rounds', 'duration', 'connections', 'dead', 'cold']);
const ROUNDS = intOption(values, 'rounds', 6);
const DURATION_SEC = intOption(values, 'duration', 4);
const CONNECTIONS = intOption(values, 'connections', 10);
const DEAD_TOKENS = intOption(values, 'dead', 10_000, 0);
const COLD_TOKENS = intOption(values, 'cold', 1000);

type State = 'empty' | 'loaded';

interface Round {
  hot: LoadResult;
  cold: LoadResult;
  query: LoadResult;
}

/** The same hash as the server's (src/modules/identity/sessions.ts). */
const hashToken = (token: string) => createHash('sha256').update(token.toLowerCase()).digest('hex');

class TokenTable {
  constructor(
    private readonly db: DataSource,
    private readonly adminUuid: string,
    private readonly keepId: string,
  ) {}

  /**
   * Brings the table to a state and returns `cold` valid tokens never used before (in clear): the
   * table then holds the benchmark's login token, those, and the dead tokens when loaded.
   * VACUUM ANALYZE at the end, so that both states are steady (no dead index entries left from the
   * previous state, statistics up to date) and autovacuum has no reason to start during a measurement.
   */
  async set(state: State, cold: number): Promise<string[]> {
    await this.db.query('DELETE FROM tokens WHERE id <> $1', [this.keepId]);
    if (state === 'loaded' && DEAD_TOKENS > 0) {
      // Odd rows expired (in the last days, never revoked), even rows revoked (before expiring).
      await this.db.query(
        `INSERT INTO tokens (id, hash, user_uuid, created_at, expires_at, revoked_at, version)
         SELECT gen_random_uuid(),
                encode(sha256(convert_to(gen_random_uuid()::text, 'UTF8')), 'hex'),
                $1::uuid,
                now() - make_interval(mins => g) - interval '12 hours',
                CASE WHEN g % 2 = 1 THEN now() - make_interval(mins => g) ELSE now() + interval '12 hours' - make_interval(mins => g) END,
                CASE WHEN g % 2 = 1 THEN NULL ELSE now() - make_interval(secs => g) END,
                CASE WHEN g % 2 = 1 THEN 1 ELSE 2 END
           FROM generate_series(1, $2::int) AS g`,
        [this.adminUuid, DEAD_TOKENS],
      );
    }
    const tokens = Array.from({ length: cold }, () => randomUUID());
    await this.db.query(
      `INSERT INTO tokens (id, hash, user_uuid, created_at, expires_at, revoked_at, version)
       SELECT gen_random_uuid(), h, $1::uuid, now(), now() + interval '12 hours', NULL, 1
         FROM unnest($2::text[]) AS h`,
      [this.adminUuid, tokens.map(hashToken)],
    );
    await this.db.query('VACUUM ANALYZE tokens');
    await this.expectCounts(state);
    return tokens;
  }

  /** Guards against anything else (the sweeper) changing the table under the benchmark. */
  async expectCounts(state: State): Promise<void> {
    const [row]: { dead: number; live: number }[] = await this.db.query(
      `SELECT count(*) FILTER (WHERE revoked_at IS NOT NULL OR expires_at <= now())::int AS dead,
              count(*) FILTER (WHERE revoked_at IS NULL AND expires_at > now())::int AS live
         FROM tokens`,
    );
    const dead = state === 'loaded' ? DEAD_TOKENS : 0;
    if (row.dead !== dead || row.live !== 1 + COLD_TOKENS) {
      throw new Error(`the tokens table changed under the benchmark: ${row.dead} dead (expected ${dead}), ${row.live} live`);
    }
  }

  /**
   * The database half of a cache miss alone: the server's token query (src/modules/identity/sessions.ts),
   * once per token, one after the other, through the server's own connection pool.
   */
  async queryEach(tokens: string[]): Promise<LoadResult> {
    const latencies: number[] = [];
    const started = performance.now();
    for (const token of tokens) {
      const t0 = performance.now();
      const rows: unknown[] = await this.db.query(SESSION_QUERY, [hashToken(token), new Date()]);
      latencies.push(performance.now() - t0);
      if (rows.length !== 1) throw new Error('the token query did not find a valid token');
    }
    const seconds = (performance.now() - started) / 1000;
    return {
      rps: tokens.length / seconds,
      p50: percentile(latencies, 50),
      p99: percentile(latencies, 99),
      ok: tokens.length,
      bad: 0,
    };
  }

  /** Pages the token query touches for one valid token: noise-free, unlike its time. */
  async buffers(token: string): Promise<string> {
    const rows: { 'QUERY PLAN': string }[] = await this.db.query(
      `EXPLAIN (ANALYZE, BUFFERS, TIMING OFF, COSTS OFF) ${SESSION_QUERY}`,
      [hashToken(token), new Date()],
    );
    const lines = rows.map((r) => r['QUERY PLAN']);
    const index = lines.findIndex((l) => l.includes('tokens_hash_key'));
    const pages = (from: number) =>
      /Buffers: (.*)$/.exec(lines.slice(from).find((l) => l.includes('Buffers:')) ?? '')?.[1] ?? '?';
    return `whole query ${pages(0)}; token index scan ${index >= 0 ? pages(index) : '?'}`;
  }

  async plan(): Promise<string> {
    const rows: { 'QUERY PLAN': string }[] = await this.db.query(`EXPLAIN ${SESSION_QUERY}`, [
      hashToken(randomUUID()),
      new Date(),
    ]);
    return rows.map((r) => r['QUERY PLAN'].trim()).join(' / ');
  }
}

/** The query of Sessions.resolve() on a cache miss. */
const SESSION_QUERY = `SELECT t.id, t.created_at, t.expires_at, u.uuid, u.name, u.role
                         FROM tokens t JOIN users u ON u.uuid = t.user_uuid
                        WHERE t.hash = $1 AND t.revoked_at IS NULL AND t.expires_at > $2`;

async function benchmark(kind: DatabaseKind): Promise<Record<State, Round[]>> {
  console.log(`\n=== token check, ${kind} database ===`);
  const server = await startServer(await freshDatabaseEnv(kind));
  try {
    const token = await login(server.url);
    const [{ uuid: adminUuid }]: { uuid: string }[] = await server.dataSource.query(
      "SELECT uuid FROM users WHERE name = 'admin'",
    );
    const [{ id: keepId }]: { id: string }[] = await server.dataSource.query('SELECT id FROM tokens WHERE hash = $1', [
      hashToken(token),
    ]);
    const table = new TokenTable(server.dataSource, adminUuid, keepId);
    const url = `${server.url}/v1/az`;
    const hot = (durationSec: number) =>
      runLoad({ url, headers: { authorization: `Bearer ${token}` }, connections: CONNECTIONS, durationSec });
    const cold = (tokens: string[]) => runEachToken({ url, tokens, connections: CONNECTIONS });

    // Warm-up: JIT, connection pools, the query plans of the token check.
    const warm = await table.set('loaded', COLD_TOKENS);
    console.log(`plan of the token check with ${DEAD_TOKENS} dead tokens: ${await table.plan()}`);
    await hot(2);
    await cold(warm);
    await table.queryEach(warm);

    const results: Record<State, Round[]> = { empty: [], loaded: [] };
    const rows: string[][] = [];
    const buffers: string[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      for (const state of alternate<State>('empty', 'loaded', round)) {
        const tokens = await table.set(state, COLD_TOKENS);
        if (round === 0) buffers.push(`  pages read by one token check, ${state}: ${await table.buffers(tokens[0])}`);
        const h = await hot(DURATION_SEC);
        const c = await cold(tokens);
        const q = await table.queryEach(tokens);
        await table.expectCounts(state);
        for (const [what, r] of [
          ['hot', h],
          ['cold', c],
        ] as const) {
          if (r.bad > 0 || r.ok === 0) throw new Error(`${what} run in state ${state}: ${r.bad} failed requests, ${r.ok} ok`);
        }
        results[state].push({ hot: h, cold: c, query: q });
        rows.push([`${round + 1} ${state}`, ...[h, c, q].flatMap((r) => [fmt(r.p50), fmt(r.p99), fmt(r.rps, 0)])]);
        console.log(
          `  round ${round + 1} ${state.padEnd(6)} hot ${fmt(h.rps, 0)} req/s; cold ${fmt(c.rps, 0)} req/s; query p50 ${fmt(q.p50, 3)} ms`,
        );
      }
    }
    console.log(buffers.join('\n'));
    console.log('');
    printTable(['round / state', ...['hot', 'cold', 'query'].flatMap((p) => [`${p} p50 ms`, `${p} p99 ms`, `${p} /s`])], rows);
    return results;
  } finally {
    await server.close();
  }
}

/**
 * Per database and path: the medians over the rounds of each state, and two slow-down figures
 * (loaded vs. empty; latency loaded/empty, throughput empty/loaded): the ratio of the medians, and
 * in parentheses the median of each round's own ratio (the two states of a round ran back to back,
 * so that one is less exposed to the machine's load changing between rounds).
 */
function summarize(kind: DatabaseKind, results: Record<State, Round[]>): string[][] {
  const rows: string[][] = [];
  for (const path of ['hot', 'cold', 'query'] as const) {
    const of = (state: State, key: 'p50' | 'p99' | 'rps') => results[state].map((r) => r[path][key]);
    const cell = (key: 'p50' | 'p99' | 'rps') => {
      const digits = key === 'rps' ? 0 : path === 'query' ? 3 : 2;
      const e = of('empty', key);
      const l = of('loaded', key);
      const slowdown = (empty: number, loaded: number) => (key === 'rps' ? empty / loaded : loaded / empty);
      const ofMedians = slowdown(median(e), median(l));
      const perRound = median(e.map((x, i) => slowdown(x, l[i])));
      return {
        values: `${fmt(median(e), digits)} / ${fmt(median(l), digits)}`,
        slowdown: `${fmt(ofMedians)} (${fmt(perRound)})`,
      };
    };
    const [p50, p99, rps] = [cell('p50'), cell('p99'), cell('rps')];
    rows.push([`${kind} ${path}`, p50.values, p99.values, rps.values, p50.slowdown, p99.slowdown, rps.slowdown]);
  }
  return rows;
}

runBenchmark('token-check benchmark', 15 * 60_000, async () => {
  console.log(
    `token check: ${DEAD_TOKENS} dead tokens vs none; ${ROUNDS} rounds × ${DURATION_SEC} s hot, ${COLD_TOKENS} cold tokens, ${CONNECTIONS} connections`,
  );
  console.log(`machine: ${machineLine()}`);
  const summary: string[][] = [];
  for (const kind of databases) summary.push(...summarize(kind, await benchmark(kind)));
  closeHttpAgent();
  console.log(
    `\n=== summary: medians over ${ROUNDS} rounds, empty / loaded (${DEAD_TOKENS} dead tokens); slow-down = loaded vs. empty as ratio of medians (median of per-round ratios), bar ≤ 1.2 ===`,
  );
  printTable(['database path', 'p50 ms', 'p99 ms', 'req/s', 'slow-down p50', 'slow-down p99', 'slow-down req/s'], summary);
});
