import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineLine } from './bench-kit';

const RESULTS_FILE = join(__dirname, '..', 'results.json');

/**
 * Writes a benchmark's results into bench/results.json under `key`, keeping the other keys. With
 * `merge`, the entry's fields are merged into what the key holds (e.g. one database's run beside
 * the other's); otherwise the entry replaces it.
 */
export function writeResults(key: string, entry: Record<string, unknown>, { merge = false } = {}): void {
  const results: Record<string, unknown> = existsSync(RESULTS_FILE) ? JSON.parse(readFileSync(RESULTS_FILE, 'utf8')) : {};
  results[key] = merge ? { ...((results[key] as object | undefined) ?? {}), ...entry } : entry;
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${RESULTS_FILE} (key "${key}")`);
}

/** One run per database, each stamped with the time and the machine it was measured on. */
export function stampedByDatabase(byDatabase: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(byDatabase).map(([kind, run]) => [
      kind,
      { measured_at: new Date().toISOString(), machine: machineLine(), ...(run as object) },
    ]),
  );
}
