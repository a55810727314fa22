import 'reflect-metadata';
import { AppConfig } from '../platform/config/app-config';
import { Database } from '../platform/database/database';
import { progressLine } from '../platform/observability/progress';
import { SCHEMA } from '../schema';
import { verifyReplay } from './verify-replay';

/**
 * `npm run verify:replay`: checks the database named by DATABASE_URL (or the embedded one in
 * CHIME_DATA_DIR, with the server stopped) against a replay of its event log. Exit 1 on any difference.
 */
async function main(): Promise<number> {
  // Reading and replaying a long event log may rightly take longer than a request's statement bound.
  const database = await Database.open(AppConfig.fromEnvironment(), SCHEMA, { boundQueries: false });
  try {
    const differences = await verifyReplay(database.dataSource, [], { onProgress: phasedProgress() });
    for (const line of differences) process.stderr.write(`${line}\n`);
    const [{ count }]: { count: string }[] = await database.dataSource.query('SELECT count(*) FROM event_log');
    process.stdout.write(
      differences.length === 0
        ? `verify:replay: every table equals the replay of ${count} events\n`
        : `verify:replay: ${differences.length} differences\n`,
    );
    return differences.length === 0 ? 0 : 1;
  } finally {
    await database.close();
  }
}

/**
 * On a terminal, one progress line on stderr per phase (the log in read order, then each stream
 * type), rewritten per page: events read, of how many, and the rate.
 */
function phasedProgress(): ((phase: string, read: number, total: number) => void) | undefined {
  if (!process.stderr.isTTY) return undefined;
  let current: string | undefined;
  let line: ((done: number, total: number) => void) | undefined;
  return (phase, read, total) => {
    if (phase !== current) {
      current = phase;
      line = progressLine(`verify:replay: ${phase === 'log' ? 'the log' : `${phase} streams`}`, 'events');
    }
    line?.(read, total);
  };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`verify:replay failed: ${(error as Error).message}\n`);
    process.exit(2);
  },
);
