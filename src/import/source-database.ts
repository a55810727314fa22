import type { Connection } from 'mysql2/promise';
import type { ImportReport, SourceDatabase, SourceRow } from '../platform/import/importer';

/** `--rename table:uuid=name` (column `name`) or `--set table:uuid.column=value`: a value a source row takes here. */
export interface FieldRule extends SourceRow {
  column: string;
  value: string;
}

/** How a rule is written on the command line, for messages. */
export const ruleText = (rule: FieldRule) =>
  rule.column === 'name'
    ? `--rename ${rule.table}:${rule.uuid}=${rule.value}`
    : `--set ${rule.table}:${rule.uuid}.${rule.column}=${rule.value}`;

/**
 * ChimeStack's database, read in one snapshot (the caller's transaction), with the operator's rules
 * applied to the rows as they are read, so that every importer checks the values it will write.
 * Each applied rule is reported (a rename as a renamed row, other columns as a note).
 */
export class MysqlSource implements SourceDatabase {
  private readonly unused: Set<FieldRule>;
  private readonly renamed = new Set<string>();

  constructor(
    private readonly connection: Connection,
    private readonly rules: readonly FieldRule[],
    private readonly report: ImportReport,
  ) {
    this.unused = new Set(rules);
  }

  async select<Row>(table: string, columns: readonly string[], orderBy = 'created_at, uuid'): Promise<Row[]> {
    let rows: Record<string, unknown>[];
    try {
      [rows] = (await this.connection.query(`SELECT ${columns.join(', ')} FROM ${table} ORDER BY ${orderBy}`)) as [
        Record<string, unknown>[],
        unknown,
      ];
    } catch (error) {
      if ((error as { code?: string }).code !== 'ER_NO_SUCH_TABLE') throw error;
      throw new Error(`${(error as Error).message}: is --from a ChimeStack database?`, { cause: error });
    }
    const rules = this.rules.filter((rule) => rule.table === table);
    if (rules.length === 0) return rows as Row[];
    for (const row of rows) {
      const uuid = String(row.uuid ?? '').toLowerCase();
      for (const rule of rules.filter((r) => r.uuid === uuid)) this.apply(rule, row, columns);
    }
    return rows as Row[];
  }

  isRenamed(row: SourceRow): boolean {
    return this.renamed.has(`${row.table}:${row.uuid}`);
  }

  /** Rules that named no row read: each is a problem (a typo must not pass silently). */
  reportUnused(): void {
    for (const rule of this.unused) this.report.problem(rule.table, rule.uuid, `${ruleText(rule)} names no row of ${rule.table}`);
  }

  private apply(rule: FieldRule, row: Record<string, unknown>, columns: readonly string[]): void {
    this.unused.delete(rule);
    if (!columns.includes(rule.column) || rule.column === 'uuid') {
      this.report.problem(rule.table, rule.uuid, `${ruleText(rule)}: the import takes no column ${rule.column} of ${rule.table}`);
      return;
    }
    const before = row[rule.column];
    const value = typeof before === 'number' ? Number(rule.value) : rule.value;
    if (Number.isNaN(value)) {
      this.report.problem(rule.table, rule.uuid, `${ruleText(rule)}: ${rule.column} takes a number`);
      return;
    }
    row[rule.column] = value;
    if (rule.column === 'name') {
      this.renamed.add(`${rule.table}:${rule.uuid}`);
      this.report.renamed.push({
        table: rule.table,
        uuid: rule.uuid,
        from: String(before),
        to: rule.value,
        why: '--rename rule',
      });
    } else {
      const was = JSON.stringify(before);
      this.report.notes.push(
        `${rule.table} ${rule.uuid}: ${rule.column} set by --set (was ${was.length > 60 ? `${was.slice(0, 57)}…` : was})`,
      );
    }
  }
}
