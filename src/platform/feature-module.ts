import { applyDecorators, Module, ModuleMetadata, SetMetadata, type DynamicModule, type Type } from '@nestjs/common';
import type { ReplayCheck } from '@chime/event-log';
import type { Schema } from './database/database';
import type { Importer } from './import/importer';

/** What a module brings besides its Nest parts: its tables, how to create them, how to check them. */
export interface FeatureParts {
  /** TypeORM entities of the module's tables. */
  entities?: Schema['entities'];
  /** Its migrations (TypeORM runs all modules' migrations in the order of their timestamps). */
  migrations?: Schema['migrations'];
  /** How `verify:replay` rebuilds its tables from the event types it owns (see ReplayCheck). */
  replay?: ReplayCheck[];
  /** How `npm run import` brings its ChimeStack tables in (see Importer). */
  importers?: Importer[];
}

const FEATURE_PARTS = 'chime:feature-parts';

/**
 * A module of the server that owns its folder: Nest's module metadata plus its entities,
 * migrations, replay checks and importers. The server, `npm run migrate`, `npm run verify:replay` and the
 * OpenAPI snapshot all take these from the one registration list (src/modules.ts), so adding a module
 * is a new folder and one line there.
 */
export function FeatureModule({
  entities,
  migrations,
  replay,
  importers,
  ...module
}: ModuleMetadata & FeatureParts): ClassDecorator {
  return applyDecorators(Module(module), SetMetadata(FEATURE_PARTS, { entities, migrations, replay, importers }));
}

export type ModuleImport = Type | DynamicModule;

function partsOf(module: ModuleImport): FeatureParts {
  const type = 'module' in module ? module.module : module;
  return (Reflect.getMetadata(FEATURE_PARTS, type) as FeatureParts | undefined) ?? {};
}

/** The tables of these modules: their entities and migrations. */
export function schemaOf(modules: readonly ModuleImport[], base: Schema): Schema {
  const parts = modules.map(partsOf);
  return {
    entities: [...base.entities, ...parts.flatMap((p) => p.entities ?? [])],
    migrations: [...base.migrations, ...parts.flatMap((p) => p.migrations ?? [])],
  };
}

/** The replay checks of these modules. */
export function replayChecksOf(modules: readonly ModuleImport[]): ReplayCheck[] {
  return modules.flatMap((module) => partsOf(module).replay ?? []);
}

/** The importers of these modules (in registration order; the import orders them by `after`). */
export function importersOf(modules: readonly ModuleImport[]): Importer[] {
  return modules.flatMap((module) => partsOf(module).importers ?? []);
}
