import 'reflect-metadata';
import { AppConfig } from './platform/config/app-config';
import { Database } from './platform/database/database';
import { SCHEMA } from './schema';

/**
 * `npm run migrate`: brings the configured database up to date without starting the server, e.g.
 * before a deployment. The server migrates at start as well, so this is optional. On a PostgreSQL
 * server both take the same advisory lock, so running it beside a starting server is safe; the
 * embedded database's lock file refuses a second process outright.
 */
async function main(): Promise<void> {
  const config = AppConfig.fromEnvironment();
  const where = config.DATABASE_URL ? 'PostgreSQL' : `embedded database in ${config.CHIME_DATA_DIR}`;
  const database = await Database.open(config, SCHEMA);
  try {
    const before = await appliedMigrations(database);
    await database.migrate();
    const applied = (await appliedMigrations(database)).filter((name) => !before.includes(name));
    process.stdout.write(
      applied.length === 0
        ? `chime-server: ${where} is up to date (${before.length} migrations)\n`
        : `chime-server: applied ${applied.length} migration(s) to ${where}:\n${applied.map((name) => `  ${name}\n`).join('')}`,
    );
  } finally {
    await database.close();
  }
}

/** Names of the migrations recorded as done; none when the database is new. */
async function appliedMigrations(database: Database): Promise<string[]> {
  const table = await database.dataSource.query(`SELECT to_regclass('schema_migrations') IS NOT NULL AS present`);
  if (!table[0].present) return [];
  const rows: { name: string }[] = await database.dataSource.query('SELECT name FROM schema_migrations ORDER BY id');
  return rows.map((row) => row.name);
}

main().catch((error: unknown) => {
  process.stderr.write(`chime-server: migration failed: ${(error as Error).message ?? String(error)}\n`);
  process.exit(1);
});
