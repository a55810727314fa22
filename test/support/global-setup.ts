import { existsSync } from 'node:fs';
import { templatePath, writeTemplate } from '../../src/platform/database/pglite-template';

/** Once per run: the embedded database's initdb template, so that each test's database starts fast. */
export default async function globalSetup(): Promise<void> {
  if (!existsSync(templatePath())) await writeTemplate();
}
