import { parseArgs } from 'node:util';

/** Flags shared by the agent and the fleet simulator, parsed strictly (an unknown flag is an error). */
export function parseFlags<Names extends string, Switches extends string = never>(
  argv: string[],
  usage: string,
  names: readonly Names[],
  switches: readonly Switches[] = [],
): Record<Names | 'server' | 'join-token', string | undefined> & Record<Switches, boolean | undefined> {
  try {
    const options = Object.fromEntries([
      ...['server', 'join-token', ...names].map((name) => [name, { type: 'string' as const }]),
      ...switches.map((name) => [name, { type: 'boolean' as const }]),
    ]);
    const { values } = parseArgs({ args: argv, options, allowPositionals: false });
    if (!(values as { server?: string }).server) throw new Error('--server is required');
    return values as Record<Names | 'server' | 'join-token', string | undefined> & Record<Switches, boolean | undefined>;
  } catch (error) {
    console.error(`${(error as Error).message}\n${usage}`);
    process.exit(2);
  }
}

/** A whole number flag from `min` to `max`, or its default. */
export function intFlag(
  value: string | undefined,
  name: string,
  fallback: number,
  min = 0,
  max = Number.MAX_SAFE_INTEGER,
): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n < min || n > max) {
    console.error(`--${name} must be a whole number from ${min}${max < Number.MAX_SAFE_INTEGER ? ` to ${max}` : ''}`);
    process.exit(2);
  }
  return n;
}

/** `--fail host/create,volume/create` → the kinds. */
export const kindsFlag = (value: string | undefined) =>
  value
    ? value
        .split(',')
        .map((kind) => kind.trim())
        .filter(Boolean)
    : [];

/** A line on stderr with the time, for people reading a terminal or a journal. */
export const logLine = (line: string) => process.stderr.write(`${new Date().toISOString()} ${line}\n`);
