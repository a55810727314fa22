import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createApp } from './app';
import { AppConfig } from './platform/config/app-config';

async function main(): Promise<void> {
  let config: AppConfig;
  try {
    config = AppConfig.fromEnvironment();
  } catch (error) {
    process.stderr.write(`chime-server: ${(error as Error).message}\n`);
    process.exit(2);
  }
  const app = await createApp(config);
  // A request never ends the process: a rejection nobody awaited is logged as the bug it is.
  process.on('unhandledRejection', (reason) => new Logger('main').error({ err: reason }, 'unhandled promise rejection'));
  // SIGTERM/SIGINT: stop accepting, finish requests in flight, then close the database. useProcessExit
  // ends with exit code 0 (and flushes the logs) instead of Nest's default of re-raising the signal.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT'], { useProcessExit: true });
  await app.listen(config.PORT, config.HOST);
  // The bound port, not the configured one: PORT=0 asks for any free port.
  const { port } = app.getHttpServer().address() as { port: number };
  new Logger('main').log(
    `chime-server listening on ${config.HOST}:${port} (${config.DATABASE_URL ? 'PostgreSQL' : `embedded database in ${config.CHIME_DATA_DIR}`})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`chime-server failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
