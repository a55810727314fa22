import { DynamicModule, Module, Type } from '@nestjs/common';
import { AppConfig } from './platform/config/app-config';
import { ClustersModule } from './modules/clusters/clusters.module';
import { EventsModule } from './modules/events/events.module';
import { IdentityModule } from './modules/identity/identity.module';
import { OperationLogModule } from './modules/operation-log/operation-log.module';
import { ZonesModule } from './modules/zones/zones.module';
import { PlatformModule } from './platform/platform.module';
import { SCHEMA } from './schema';

export type ModuleImport = Type | DynamicModule;

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, extensions: ModuleImport[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [
        PlatformModule.forRoot(config, SCHEMA),
        IdentityModule,
        ZonesModule,
        ClustersModule,
        OperationLogModule,
        EventsModule,
        ...extensions,
      ],
    };
  }
}
