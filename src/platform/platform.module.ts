import { DynamicModule, Global, Module } from '@nestjs/common';
import { APP_FILTER, APP_PIPE } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { TerminusModule } from '@nestjs/terminus';
import { EventLogModule } from '@chime/event-log';
import { AppConfig } from './config/app-config';
import { DatabaseModule } from './database/database.module';
import type { Schema } from './database/database';
import { DatabaseNotifications } from './database/notifications';
import { HealthController } from './health/health.controller';
import { ErrorFilter } from './http/error.filter';
import { RequestAudit } from './http/request-audit';
import { ChimeValidationPipe } from './http/validation';
import { createRootLogger, ROOT_LOGGER } from './observability/logging';
import { Metrics, MetricsController } from './observability/metrics';
import { NestLogger } from './observability/nest-logger';

/** The channel on which server processes tell each other that they appended events. */
const EVENT_LOG_CHANNEL = 'chime_event_log';

/**
 * The shared kernel every module stands on: configuration, logs, the database, the event log, CQRS,
 * the envelope, errors and validation, health and metrics. Nothing domain-specific.
 */
@Global()
@Module({})
export class PlatformModule {
  static forRoot(config: AppConfig, schema: Schema): DynamicModule {
    const logger = createRootLogger(config);
    return {
      module: PlatformModule,
      imports: [
        DatabaseModule.forRoot(schema),
        CqrsModule.forRoot(),
        EventLogModule.forRoot({
          crossProcess: {
            inject: [DatabaseNotifications],
            // None on the embedded database: one process, nobody to tell (and a slower safety net).
            useFactory: (notifications: DatabaseNotifications) =>
              notifications.shared ? notifications.channel(EVENT_LOG_CHANNEL) : undefined,
          },
        }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [HealthController, MetricsController],
      providers: [
        { provide: AppConfig, useValue: config },
        { provide: ROOT_LOGGER, useValue: logger },
        { provide: NestLogger, useValue: new NestLogger(logger) },
        Metrics,
        RequestAudit,
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: APP_PIPE, useClass: ChimeValidationPipe },
      ],
      exports: [AppConfig, ROOT_LOGGER, NestLogger, Metrics, RequestAudit],
    };
  }
}
