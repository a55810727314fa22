import { Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';

const SWEEP_EVERY_MS = 10 * 60_000;

/**
 * Deletes sessions that can never be used again (expired or revoked). Their issue and revocation
 * stay in the event log; the tokens table only has to answer "is this token valid now?".
 */
@Injectable()
export class TokenSweeper implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(TokenSweeper.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly dataSource: DataSource) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  async sweep(now = new Date()): Promise<number> {
    try {
      const result = await this.dataSource.query('DELETE FROM tokens WHERE expires_at <= $1 OR revoked_at IS NOT NULL', [now]);
      const count = Number(result?.[1] ?? 0);
      if (count > 0) this.logger.log(`swept ${count} expired or revoked tokens`);
      return count;
    } catch (error) {
      this.logger.warn(`token sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }
}
