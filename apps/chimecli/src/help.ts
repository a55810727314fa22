import type { CommandSpec, CommandTree, ParamSpec, Schema } from './command-tree';

const OUTPUT_FLAGS = [
  ['-o, --output json|table', 'json (default): the response envelope; table: aligned columns for people'],
  ['-h, --help', 'this help'],
];

export function mainHelp(tree: CommandTree | undefined, treeError?: string): string {
  const lines = [
    'chimecli: the command-line client of the ChimeStack API',
    '',
    'Usage:',
    '  chimecli login --api-endpoint <host:port> --name <user> --password <password>',
    '  chimecli logout',
    '  chimecli <category> <operation> [flags]',
    '  chimecli <category> [<operation>] --help',
    '',
  ];
  if (tree) {
    lines.push('Categories and their operations:');
    lines.push(...table([...tree].map(([category, operations]) => [category, [...operations.keys()].join(', ')])));
  } else {
    lines.push(`(no categories: ${treeError})`);
  }
  lines.push('', 'Flags of every operation:', ...table(OUTPUT_FLAGS));
  lines.push('', 'login keeps the endpoint and token in ~/.config/chimecli/config.yaml (or $XDG_CONFIG_HOME/chimecli).');
  lines.push('The commands come from the OpenAPI document built in, or from the file $CHIMECLI_OPENAPI_FILE when set.');
  return lines.join('\n') + '\n';
}

export function categoryHelp(category: string, operations: Map<string, CommandSpec>): string {
  const rows = [...operations.values()].map((c) => [c.operationId, c.method, c.path, c.summary ?? '']);
  return (
    [`Operations of ${category}:`, ...table(rows), '', `Flags of one: chimecli ${category} <operation> --help`].join('\n') + '\n'
  );
}

export function commandHelp(command: CommandSpec): string {
  const lines = [`chimecli ${command.category} ${command.operationId}: ${command.method} ${command.path}`];
  if (command.summary) lines.push(command.summary);
  const section = (title: string, rows: string[][]) => rows.length && lines.push('', title, ...table(rows));
  section(
    'Path flags (required):',
    command.pathParams.map((p) => paramRow(p, false)),
  );
  section(
    'Query flags:',
    command.queryParams.map((p) => paramRow(p, p.required)),
  );
  if (command.body) {
    const { requestName, fields } = command.body;
    section(
      'Body flags:',
      fields
        .map((f) => [`--${requestName}.${f.flag}`, typeName(f.schema), describe(f.schema, f.required, f.name)])
        .concat([['--Body', 'json', 'the whole body as a JSON object; field flags override its fields']]),
    );
  }
  section('Output:', OUTPUT_FLAGS);
  return lines.join('\n') + '\n';
}

function paramRow(param: ParamSpec, required: boolean): string[] {
  return [`--${param.name}`, typeName(param.schema), describe({ description: param.description, ...param.schema }, required)];
}

function typeName(schema: Schema): string {
  const type = ([] as (string | undefined)[]).concat(schema.type).find((t) => t && t !== 'null') ?? 'string';
  return schema.format === 'uuid' ? 'uuid' : type;
}

/** One line of what a value may be: required, choices, default, bounds, the description. */
function describe(schema: Schema, required: boolean, wireName?: string): string {
  const notes: string[] = [];
  if (required) notes.push('required');
  if (schema.enum) notes.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (schema.default !== undefined) notes.push(`default ${JSON.stringify(schema.default)}`);
  if (schema.minimum !== undefined) notes.push(`min ${schema.minimum}`);
  if (schema.maximum !== undefined) notes.push(`max ${schema.maximum}`);
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    notes.push(`${schema.minLength ?? 0} to ${schema.maxLength ?? '∞'} characters`);
  }
  if (schema.nullable) notes.push('null allowed');
  if (wireName?.includes('_')) notes.push(`field ${wireName}`);
  if (schema.description) notes.push(schema.description);
  return notes.join('; ');
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i].length))) ?? [];
  return rows.map((row) => `  ${row.map((text, i) => text.padEnd(widths[i])).join('  ')}`.trimEnd());
}
