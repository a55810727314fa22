import { PGlite } from '@electric-sql/pglite';
import { createPgConfig, PGlitePgConfig } from '@electric-sql/pglite/node-postgres';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readTemplate } from './pglite-template';

/**
 * PGlite's own start parameters, with a buffer pool of 32 MB instead of PostgreSQL's default of
 * 128 MB: the pages it no longer holds come from the operating system's file cache, and an idle
 * server's memory shrinks by 60–90 MB (the pool's pages, once touched, stay in the WASM memory,
 * which never shrinks; see bench/idle.bench.ts). The WAL buffers follow (1/32 of the pool).
 */
const START_PARAMS = [...PGlite.defaultStartParams, '-c', 'shared_buffers=32MB'];

/**
 * PostgreSQL compiled to WebAssembly (PGlite), running inside this process. It is one database
 * session: callers must use a pool of exactly one connection, and inside a transaction only that
 * transaction's connection (a query through the pool would wait for itself forever).
 *
 * Two processes must never open one data directory (the second silently loses writes), so the
 * directory is guarded by a lock file holding the owner's pid; a lock left by a dead process is taken over.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly pglite: PGlite,
    private readonly lockFile: string | undefined,
  ) {}

  static readonly IN_MEMORY = 'memory://';

  static async start(dataDir: string): Promise<EmbeddedPostgres> {
    if (dataDir === EmbeddedPostgres.IN_MEMORY) {
      return new EmbeddedPostgres(await PGlite.create({ loadDataDir: readTemplate(), startParams: START_PARAMS }), undefined);
    }
    const root = resolve(dataDir);
    mkdirSync(root, { recursive: true });
    const lockFile = join(root, 'chime.lock');
    takeLock(lockFile);
    try {
      const pgData = join(root, 'pg');
      // A new directory starts from the initdb template when there is one; an existing one resumes.
      const loadDataDir = existsSync(join(pgData, 'PG_VERSION')) ? undefined : readTemplate();
      return new EmbeddedPostgres(await PGlite.create(pgData, { loadDataDir, startParams: START_PARAMS }), lockFile);
    } catch (error) {
      unlinkSync(lockFile);
      throw error;
    }
  }

  /** Options for node-postgres (and so TypeORM's `extra`) that route its one connection here. */
  pgConfig(): PGlitePgConfig {
    return createPgConfig(this.pglite);
  }

  async close(): Promise<void> {
    if (!this.pglite.closed) await this.pglite.close();
    if (this.lockFile) unlinkSync(this.lockFile);
  }
}

function takeLock(lockFile: string): void {
  for (;;) {
    try {
      const fd = openSync(lockFile, 'wx');
      writeFileSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number(readFileSync(lockFile, 'utf8').trim());
    if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
      throw new Error(
        `the embedded database in ${lockFile.replace(/chime\.lock$/, '')} is in use by process ${owner}; ` +
          'stop it, or set CHIME_DATA_DIR to another directory',
      );
    }
    unlinkSync(lockFile); // left behind by a process that died; take it over
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
