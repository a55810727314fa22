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
  // SIGTERM/SIGINT: stop accepting, finish requests in flight, then close the database.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.listen(config.PORT, config.HOST);
  new Logger('main').log(
    `chime-server listening on ${config.HOST}:${config.PORT} (${config.DATABASE_URL ? 'PostgreSQL' : `embedded database in ${config.CHIME_DATA_DIR}`})`,
  );
}

main().catch((error: unknown) => {
  process.stderr.write(`chime-server failed to start: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
