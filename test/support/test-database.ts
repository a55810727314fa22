import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';

/**
 * Where a test's server keeps its data. With DATABASE_URL set (the PostgreSQL run) every test file
 * gets a database of its own on that server, created here and dropped afterwards, so files can run
 * in parallel; otherwise the embedded database runs in memory, or in a temporary directory when
 * the test restarts the server on the same data (`persistent`).
 */
export interface TestDatabase {
  env: Record<string, string>;
  /** The PostgreSQL URL of this test's database, when on a server. */
  url?: string;
  drop(): Promise<void>;
}

export const ON_POSTGRES_SERVER = Boolean(process.env.DATABASE_URL);

/**
 * `describe` for tests that need a PostgreSQL server (several processes on one database, a network
 * between server and database). In the embedded run they are skipped, and the run says why: Jest
 * shows nothing of a file whose tests are all skipped (not even its console), hence stderr.
 */
export function describeOnPostgres(name: string, tests: () => void): void {
  if (ON_POSTGRES_SERVER) {
    describe(name, tests);
    return;
  }
  const skipped = `${name} (needs PostgreSQL: set DATABASE_URL)`;
  process.stderr.write(`skipped: ${skipped}\n`);
  describe.skip(skipped, tests);
}

export async function createTestDatabase(options: { persistent?: boolean } = {}): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl && !options.persistent) {
    return { env: { CHIME_DATA_DIR: 'memory://' }, drop: async () => undefined };
  }
  if (!serverUrl) {
    const dir = mkdtempSync(join(tmpdir(), 'chime-test-'));
    return { env: { CHIME_DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const name = `chime_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = withDatabase(serverUrl, name);
  return {
    env: { DATABASE_URL: url },
    url,
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

export function withDatabase(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
