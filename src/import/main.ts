import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { AppConfig } from '../platform/config/app-config';
import { Database } from '../platform/database/database';
import { progressLine } from '../platform/observability/progress';
import { SCHEMA } from '../schema';
import { describeOutcome } from './import-summary';
import { ImportRefused, runImport } from './run-import';
import type { FieldRule } from './source-database';

const USAGE =
  'usage: npm run import -- --from mysql://user:password@host:3306/chime [--dry-run] [--rename table:uuid=name …] [--set table:uuid.column=value …]';

/**
 * `npm run import`: brings a ChimeStack database in, into the (empty) database named by DATABASE_URL
 * or the embedded one in CHIME_DATA_DIR (with the server stopped). Exit 0 when imported (or, with
 * --dry-run, when it would be), 1 when refused (problems in the source, a database not empty), 2 on
 * a usage mistake or an error.
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      from: { type: 'string' },
      'dry-run': { type: 'boolean', default: false },
      rename: { type: 'string', multiple: true, default: [] },
      set: { type: 'string', multiple: true, default: [] },
    },
  });
  if (!values.from) throw new UsageError('--from is required');
  const rules = [...values.rename.map(parseRename), ...values.set.map(parseSet)];
  const database = await Database.open(AppConfig.fromEnvironment(), SCHEMA, { boundQueries: false });
  try {
    // A fresh database gets its tables first, as the server would create them at its start.
    await database.migrate();
    const outcome = await runImport(database.dataSource, {
      from: values.from,
      dryRun: values['dry-run'],
      rules,
      onProgress: progressLine('import', 'rows'),
    });
    process.stdout.write(describeOutcome(outcome));
    return outcome.written || (values['dry-run'] && outcome.report.problems.length === 0 && outcome.occupied.length === 0)
      ? 0
      : 1;
  } catch (error) {
    if (!(error instanceof ImportRefused)) throw error;
    process.stdout.write(describeOutcome(error.outcome));
    process.stderr.write(`import refused: ${error.message}\n`);
    return 1;
  } finally {
    await database.close();
  }
}

class UsageError extends Error {}

/** `--rename t_cluster:d42d3779-e25d-45fd-b7a0-7c36fdd89496=web-2` */
export function parseRename(rule: string): FieldRule {
  const match = /^(\w+):([0-9A-Fa-f-]{36})=(.+)$/s.exec(rule);
  if (!match) throw new UsageError(`--rename ${rule}: expected table:uuid=name`);
  return { table: match[1], uuid: match[2].toLowerCase(), column: 'name', value: match[3] };
}

/** `--set t_az:4a28bf21-1600-40e5-924f-5c03c7f76d4f.description=a shorter text` (the value may be empty) */
export function parseSet(rule: string): FieldRule {
  const match = /^(\w+):([0-9A-Fa-f-]{36})\.(\w+)=(.*)$/s.exec(rule);
  if (!match) throw new UsageError(`--set ${rule}: expected table:uuid.column=value`);
  return { table: match[1], uuid: match[2].toLowerCase(), column: match[3], value: match[4] };
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`import failed: ${(error as Error).message}\n`);
    if (error instanceof UsageError) process.stderr.write(`${USAGE}\n`);
    process.exit(2);
  },
);
