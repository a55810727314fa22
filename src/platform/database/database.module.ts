import { DynamicModule, Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Database, Schema } from './database';
import { DatabaseNotifications } from './notifications';

/** Opens the database (migrating it first) and closes it last, after the HTTP server stopped. */
@Global()
@Module({})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(Database) private readonly database: Database) {}

  static forRoot(schema: Schema): DynamicModule {
    return {
      module: DatabaseModule,
      providers: [
        {
          provide: Database,
          inject: [AppConfig],
          useFactory: async (config: AppConfig) => {
            const database = await Database.open(config, schema);
            try {
              await database.migrate();
            } catch (error) {
              await database.close();
              throw error;
            }
            return database;
          },
        },
        { provide: DataSource, inject: [Database], useFactory: (database: Database) => database.dataSource },
        DatabaseNotifications,
      ],
      exports: [Database, DataSource, DatabaseNotifications],
    };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.database.close();
  }
}
