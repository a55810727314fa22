import { randomUUID } from 'node:crypto';
import { Transaction, type EventMetadata } from '@chime/event-log';
import { createConnection, type Connection } from 'mysql2/promise';
import type { DataSource, EntityManager } from 'typeorm';
import { MODULES } from '../modules';
import { importersOf, type ModuleImport } from '../platform/feature-module';
import { ImportedIds, ImportReport, type Importer, type ImportWork } from '../platform/import/importer';
import { MysqlSource, type FieldRule } from './source-database';

export interface ImportOptions {
  /** `mysql://user:password@host:3306/chime` */
  from: string;
  dryRun?: boolean;
  /** `--rename` and `--set` rules. */
  rules?: readonly FieldRule[];
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
    works = await plan(connection, importers, outcome.report, options.rules ?? []);
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
    input: JSON.stringify({ from: source, rules: options.rules ?? [] }),
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
  const found: string[] = [];
  // One after the other: inside the transaction they share one connection.
  for (const importer of importers) found.push(...(await importer.occupied(manager)));
  return found;
}

async function plan(
  connection: Connection,
  importers: readonly Importer[],
  report: ImportReport,
  rules: readonly FieldRule[],
): Promise<ImportWork[]> {
  // One consistent snapshot of every table, however long reading takes; the source is only read.
  await connection.query('SET time_zone = "+00:00"');
  await connection.query('START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY');
  const source = new MysqlSource(connection, rules, report);
  const context = {
    source,
    report,
    ids: new ImportedIds(),
    startedAt: new Date(),
    isRenamed: source.isRenamed.bind(source),
  };
  const works: ImportWork[] = [];
  for (const importer of importers) works.push(await importer.plan(context));
  source.reportUnused();
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
