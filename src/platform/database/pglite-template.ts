import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

/**
 * A freshly initialised embedded database, kept as a tarball beside the installed packages. A new
 * data directory loaded from it is ready in a fraction of the time initdb takes (about 2 s instead of
 * 5 s here), which is most of a first start. `npm run build` writes it; without it, initdb runs.
 */
export function templatePath(): string {
  const pgliteEntry = require.resolve('@electric-sql/pglite'); // …/node_modules/@electric-sql/pglite/dist/index.cjs
  const packageDir = join(dirname(pgliteEntry), '..');
  const version = (JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { version: string }).version;
  return join(packageDir, '..', '..', '.cache', 'chime-server', `pglite-${version}-template.tar.gz`);
}

export function readTemplate(): Blob | undefined {
  try {
    return new Blob([readFileSync(templatePath())], { type: 'application/x-gzip' });
  } catch {
    return undefined;
  }
}

/** Runs initdb once and keeps the result; written atomically, so concurrent writers are harmless. */
export async function writeTemplate(): Promise<string> {
  const target = templatePath();
  const pglite = await PGlite.create();
  try {
    const dump = await pglite.dumpDataDir('gzip');
    mkdirSync(dirname(target), { recursive: true });
    const partial = `${target}.${process.pid}.partial`;
    writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    renameSync(partial, target);
    return target;
  } finally {
    await pglite.close();
  }
}

if (require.main === module) {
  writeTemplate().then(
    (path) => process.stdout.write(`embedded database template: ${path}\n`),
    // Only a speed-up: without it the server runs initdb on a new directory, so the build goes on.
    (error: unknown) => process.stderr.write(`warning: no embedded database template: ${(error as Error).message}\n`),
  );
}
