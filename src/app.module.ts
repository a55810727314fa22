import { DynamicModule, Module } from '@nestjs/common';
import { MODULES } from './modules';
import { AppConfig } from './platform/config/app-config';
import type { ModuleImport } from './platform/feature-module';
import { PlatformModule } from './platform/platform.module';
import { serverSchema } from './schema';

export type { ModuleImport };

@Module({})
export class AppModule {
  /** The platform, the registered modules (src/modules.ts), and `extensions` (test probes). */
  static forRoot(config: AppConfig, extensions: ModuleImport[] = []): DynamicModule {
    return {
      module: AppModule,
      imports: [PlatformModule.forRoot(config, serverSchema(extensions)), ...MODULES, ...extensions],
    };
  }
}
