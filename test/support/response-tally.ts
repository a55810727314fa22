/**
 * How many responses this test file held against the OpenAPI document, and how many failed. It
 * lives on the test file's global object, where ResponseTallyEnvironment finds it once the file is
 * done (after every hook, whatever their order) and adds it to the run's tally for
 * global-teardown.ts to print.
 */
export interface ResponseTally {
  checked: number;
  failed: number;
}

export const RESPONSE_TALLY_KEY = '__chimeResponseTally';

/** The run's directory of tallies (set by global-setup.ts), and the file each test file appends its line to. */
export const RESPONSE_TALLY_DIR_ENV = 'CHIME_RESPONSE_TALLY_DIR';
export const RESPONSE_TALLY_FILE = 'tally.txt';

export function responseTally(): ResponseTally {
  const holder = globalThis as unknown as Record<string, ResponseTally | undefined>;
  return (holder[RESPONSE_TALLY_KEY] ??= { checked: 0, failed: 0 });
}
