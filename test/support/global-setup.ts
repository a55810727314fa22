import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templatePath, writeTemplate } from '../../src/platform/database/pglite-template';
import { RESPONSE_TALLY_DIR_ENV } from './response-tally';

/**
 * Once per run: the embedded database's initdb template, so that each test's database starts fast;
 * and the run's directory where test files count the responses they held against the OpenAPI
 * document (workers inherit the variable; global-teardown.ts sums and removes it).
 */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(templatePath())) await writeTemplate();
  process.env[RESPONSE_TALLY_DIR_ENV] = mkdtempSync(join(tmpdir(), 'chime-response-tally-'));
}
