import 'reflect-metadata';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import { AppModule } from '../../../src/app.module';
import { AppConfig } from '../../../src/platform/config/app-config';
import { buildOpenApiDocument } from '../../../src/platform/http/openapi';

/**
 * The server's OpenAPI document without a database: Nest's preview mode builds the module graph
 * (controllers, routes, DTO metadata) but instantiates no provider, so nothing connects anywhere.
 * test/chimecli.e2e-spec.ts checks that it equals what the running server serves.
 */
export async function buildOpenApiSnapshot(): Promise<OpenAPIObject> {
  const app = await NestFactory.create(AppModule.forRoot(new AppConfig()), { preview: true, logger: false });
  try {
    return buildOpenApiDocument(app);
  } finally {
    await app.close();
  }
}

/** The repository root: the nearest folder above with a package.json (works from dist/ and from source). */
function repositoryRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json'))) {
    if (dirname(dir) === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = dirname(dir);
  }
  return dir;
}

/** Writes the snapshot where the CLI looks for it: beside apps/chimecli/src, in the source tree and in dist. */
async function main(): Promise<void> {
  const root = repositoryRoot();
  const text = `${JSON.stringify(await buildOpenApiSnapshot(), null, 2)}\n`;
  for (const file of [
    join(root, 'apps/chimecli/openapi.snapshot.json'),
    join(root, 'dist/apps/chimecli/openapi.snapshot.json'),
  ]) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    process.stderr.write(`write-openapi-snapshot: ${(error as Error).stack ?? String(error)}\n`);
    process.exit(1);
  });
}
