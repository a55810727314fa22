/**
 * `-o table`: a list result's elements as aligned columns, for people. Other results become a
 * field/value listing; a scalar (`"ok"`, `1`) is printed as it is. Scripts should read the JSON.
 */
export function renderTable(result: unknown): string {
  if (isList(result)) return listTable(result);
  const record = singleRecord(result);
  if (record) return columns(Object.entries(record).map(([key, value]) => [key, cell(value)]));
  return `${typeof result === 'string' ? result : JSON.stringify(result)}\n`;
}

interface ListLike {
  elements: unknown[];
  total?: unknown;
}

function isList(result: unknown): result is ListLike {
  return typeof result === 'object' && result !== null && Array.isArray((result as ListLike).elements);
}

function listTable({ elements, total }: ListLike): string {
  const more =
    typeof total === 'number' && total > elements.length ? `${elements.length} of ${total} shown; see --page and --size\n` : '';
  if (elements.length === 0) return `(no elements)\n${more}`;
  const rows = elements.map((e) => (isPlainObject(e) ? e : { value: e }));
  const keys = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  return columns([keys, ...rows.map((row) => keys.map((key) => cell(row[key])))]) + more;
}

/** `{user: {...}}` (how get and create answer) or a plain object: the object to list. */
function singleRecord(result: unknown): Record<string, unknown> | undefined {
  if (!isPlainObject(result)) return undefined;
  const values = Object.values(result);
  return values.length === 1 && isPlainObject(values[0]) ? values[0] : result;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function cell(value: unknown): string {
  if (value === null || value === undefined) return '';
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.replace(/\s*\n\s*/g, ' ');
}

function columns(rows: string[][]): string {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
  return rows
    .map(
      (row) =>
        row
          .map((text, i) => text.padEnd(widths[i]))
          .join('  ')
          .trimEnd() + '\n',
    )
    .join('');
}
