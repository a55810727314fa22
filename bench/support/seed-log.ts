/**
 * A fast bulk seeder of the event log for the scale benchmarks: N availability zones, each an
 * AzCreated then K − 1 AzUpdated (a new description), written straight into event_log with
 * INSERT … SELECT generate_series, one statement (one transaction) per version layer so that the
 * read order, (transaction id, position), keeps every stream in version order. 10⁶ events take
 * about a minute on PostgreSQL.
 */
import type { Client } from 'pg';
import { intOption, parseOptions } from './bench-kit';

/** `--events=1000000 --per-aggregate=10`: the log's size and shape, for the benchmarks that seed it. */
export function logSizeOptions(script: string): { events: number; perAggregate: number; aggregates: number } {
  const { values } = parseOptions(`usage: npm run ${script} -- [--events=1000000] [--per-aggregate=10]`, [
    'events',
    'per-aggregate',
  ]);
  const events = intOption(values, 'events', 1_000_000);
  const perAggregate = intOption(values, 'per-aggregate', 10);
  return { events, perAggregate, aggregates: Math.max(1, Math.floor(events / perAggregate)) };
}

export const SEED_CREATED_AT = '2026-01-01T00:00:00.000Z';
const AZ_UUID = `md5('bench-az-' || g)::uuid`;

export interface SeedOptions {
  aggregates: number;
  perAggregate: number;
  /**
   * With request metadata: every event as if caused by a request of its own (a request id, a user,
   * the method and path), the most work for the operation-log projection (one entry per event).
   * Without: `{}`, as events caused by no request.
   */
  requests?: boolean;
}

/** Writes the events (progress on stderr); returns how many. */
export async function seedAzEvents(client: Client, { aggregates, perAggregate, requests = false }: SeedOptions): Promise<number> {
  for (let version = 1; version <= perAggregate; version++) {
    const [type, data] =
      version === 1
        ? [
            'AzCreated',
            `jsonb_build_object('uuid', ${AZ_UUID}, 'name', 'bench-az-' || g, 'description', '', 'parent', '',
                                'state', 1, 'created_at', '${SEED_CREATED_AT}')`,
          ]
        : ['AzUpdated', `jsonb_build_object('uuid', ${AZ_UUID}, 'changes', jsonb_build_object('description', 'd${version}'))`];
    const metadata = requests
      ? `jsonb_build_object('request_id', md5('bench-request-${version}-' || g)::uuid, 'user_uuid', '00000000-0000-4000-8000-000000000001',
                            'user_name', 'bench', 'ip', '127.0.0.1', 'method', '${version === 1 ? 'POST' : 'PATCH'}',
                            'path', '/v1/az' || ${version === 1 ? `''` : `'/' || (${AZ_UUID})::text`}, 'input', '{}')`
      : `'{}'::jsonb`;
    await client.query(
      `INSERT INTO event_log (stream_type, stream_id, version, type, data, metadata)
       SELECT 'az', (${AZ_UUID})::text, ${version}, '${type}', ${data}, ${metadata}
         FROM generate_series(1, $1) AS g ORDER BY g`,
      [aggregates],
    );
    process.stderr.write(`\rseeded ${version * aggregates} events`);
  }
  process.stderr.write('\n');
  return aggregates * perAggregate;
}

/** The AZs' final rows, as the events above leave them (so a replay finds no difference). */
export async function seedAzRows(client: Client, { aggregates, perAggregate }: SeedOptions): Promise<void> {
  await client.query(
    `INSERT INTO availability_zones (uuid, name, description, parent, state, version, created_at)
     SELECT ${AZ_UUID}, 'bench-az-' || g, $2, '', 1, $3, $4::timestamptz FROM generate_series(1, $1) AS g`,
    [aggregates, perAggregate > 1 ? `d${perAggregate}` : '', perAggregate, SEED_CREATED_AT],
  );
}
