import type { Transaction } from '@chime/event-log';
import type { Type } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, type ValidationError } from 'class-validator';
import type { EntityManager } from 'typeorm';
import { UUID } from '../http/validation';

/** The ChimeStack database being imported, read in one consistent snapshot. */
export interface SourceDatabase {
  /**
   * The rows of a table, these columns, in this order. `--rename` and `--set` rules
   * (`table:uuid.column=value`) are applied to the rows they name (by their `uuid` column).
   */
  select<Row>(table: string, columns: readonly string[], orderBy?: string): Promise<Row[]>;
}

/** The columns every named ChimeStack resource table has (t_az, t_cluster, t_instance_spec, t_network, t_subnet). */
export interface SourceResourceRow {
  uuid: string;
  name: string;
  /** 0 unavailable, 1 available, 2 suspended, 4 deleted */
  state: number;
  description: string | null;
  /** `YYYY-MM-DD hh:mm:ss` in UTC, or NULL */
  created_at: string | null;
}

/** The columns of SourceResourceRow, to select with a table's own. */
export const RESOURCE_COLUMNS = ['uuid', 'name', 'state', 'description', 'created_at'] as const;

/** A row of the source that the report talks about. */
export interface SourceRow {
  table: string;
  uuid: string;
}

/**
 * What an import found and what it would do: rows per table, rows skipped and renamed, and every
 * problem (a row this server cannot take as it is). Any problem stops the import before it writes.
 */
export class ImportReport {
  readonly imported = new Map<string, number>();
  readonly skipped: (SourceRow & { reason: string })[] = [];
  readonly renamed: (SourceRow & { from: string; to: string; why: string })[] = [];
  readonly problems: (SourceRow & { message: string })[] = [];
  /** Decisions worth telling the operator that change no row's meaning (e.g. a missing timestamp). */
  readonly notes: string[] = [];

  count(table: string, rows = 1): void {
    this.imported.set(table, (this.imported.get(table) ?? 0) + rows);
  }

  skip(table: string, uuid: string, reason: string): void {
    this.skipped.push({ table, uuid, reason });
  }

  problem(table: string, uuid: string, message: string): void {
    this.problems.push({ table, uuid, message });
  }
}

/**
 * Ids that will exist once the import has written, by kind ('az', 'cluster', …), with what later
 * importers need to know of them (e.g. a cluster's AZ). Importers that run first fill it; those
 * that depend on them read it, so no importer reaches into another module's tables or code.
 */
export class ImportedIds {
  private readonly kinds = new Map<string, Map<string, Record<string, string>>>();

  add(kind: string, uuid: string, facts: Record<string, string> = {}): void {
    const ids = this.kinds.get(kind) ?? new Map<string, Record<string, string>>();
    ids.set(uuid, facts);
    this.kinds.set(kind, ids);
  }

  get(kind: string, uuid: string): Record<string, string> | undefined {
    return this.kinds.get(kind)?.get(uuid);
  }

  /** A row not imported on purpose (reported as skipped): rows under it are skipped too. */
  skipped(kind: string, uuid: string): void {
    this.add(`skipped:${kind}`, uuid);
  }

  /**
   * The facts of the parent a row refers to, or undefined with the row skipped (its parent is
   * skipped, e.g. deleted in ChimeStack, so the row is gone there too) or a problem (no such parent).
   */
  parent(
    context: ImportContext,
    row: SourceRow & { kind?: string },
    kind: string,
    uuid: string | null,
  ): Record<string, string> | undefined {
    const key = (uuid ?? '').toLowerCase();
    const facts = this.get(kind, key);
    if (facts) return facts;
    if (this.get(`skipped:${kind}`, key)) {
      context.report.skip(row.table, row.uuid, `its ${kind} ${key} is skipped`);
      if (row.kind) this.skipped(row.kind, row.uuid);
    } else context.report.problem(row.table, row.uuid, `refers to ${kind} ${uuid ?? 'NULL'}, which is not imported`);
    return undefined;
  }
}

