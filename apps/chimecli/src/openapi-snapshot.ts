import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenApiDocument } from './command-tree';

/**
 * The server's OpenAPI document as of the build, so that help and the command tree work offline.
 * It sits beside this folder both in the source tree (apps/chimecli/) and in the build
 * (dist/apps/chimecli/); tools/write-openapi-snapshot.ts writes both. CHIMECLI_OPENAPI_FILE names
 * another document to read instead (see CliIo.env).
 */
export const SNAPSHOT_FILE = join(__dirname, '..', 'openapi.snapshot.json');

export function loadSnapshot(file = SNAPSHOT_FILE): OpenApiDocument {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      const fix = file === SNAPSHOT_FILE ? 'build it with: npm run build' : 'check CHIMECLI_OPENAPI_FILE';
      throw new Error(`the command list ${file} is missing; ${fix}`, { cause: error });
    }
    throw error;
  }
  return JSON.parse(text) as OpenApiDocument;
}
