import { LoginClock } from '../../src/modules/identity/login-throttle';
import type { TestServer } from './test-server';

/** Time that moves only when a test says so, for the login throttle of the servers it drives. */
export class ManualClock {
  private nowMs = Date.now();

  now(): number {
    return this.nowMs;
  }

  advance(seconds: number): void {
    this.nowMs += seconds * 1000;
  }

  /** Makes these servers' login throttle read this clock. */
  drive(...servers: TestServer[]): this {
    for (const server of servers) jest.spyOn(server.app.get(LoginClock), 'now').mockImplementation(() => this.nowMs);
    return this;
  }
}