export interface ImportContext {
  source: SourceDatabase;
  report: ImportReport;
  ids: ImportedIds;
  /** When the run started: the creation time of rows whose source has none. */
  startedAt: Date;
  /** True when a `--rename` rule gave this row its name (already in the row as read). */
  isRenamed(row: SourceRow): boolean;
}

/** What an importer writes once every importer has planned without a problem. */
export interface ImportWork {
  /** Rows it writes, for the progress bar. */
  rows: number;
  /** Writes state and events through `tx` (one transaction for the whole import); `done` after each row. */
  write(tx: Transaction, done: () => void): Promise<void>;
}

/**
 * A module's part of `npm run import`: it reads its own ChimeStack tables, checks every row the way
 * its API would, and writes its state and events. Declared in the module's `@FeatureModule({ importers })`.
 */
export interface Importer {
  /** Stable name, referenced by other importers' `after`. */
  name: string;
  /** Importers whose rows this one refers to: they plan and write first. */
  after?: readonly string[];
  /** What this module holds already in our database: an import goes into an empty database only. */
  occupied(manager: EntityManager): Promise<string[]>;
  /** Reads and checks the source; records skips, renames and problems; changes nothing. */
  plan(context: ImportContext): Promise<ImportWork>;
}

/**
 * The source's timestamp (UTC), or the run's start when it has none: ChimeStack leaves some NULL,
 * and MySQL may hold zero dates (`0000-00-00 00:00:00`).
 */
export function sourceTime(value: string | null, context: ImportContext): Date {
  const time = value === null ? undefined : new Date(`${value.replace(' ', 'T')}Z`);
  return time && !Number.isNaN(time.getTime()) ? time : context.startedAt;
}

/**
 * Checks a row as the API would check it on create: the same DTO class, so the same rules (name
 * charset and length, description, …). Returns the broken rules, naming the fields.
 */
export function dtoProblems(dto: Type, plain: object): string[] {
  const errors = validateSync(plainToInstance(dto, plain) as object, { forbidUnknownValues: false });
  const flatten = (list: ValidationError[]): string[] =>
    list.flatMap((error) => [...Object.values(error.constraints ?? {}), ...flatten(error.children ?? [])]);
  return flatten(errors);
}

export interface NamedRow {
  uuid: string;
  name: string;
  createdAt: Date;
}

/**
 * Settles the names of one table whose names are unique here regardless of case within a scope
 * (an AZ's clusters, a cluster's networks, …) but were not in ChimeStack. A `--rename` rule wins;
 * then, per scope, in the order (created_at, uuid), the first row keeps its name and the next ones
 * become `name-2`, `name-3` … (skipping names taken), each reported. Returns the name per uuid.
 */
export function settleNames<Row extends NamedRow>(
  context: ImportContext,
  table: string,
  rows: readonly Row[],
  scopeOf: (row: Row) => string = () => '',
): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Map<string, Set<string>>();
  const ordered = [...rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || a.uuid.localeCompare(b.uuid));
  const takenIn = (row: Row) => {
    const scope = scopeOf(row);
    const set = taken.get(scope) ?? new Set<string>();
    taken.set(scope, set);
    return set;
  };
  // Explicit renames first, so that an automatic suffix never takes a name an operator chose.
  for (const row of ordered) {
    if (!context.isRenamed({ table, uuid: row.uuid })) continue;
    names.set(row.uuid, row.name);
    takenIn(row).add(row.name.toLowerCase());
  }
  for (const row of ordered) {
    if (names.has(row.uuid)) continue;
    const inScope = takenIn(row);
    let name = row.name;
    for (let n = 2; inScope.has(name.toLowerCase()); n++) name = `${row.name}-${n}`;
    if (name !== row.name) {
      context.report.renamed.push({ table, uuid: row.uuid, from: row.name, to: name, why: 'name already used in its scope' });
    }
    inScope.add(name.toLowerCase());
    names.set(row.uuid, name);
  }
  return names;
}

