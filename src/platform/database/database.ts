import { Client } from 'pg';
import { DataSource, DataSourceOptions } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { QUERY_READ_TIMEOUT } from './database-errors';
import { EmbeddedPostgres } from './embedded-postgres';

export interface Schema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: Function[];
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/** Any key works; it only has to be the same in every process migrating one database. */
const MIGRATION_LOCK_KEY = 0x6368696d; // "chim"

type PostgresOptions = Extract<DataSourceOptions, { type: 'postgres' }>;

/** How much longer than the server's statement timeout the client waits for an answer at all. */
const CLIENT_GRACE_MS = 2000;
/** Idle pool connections are probed after this long, so one to a vanished server is closed before use. */
const KEEPALIVE_IDLE_MS = 10_000;

/**
 * A pool connection that closes itself when a query outlives query_timeout. node-postgres rejects
 * such a query but keeps the connection, still waiting for its answer: the next query would queue
 * behind it, or read its late answer. Closed, it is no longer queryable and the pool drops it.
 */
class ClosedOnQueryTimeout extends Client {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  override query(...args: unknown[]): any {
    const result: unknown = Reflect.apply(super.query, this, args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if ((error as Error | undefined)?.message === QUERY_READ_TIMEOUT) this.connection.stream.destroy();
      });
    }
    return result;
  }
}

/**
 * The database the server runs on: a PostgreSQL server when DATABASE_URL is set, otherwise the
 * embedded PostgreSQL under CHIME_DATA_DIR. One code path for both: the same entities, the same
 * migrations, the PostgreSQL dialect.
 */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    private readonly embedded: EmbeddedPostgres | undefined,
    /** For migrations on a PostgreSQL server: the same options without the bounds on queries. */
    private readonly unboundedOptions?: PostgresOptions,
  ) {}

  /**
   * On a PostgreSQL server, every statement is bounded (DATABASE_STATEMENT_TIMEOUT_MS on the server,
   * a little more on the client, which closes a connection whose answer does not come) unless
   * `boundQueries` is false, for tools whose statements may rightly run long (verify:replay).
   * The embedded database runs inside this process: no network can hang, and a statement there
   * cannot be interrupted, so none of these bounds apply to it.
   */
  static async open(config: AppConfig, schema: Schema, { boundQueries = true } = {}): Promise<Database> {
    const common = {
      type: 'postgres',
      entities: schema.entities,
      migrations: schema.migrations,
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      logging: false,
    } as const;
    if (config.DATABASE_URL) {
      const unbounded: PostgresOptions = {
        ...common,
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        // Both waiting for a free pooled connection and opening a new one.
        connectTimeoutMS: config.DATABASE_ACQUIRE_TIMEOUT_MS,
        applicationName: 'chime-server',
        extra: { idleTimeoutMillis: 30_000, keepAlive: true, keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS },
      };
      const queryBounds = {
        statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS,
        query_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS + CLIENT_GRACE_MS,
        Client: ClosedOnQueryTimeout,
      };
      const options = boundQueries ? { ...unbounded, extra: { ...unbounded.extra, ...queryBounds } } : unbounded;
      return new Database(await new DataSource(options).initialize(), undefined, unbounded);
    }
    const embedded = await EmbeddedPostgres.start(config.CHIME_DATA_DIR);
    try {
      // One connection, kept open while idle (pg-pool closes idle ones after 10 s by default, and each
      // new one costs the embedded database a session start: tens of milliseconds of CPU).
      const extra = { ...embedded.pgConfig(), max: 1, idleTimeoutMillis: 0 };
      const options: DataSourceOptions = { ...common, poolSize: 1, extra };
      return new Database(await new DataSource(options).initialize(), embedded);
    } catch (error) {
      await embedded.close();
      throw error;
    }
  }

  /**
   * Brings the schema up to date. Processes sharing a server take turns through an advisory lock.
   * On a server, migrations run on connections of their own without the bounds on queries: a
   * migration may rightly run long, and so may the wait for another process's migrations.
   */
  async migrate(): Promise<void> {
    if (!this.unboundedOptions) {
      await this.dataSource.runMigrations({ transaction: 'each' });
      return;
    }
    // Two connections: one holds the lock while the migrations run on the other.
    const migrations = await new DataSource({ ...this.unboundedOptions, poolSize: 2 }).initialize();
    const runner = migrations.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await migrations.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.release();
      await migrations.destroy();
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.close();
  }
}
