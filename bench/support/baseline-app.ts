/**
 * The baseline of the HTTP benchmark (bench/http.bench.ts): the smallest NestJS application on
 * platform-express with one JSON route — what any Nest server costs before its own code runs.
 * Listens on 127.0.0.1:$PORT and prints `listening` when it does.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';

@Controller()
class HelloController {
  @Get('hello')
  hello(): { status: string; message: string } {
    return { status: 'ok', message: 'hello' };
  }
}

@Module({ controllers: [HelloController] })
class BaselineModule {}

async function main(): Promise<void> {
  const app = await NestFactory.create<NestExpressApplication>(BaselineModule, { logger: false });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.stdout.write('listening\n');
  // A normal exit, so that --cpu-prof writes its profile.
  process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
}

void main();
