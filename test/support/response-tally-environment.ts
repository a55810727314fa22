import { appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestEnvironment } from 'jest-environment-node';
import { RESPONSE_TALLY_DIR_ENV, RESPONSE_TALLY_FILE, RESPONSE_TALLY_KEY, type ResponseTally } from './response-tally';

/**
 * Node's test environment, which at the end of each test file adds the file's count of responses
 * held against the OpenAPI document to the run's tally (one line per file: checked failed). Jest
 * runs test files in several worker processes, so the count travels through a file.
 */
export default class ResponseTallyEnvironment extends TestEnvironment {
  override async teardown(): Promise<void> {
    const tally = this.global[RESPONSE_TALLY_KEY] as ResponseTally | undefined;
    const dir = process.env[RESPONSE_TALLY_DIR_ENV];
    if (tally && dir) appendFileSync(join(dir, RESPONSE_TALLY_FILE), `${tally.checked} ${tally.failed}\n`);
    await super.teardown();
  }
}
