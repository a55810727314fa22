import { randomUUID } from 'node:crypto';
import { Transaction, type EventMetadata } from '@chime/event-log';
import { createConnection, type Connection } from 'mysql2/promise';
import type { DataSource, EntityManager } from 'typeorm';
import { MODULES } from '../modules';
import { importersOf, type ModuleImport } from '../platform/feature-module';
import { ImportedIds, ImportReport, type Importer, type ImportWork, type SourceRow } from '../platform/import/importer';

/** `--rename table:uuid=name`: the name a source row takes here. */
export interface RenameRule extends SourceRow {
  name: string;
}

export interface ImportOptions {
  /** `mysql://user:password@host:3306/chime` */
  from: string;
  dryRun?: boolean;
  renames?: readonly RenameRule[];
  /** Rows written so far, of how many (the progress bar). */
  onProgress?(done: number, total: number): void;
  /** Importers of extension modules (tests). */
  extensions?: readonly ModuleImport[];
}

export interface ImportOutcome {
  /** The request id every imported event carries: the import's one operation-log entry. */
  runId: string;
  /** The source URL without its password. */
  source: string;
  report: ImportReport;
  /** What the target holds already (then nothing is imported). */
  occupied: string[];
  /** True when the rows were written (not a dry run, no problem, target empty). */
  written: boolean;
}

/** An import that found problems, or a target that is not empty: nothing was written. */
export class ImportRefused extends Error {
  constructor(readonly outcome: ImportOutcome) {
    super(
      outcome.occupied.length > 0
        ? `the database is not empty (${outcome.occupied.join('; ')}): import into a fresh database`
        : `${outcome.report.problems.length} problems in the source, nothing imported`,
    );
  }
}

/**
 * Imports a ChimeStack database into this server's (empty) database: every module's importer reads
 * its tables in one snapshot of the source and checks them; only when no importer found a problem
 * do they all write, in one transaction, state and events together. Events carry the run's id as
 * their request id (so the operation log shows one entry) and `metadata.import`.
 */
export async function runImport(dataSource: DataSource, options: ImportOptions): Promise<ImportOutcome> {
  const importers = inDependencyOrder(importersOf([...MODULES, ...(options.extensions ?? [])]));
  const source = withoutPassword(options.from);
  const outcome: ImportOutcome = { runId: randomUUID(), source, report: new ImportReport(), occupied: [], written: false };
  outcome.occupied = await occupied(dataSource.manager, importers);
  const connection = await connect(options.from);
  let works: ImportWork[];
  try {
    works = await plan(connection, importers, outcome.report, options.renames ?? []);
  } finally {
    await connection.end();
  }
  if (outcome.occupied.length > 0 || outcome.report.problems.length > 0) {
    if (options.dryRun) return outcome;
    throw new ImportRefused(outcome);
  }
  if (options.dryRun) return outcome;
  const metadata: EventMetadata = {
    request_id: outcome.runId,
    user_uuid: null,
    user_name: null,
    ip: null,
    method: 'IMPORT',
    path: source,
    input: JSON.stringify({ from: source, rename: options.renames ?? [] }),
    import: { source, run_id: outcome.runId },
  };
  const total = works.reduce((sum, work) => sum + work.rows, 0);
  let done = 0;
  await dataSource.transaction(async (manager) => {
    // Checked again where it counts: nothing may have been created since the first look.
    const since = await occupied(manager, importers);
    if (since.length > 0) throw new ImportRefused({ ...outcome, occupied: since });
    const tx = new Transaction(manager, metadata, []);
    for (const work of works) {
      await work.write(tx, () => options.onProgress?.(++done, total));
    }
  });
  outcome.written = true;
  return outcome;
}

async function occupied(manager: EntityManager, importers: readonly Importer[]): Promise<string[]> {
  return (await Promise.all(importers.map((importer) => importer.occupied(manager)))).flat();
}

async function plan(
  connection: Connection,
  importers: readonly Importer[],
  report: ImportReport,
  renames: readonly RenameRule[],
): Promise<ImportWork[]> {
  // One consistent snapshot of every table, however long reading takes; the source is only read.
  await connection.query('SET time_zone = "+00:00"');
  await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  const unused = new Map(renames.map((rule) => [`${rule.table}:${rule.uuid}`, rule]));
  const context = {
    source: {
      async query<Row>(sql: string): Promise<Row[]> {
        try {
          return (await connection.query(sql))[0] as Row[];
        } catch (error) {
          if ((error as { code?: string }).code !== 'ER_NO_SUCH_TABLE') throw error;
          throw new Error(`${(error as Error).message}: is --from a ChimeStack database?`, { cause: error });
        }
      },
    },
    report,
    ids: new ImportedIds(),
    startedAt: new Date(),
    renameOf: (row: SourceRow) => {
      const rule = renames.find((r) => r.table === row.table && r.uuid === row.uuid);
      unused.delete(`${row.table}:${row.uuid}`);
      return rule?.name;
    },
  };
  const works: ImportWork[] = [];
  for (const importer of importers) works.push(await importer.plan(context));
  for (const rule of unused.values()) {
    report.problem(rule.table, rule.uuid, `--rename ${rule.table}:${rule.uuid}=${rule.name} names no row that is imported`);
  }
  await connection.query('COMMIT');
  return works;
}

/** Importers after those they name in `after`; an unknown name or a cycle is a programming error. */
export function inDependencyOrder(importers: readonly Importer[]): Importer[] {
  const byName = new Map(importers.map((importer) => [importer.name, importer]));
  const ordered: Importer[] = [];
  const visiting = new Set<string>();
  const visit = (importer: Importer) => {
    if (ordered.includes(importer)) return;
    if (visiting.has(importer.name)) throw new Error(`importers depend on each other in a cycle through ${importer.name}`);
    visiting.add(importer.name);
    for (const name of importer.after ?? []) {
      const dependency = byName.get(name);
      if (!dependency) throw new Error(`importer ${importer.name} runs after ${name}, which no module declares`);
      visit(dependency);
    }
    visiting.delete(importer.name);
    ordered.push(importer);
  };
  importers.forEach(visit);
  return ordered;
}

async function connect(from: string): Promise<Connection> {
  const url = new URL(from);
  if (url.protocol !== 'mysql:') throw new Error(`--from must be a mysql:// URL, not ${withoutPassword(from)}`);
  return createConnection({ uri: from, timezone: 'Z', dateStrings: true, supportBigNumbers: true, bigNumberStrings: false });
}

export function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString();
  } catch {
    return '(not a URL)';
  }
}
