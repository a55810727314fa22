import type { UntypedRequest } from '@chime/client';
import type { CommandSpec, Schema } from './command-tree';
import { closest, UsageError } from './usage-error';

export type OutputFormat = 'json' | 'table';

export interface ParsedArgs {
  /** Category and operation (or `login`, `logout`, `help`). */
  words: string[];
  /** Flag name (without dashes) → raw value, in the order given. */
  flags: Map<string, string>;
  help: boolean;
  output: OutputFormat;
}

/**
 * Splits the command line. Hand-written rather than node:util parseArgs because the flags are only
 * known once the operation is, their names hold dots (`--createAzRequest.Name`), values may start
 * with a dash (`--Body '-1'` is still a value), and an unknown flag deserves a hint, not a generic
 * message. Every flag but -h/--help takes a value: `--name value` or `--name=value`.
 */
export function parseArgs(argv: string[]): ParsedArgs {
  const parsed: ParsedArgs = { words: [], flags: new Map(), help: false, output: 'json' };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '-h' || arg === '--help') {
      parsed.help = true;
      continue;
    }
    if (!arg.startsWith('-') || arg === '-') {
      parsed.words.push(arg);
      continue;
    }
    const equals = arg.indexOf('=');
    let name: string;
    let value: string;
    if (equals > 0) {
      name = arg.slice(0, equals).replace(/^--?/, '');
      value = arg.slice(equals + 1);
    } else {
      name = arg.replace(/^--?/, '');
      if (i + 1 >= argv.length) throw new UsageError(`flag ${arg} needs a value`);
      value = argv[++i];
    }
    if (name === 'o' || name === 'output') {
      if (value !== 'json' && value !== 'table') throw new UsageError(`--output must be json or table, not "${value}"`);
      parsed.output = value;
      continue;
    }
    if (parsed.flags.has(name)) throw new UsageError(`flag --${name} is given twice`);
    parsed.flags.set(name, value);
  }
  return parsed;
}

/** Every flag an operation accepts, as shown in its help. */
export function flagNames(command: CommandSpec): string[] {
  const names = [...command.pathParams, ...command.queryParams].map((p) => p.name);
  if (command.body) names.push(...command.body.fields.map((f) => `${command.body!.requestName}.${f.flag}`), 'Body');
  return names;
}

/**
 * Turns an operation's flags into its request: path flags fill the path, query flags the query
 * string, `--<operation>Request.<Field>` flags and `--Body` the JSON body (field flags win over the
 * same field in --Body). Each value gets the type its schema says.
 */
export function buildRequest(command: CommandSpec, flags: Map<string, string>): UntypedRequest {
  const pathParams: Record<string, string> = {};
  const query: Record<string, unknown> = {};
  const fields: Record<string, unknown> = {};
  let body: Record<string, unknown> | undefined;
  for (const [flag, raw] of flags) {
    const pathParam = command.pathParams.find((p) => p.name === flag);
    const queryParam = command.queryParams.find((p) => p.name === flag);
    if (pathParam) {
      pathParams[flag] = raw;
    } else if (queryParam) {
      query[flag] = typedValue(flag, raw, queryParam.schema);
    } else if (command.body && flag === 'Body') {
      body = parseBody(raw);
    } else {
      const field = command.body && bodyField(command, flag);
      if (!field) throw unknownFlag(command, flag);
      fields[field.name] = typedValue(flag, raw, field.schema);
    }
  }
  const missing = command.pathParams.filter((p) => pathParams[p.name] === undefined).map((p) => `--${p.name}`);
  if (missing.length) throw new UsageError(`${command.category} ${command.operationId} needs ${missing.join(' and ')}`);
  if (Object.keys(fields).length) body = { ...body, ...fields };
  // A create with no flags at all still sends `{}`, so the server says which field is missing.
  if (body === undefined && command.body?.required) body = {};
  return { params: { path: pathParams, query }, body };
}

function bodyField(command: CommandSpec, flag: string) {
  const prefix = `${command.body!.requestName}.`;
  if (!flag.startsWith(prefix)) return undefined;
  const key = flag.slice(prefix.length);
  // PascalCase is ChimeStack's spelling; the wire name (`hypervisor_type`) is accepted too.
  return command.body!.fields.find((f) => f.flag === key || f.name === key);
}

function unknownFlag(command: CommandSpec, flag: string): UsageError {
  const hint = closest(flag, flagNames(command));
  return new UsageError(
    `unknown flag --${flag} for ${command.category} ${command.operationId}${hint ? `; did you mean --${hint}?` : ''}` +
      ` (see chimecli ${command.category} ${command.operationId} --help)`,
  );
}

function parseBody(raw: string): Record<string, unknown> {
  let body: unknown;
  try {
    body = JSON.parse(raw);
  } catch (error) {
    throw new UsageError(`--Body is not valid JSON: ${(error as Error).message}`);
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new UsageError(`--Body must be a JSON object, e.g. --Body '{"name":"x"}'`);
  }
  return body as Record<string, unknown>;
}

/** The schema's type of a flag value: `--page 2` is the number 2, `--x null` is null where allowed. */
export function typedValue(flag: string, raw: string, schema: Schema): unknown {
  const types = ([] as (string | undefined)[]).concat(
    schema.type,
    ...[...(schema.oneOf ?? []), ...(schema.anyOf ?? [])].map((s) => s.type),
  );
  if (raw === 'null' && (schema.nullable || types.includes('null'))) return null;
  const type = types.find((t) => t !== undefined && t !== 'null') ?? (schema.enum ? typeof schema.enum[0] : 'string');
  switch (type) {
    case 'integer':
      if (!/^[-+]?\d+$/.test(raw.trim())) throw new UsageError(`--${flag} expects an integer, not "${raw}"`);
      return Number(raw);
    case 'number': {
      const value = Number(raw);
      if (raw.trim() === '' || !Number.isFinite(value)) throw new UsageError(`--${flag} expects a number, not "${raw}"`);
      return value;
    }
    case 'boolean':
      if (raw !== 'true' && raw !== 'false') throw new UsageError(`--${flag} expects true or false, not "${raw}"`);
      return raw === 'true';
    case 'object':
    case 'array':
      try {
        const value: unknown = JSON.parse(raw);
        if (typeof value === 'object' && value !== null && Array.isArray(value) === (type === 'array')) return value;
      } catch {
        // fall through to the message below
      }
      throw new UsageError(`--${flag} expects a JSON ${type}, not ${JSON.stringify(raw)}`);
    default:
      return raw;
  }
}
