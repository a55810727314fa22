import { DataSource, DataSourceOptions, MixedList, EntitySchema } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { EmbeddedPostgres } from './embedded-postgres';

export interface Schema {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  entities: MixedList<Function | string | EntitySchema>;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
  migrations: Function[];
}

/** Any key works; it only has to be the same in every process migrating one database. */
const MIGRATION_LOCK_KEY = 0x6368696d; // "chim"

/**
 * The database the server runs on: a PostgreSQL server when DATABASE_URL is set, otherwise the
 * embedded PostgreSQL under CHIME_DATA_DIR. One code path for both: the same entities, the same
 * migrations, the PostgreSQL dialect.
 */
export class Database {
  private constructor(
    readonly dataSource: DataSource,
    private readonly embedded: EmbeddedPostgres | undefined,
  ) {}

  get isEmbedded(): boolean {
    return this.embedded !== undefined;
  }

  static async open(config: AppConfig, schema: Schema): Promise<Database> {
    const common = {
      type: 'postgres',
      entities: schema.entities,
      migrations: schema.migrations,
      migrationsTableName: 'schema_migrations',
      synchronize: false,
      logging: false,
    } as const;
    if (config.DATABASE_URL) {
      const options: DataSourceOptions = {
        ...common,
        url: config.DATABASE_URL,
        poolSize: config.DATABASE_POOL_SIZE,
        connectTimeoutMS: 5000,
        applicationName: 'chime-server',
        extra: { idleTimeoutMillis: 30_000 },
      };
      return new Database(await new DataSource(options).initialize(), undefined);
    }
    const embedded = await EmbeddedPostgres.start(config.CHIME_DATA_DIR);
    try {
      const options: DataSourceOptions = { ...common, poolSize: 1, extra: { ...embedded.pgConfig(), max: 1 } };
      return new Database(await new DataSource(options).initialize(), embedded);
    } catch (error) {
      await embedded.close();
      throw error;
    }
  }

  /** Brings the schema up to date. Processes sharing a server take turns through an advisory lock. */
  async migrate(): Promise<void> {
    if (this.isEmbedded) {
      await this.dataSource.runMigrations({ transaction: 'each' });
      return;
    }
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
      await this.dataSource.runMigrations({ transaction: 'each' });
    } finally {
      await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
      await runner.release();
    }
  }

  async close(): Promise<void> {
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
    await this.embedded?.close();
  }
}
