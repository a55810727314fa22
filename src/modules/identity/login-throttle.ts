import { Inject, Injectable } from '@nestjs/common';
import { AppConfig } from '../../platform/config/app-config';
import { ResourceExhaustedError } from '../../platform/errors/domain-error';

/** A client address may fail this many times more than one user name (many users behind one NAT). */
const ADDRESS_FACTOR = 5;
/** Bound on remembered keys, so a flood of random names cannot exhaust memory. */
const MAX_KEYS = 100_000;

/**
 * Counts failed logins per user name and per client address in a sliding window; past the limit
 * every login for that name or from that address is refused with 429 until the window has moved on,
 * the right password included. Kept in memory: each server process counts its own failures.
 */
@Injectable()
export class LoginThrottle {
  private readonly failures = new Map<string, number[]>();
  private readonly windowMs: number;
  private readonly maxFailures: number;

  constructor(@Inject(AppConfig) config: AppConfig) {
    this.windowMs = config.CHIME_LOGIN_FAILURE_WINDOW * 1000;
    this.maxFailures = config.CHIME_LOGIN_MAX_FAILURES;
  }

  /** Throws 429 when the name or the address has failed too often. */
  check(userName: string, ip: string, now = Date.now()): void {
    const waits = [
      this.waitFor(`name:${userName.toLowerCase()}`, this.maxFailures, now),
      this.waitFor(`ip:${ip}`, this.maxFailures * ADDRESS_FACTOR, now),
    ];
    const wait = Math.max(...waits);
    if (wait > 0) {
      throw new ResourceExhaustedError('too many failed logins; try again later', Math.ceil(wait / 1000));
    }
  }

  recordFailure(userName: string, ip: string, now = Date.now()): void {
    for (const key of [`name:${userName.toLowerCase()}`, `ip:${ip}`]) {
      const times = this.recent(key, now);
      times.push(now);
      this.failures.delete(key); // re-insert: the map's order is the order of last use
      this.failures.set(key, times);
    }
    while (this.failures.size > MAX_KEYS) this.failures.delete(this.failures.keys().next().value as string);
  }

  recordSuccess(userName: string): void {
    this.failures.delete(`name:${userName.toLowerCase()}`);
  }

  private recent(key: string, now: number): number[] {
    return (this.failures.get(key) ?? []).filter((t) => t > now - this.windowMs);
  }

  /** Milliseconds until one more attempt is allowed, 0 when allowed now. */
  private waitFor(key: string, limit: number, now: number): number {
    const times = this.recent(key, now);
    if (times.length < limit) return 0;
    return times[times.length - limit] + this.windowMs - now;
  }
}
