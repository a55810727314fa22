import type { ImportOutcome } from './run-import';

/** The summary printed at the end of `npm run import` (and of --dry-run): counts, skips, renames, problems. */
export function describeOutcome({ runId, source, report, occupied, written }: ImportOutcome): string {
  const lines: string[] = [];
  const verb = written ? 'imported' : 'would import';
  lines.push(`import ${runId} from ${source}`);
  for (const what of occupied) lines.push(`  not empty: ${what}`);
  lines.push(`${verb}:`);
  for (const [table, count] of report.imported) lines.push(`  ${table.padEnd(24)} ${count}`);
  if (report.skipped.length > 0) lines.push(`skipped (${report.skipped.length}):`);
  for (const row of report.skipped) lines.push(`  ${row.table} ${row.uuid}: ${row.reason}`);
  if (report.renamed.length > 0) lines.push(`renamed (${report.renamed.length}):`);
  for (const row of report.renamed) lines.push(`  ${row.table} ${row.uuid}: "${row.from}" -> "${row.to}" (${row.why})`);
  for (const note of report.notes) lines.push(`note: ${note}`);
  if (report.problems.length > 0) lines.push(`problems (${report.problems.length}), nothing imported:`);
  for (const row of report.problems) lines.push(`  ${row.table} ${row.uuid}: ${row.message}`);
  return `${lines.join('\n')}\n`;
}
