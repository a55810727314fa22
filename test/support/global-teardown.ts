import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RESPONSE_TALLY_DIR_ENV, RESPONSE_TALLY_FILE } from './response-tally';

/** Where to also write the count as JSON `{"checked":…,"failed":…}` (for `.ci/run`'s summary), when set. */
const COUNT_FILE_ENV = 'CHIME_RESPONSE_COUNT_FILE';

/**
 * Once at the end of the run: prints how many responses the test files held against the served
 * OpenAPI document (see test/support/checked-http.ts).
 */
export default function globalTeardown(): void {
  const dir = process.env[RESPONSE_TALLY_DIR_ENV];
  if (!dir) return;
  const file = join(dir, RESPONSE_TALLY_FILE);
  const lines = existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter(Boolean) : [];
  rmSync(dir, { recursive: true, force: true });
  if (lines.length === 0) return;
  const [checked, failed] = lines
    .map((line) => line.split(' ').map(Number))
    .reduce(([c, f], [lineChecked, lineFailed]) => [c + lineChecked, f + lineFailed], [0, 0]);
  process.stdout.write(`\nOpenAPI response validation: ${checked} responses checked, ${failed} failed\n`);
  const countFile = process.env[COUNT_FILE_ENV];
  if (countFile) writeFileSync(countFile, JSON.stringify({ checked, failed }));
}