/** Runs one row's writes; a failure names the row (table and uuid), and the whole import rolls back. */
export async function writeRow(row: SourceRow, write: () => Promise<unknown>): Promise<void> {
  try {
    await write();
  } catch (error) {
    throw new Error(`${row.table} ${row.uuid}: ${(error as Error).message}`, { cause: error });
  }
}

/** The row's uuid in canonical form (lower case, as PostgreSQL gives it back; any version), or undefined (and a problem) when it is not a UUID. */
export function sourceUuid(context: ImportContext, table: string, value: string): string | undefined {
  const uuid = value.trim().toLowerCase();
  if (UUID.test(uuid)) return uuid;
  context.report.problem(table, value, `"${value}" is not a UUID`);
  return undefined;
}

/** ChimeStack's `state`: 0 unavailable, 1 available, 2 suspended, 4 deleted (the row stays). */
export const SOURCE_STATE = { unavailable: 0, available: 1, suspended: 2, deleted: 4 } as const;

/**
 * The state here of a row whose state ChimeStack keeps as 0/1/2/4: available → 1 (enabled),
 * unavailable or suspended → 0 (disabled); deleted rows are skipped (reported, and rows under them
 * are skipped too), any other value is a problem.
 */
export function sourceEnabled(context: ImportContext, row: SourceRow & { kind: string }, state: number): 0 | 1 | undefined {
  switch (state) {
    case SOURCE_STATE.available:
      return 1;
    case SOURCE_STATE.unavailable:
    case SOURCE_STATE.suspended:
      return 0;
    case SOURCE_STATE.deleted:
      context.report.skip(row.table, row.uuid, 'deleted in ChimeStack (state 4)');
      context.ids.skipped(row.kind, row.uuid);
      return undefined;
    default:
      context.report.problem(row.table, row.uuid, `unknown state ${state}`);
      return undefined;
  }
}

/** `occupied` of an importer whose module holds one table: "N <what>" when it has rows. */
export async function occupiedBy(manager: EntityManager, entity: Type, what: string): Promise<string[]> {
  const count = await manager.count(entity);
  return count > 0 ? [`${count} ${what}`] : [];
}

/** The work of writing `items` one row at a time, each failure naming its row. */
export function writeEach<Item extends { uuid: string }>(
  table: string,
  items: readonly Item[],
  write: (tx: Transaction, item: Item) => Promise<unknown>,
): ImportWork {
  return {
    rows: items.length,
    async write(tx, done) {
      for (const item of items) {
        await writeRow({ table, uuid: item.uuid }, () => write(tx, item));
        done();
      }
    },
  };
}

/** Checks a row with the DTO its API takes: true when it passes, else false with the problem recorded. */
export function passes(
  context: ImportContext,
  table: string,
  uuid: string,
  dto: Type,
  fields: { name: string } & Record<string, unknown>,
): boolean {
  const problems = dtoProblems(dto, fields);
  if (problems.length > 0) refuse(context, table, uuid, problems, fields.name);
  return problems.length === 0;
}

/** Records the rules a row breaks as one problem, with the way out for a refused name. */
export function refuse(context: ImportContext, table: string, uuid: string, problems: string[], name: string): void {
  context.report.problem(
    table,
    uuid,
    `${problems.join('; ')} (name "${name}"; fix with --rename ${table}:${uuid}=<name> or --set ${table}:${uuid}.<column>=<value>)`,
  );
}

/** A problem for each parent (`table` row) that would hold more than `limit` rows here, e.g. clusters per AZ. */
export function checkLimit(context: ImportContext, table: string, parents: Iterable<string>, limit: number, what: string): void {
  const counts = new Map<string, number>();
  for (const parent of parents) counts.set(parent, (counts.get(parent) ?? 0) + 1);
  for (const [parent, count] of counts) {
    if (count > limit) context.report.problem(table, parent, `${count} ${what}, this server holds at most ${limit}`);
  }
}
