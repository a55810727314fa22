import { Controller, Get } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';
import { DataSource } from 'typeorm';
import { Public } from '../http/public.decorator';
import { RawResponse } from '../http/raw-response.decorator';

const READY_TIMEOUT_MS = 2000;

@ApiExcludeController()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicator: HealthIndicatorService,
    private readonly dataSource: DataSource,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('healthz')
  @Public()
  @RawResponse()
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  /** The database answers; 503 when it does not. */
  @Get('readyz')
  @Public()
  @RawResponse()
  @HealthCheck()
  ready() {
    return this.health.check([() => this.database()]);
  }

  private async database() {
    const check = this.indicator.check('database');
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.dataSource.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('timed out')), READY_TIMEOUT_MS))),
      ]);
      return check.up();
    } catch (error) {
      return check.down({ message: (error as Error).message === 'timed out' ? 'timed out' : 'unreachable' });
    } finally {
      clearTimeout(timer);
    }
  }
}
