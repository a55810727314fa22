import { Inject, Injectable, Logger, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../platform/config/app-config';
import { ResourceExhaustedError } from '../../platform/errors/domain-error';

/**
 * Failed-login throttling that an attacker cannot turn against a user. Three counters, in the
 * table login_throttle so that every server process shares them:
 *
 * - per (user name, address) pair: the first `maxFailures` failures are free, the k-th after that
 *   makes the pair wait 2^(k-1) s, at most `maxBackoff`. This is the only hard limit, and it binds
 *   only an address that has itself been failing for that name;
 * - per user name, over all addresses: past `maxFailures` the name is under attack, and its
 *   failing pairs lose their free failures (a pair's k-th failure waits 2^(k-1) s). Pairs that have
 *   not failed (the right user on a clean address) are never refused because of the name;
 * - per address, over all names: past `maxFailures * ADDRESS_FACTOR` the address gets one attempt
 *   per `addressDelay` seconds (at most 10 s, so that other users behind the same NAT only wait
 *   briefly), and its failing pairs lose their free failures. Pairs that logged in successfully
 *   from that address in the last TRUSTED_PAIR_DAYS are exempt from the delay.
 *
 * Every admitted attempt is counted as a failure before the password is checked, in one
 * transaction that locks the three rows, so that parallel attempts cannot slip past a limit; a
 * successful login takes its count back and clears its pair (a consequence: while the name or the
 * address is past its bound, a second attempt for the same pair sent while the first is still being
 * checked waits up to 1 s). A refused attempt changes nothing (its transaction rolls back), so a
 * flood of refused attempts adds no rows.
 */

/** An address may fail this many times more than one user name (many users behind one NAT). */
const ADDRESS_FACTOR = 5;
const TRUSTED_PAIR_DAYS = 30;
const SWEEP_EVERY_MS = 60_000;
/**
 * Bound on the table under a flood from ever new addresses (each one's first attempt is admitted):
 * past it the sweep drops the counters closest to being forgotten anyway.
 */
const MAX_ROWS = 1_000_000;
/** Longer is no address (an IPv6 address has at most 45 characters); X-Forwarded-For may hold anything. */
const MAX_ADDRESS_LENGTH = 64;

/** Milliseconds since the epoch. A provider of its own so that tests can move time (test/support/manual-clock.ts). */
@Injectable()
export class LoginClock {
  now(): number {
    return Date.now();
  }
}

/** One row's state, times in epoch milliseconds (0: none). */
export interface Counter {
  /** Attempts counted in the current window and not taken back by a success. */
  failures: number;
  /** No attempt is admitted before this. */
  blockedUntil: number;
  /** The failures are forgotten at this time. */
  countedUntil: number;
}

export interface Counters {
  pair: Counter & { trustedUntil: number };
  name: Counter;
  address: Counter;
}

export interface ThrottleLimits {
  maxFailures: number;
  windowMs: number;
  maxBackoffMs: number;
  addressDelayMs: number;
}

export type Verdict =
  { admitted: false; retryAfterMs: number } | { admitted: true; pair: Counter; name: Counter; address: Counter };

const CLEAN: Counter = { failures: 0, blockedUntil: 0, countedUntil: 0 };

export function limitsOf(config: AppConfig): ThrottleLimits {
  return {
    maxFailures: config.CHIME_LOGIN_MAX_FAILURES,
    windowMs: config.CHIME_LOGIN_FAILURE_WINDOW * 1000,
    maxBackoffMs: config.CHIME_LOGIN_MAX_BACKOFF * 1000,
    addressDelayMs: config.CHIME_LOGIN_ADDRESS_DELAY * 1000,
  };
}

/** The wait after the k-th failure beyond the free ones: 1 s, 2 s, 4 s … at most maxBackoff. */
export function backoffMs(excess: number, limits: ThrottleLimits): number {
  if (excess <= 0) return 0;
  return Math.min(1000 * 2 ** Math.min(excess - 1, 40), limits.maxBackoffMs);
}

/** Whether an attempt may go on to the password check, and the counters if it is admitted (and fails). */
export function judgeAttempt(stored: Counters, now: number, limits: ThrottleLimits): Verdict {
  const live = (c: Counter): Counter => (c.countedUntil > now ? c : CLEAN);
  const [pair, name, address] = [live(stored.pair), live(stored.name), live(stored.address)];
  const trusted = stored.pair.trustedUntil > now;
  const waitUntil = Math.max(pair.blockedUntil, trusted ? 0 : address.blockedUntil);
  if (waitUntil > now) return { admitted: false, retryAfterMs: waitUntil - now };

  const addressBound = limits.maxFailures * ADDRESS_FACTOR;
  const [pairFailures, nameFailures, addressFailures] = [pair.failures + 1, name.failures + 1, address.failures + 1];
  // Past the name's or the address's bound, a pair's free failures shrink to none; a pair never
  // waits longer than its own count of failures earns, however busy the name or address.
  const excess = Math.max(
    pairFailures - limits.maxFailures,
    Math.min(pairFailures, nameFailures - limits.maxFailures),
    Math.min(pairFailures, addressFailures - addressBound),
  );
  const pairBlockedUntil = excess > 0 ? now + backoffMs(excess, limits) : 0;
  return {
    admitted: true,
    pair: {
      failures: pairFailures,
      blockedUntil: pairBlockedUntil,
      // Forgotten a window after its wait ends: waiting out the wait does not buy free failures.
      countedUntil: Math.max(now, pairBlockedUntil) + limits.windowMs,
    },
    name: { failures: nameFailures, blockedUntil: 0, countedUntil: now + limits.windowMs },
    address: {
      failures: addressFailures,
      blockedUntil: addressFailures >= addressBound ? now + limits.addressDelayMs : 0,
      countedUntil: now + limits.windowMs,
    },
  };
}

type Scope = keyof Counters;
interface Row {
  scope: Scope;
  failures: number;
  blocked_until: Date | null;
  counted_until: Date | null;
  trusted_until: Date | null;
}

/**
 * Creates the three rows if needed and locks them, always in the same order (address, name,
 * pair: the primary key's order) so that concurrent logins cannot deadlock.
 */
const LOCK_SQL = `
  INSERT INTO login_throttle (scope, user_name, address)
  VALUES ('address', '', $2), ('name', $1, ''), ('pair', $1, $2)
  ON CONFLICT (scope, user_name, address) DO UPDATE SET failures = login_throttle.failures
  RETURNING scope, failures, blocked_until, counted_until, trusted_until`;

const SAVE_SQL = `
  UPDATE login_throttle AS t
     SET failures = v.failures, blocked_until = v.blocked_until, counted_until = v.counted_until
    FROM (VALUES ('address', '', $2, $3::int, $4::timestamptz, $5::timestamptz),
                 ('name', $1, '', $6::int, $7::timestamptz, $8::timestamptz),
                 ('pair', $1, $2, $9::int, $10::timestamptz, $11::timestamptz))
         AS v (scope, user_name, address, failures, blocked_until, counted_until)
   WHERE (t.scope, t.user_name, t.address) = (v.scope, v.user_name, v.address)`;

/** Takes the success's attempt back: the pair is cleared (and trusted), name and address count one less. */
const FORGIVE_SQL = `
  WITH locked AS (
    SELECT scope, user_name, address FROM login_throttle
     WHERE (scope, user_name, address) IN (('address', '', $2), ('name', $1, ''), ('pair', $1, $2))
     ORDER BY scope, user_name, address
       FOR UPDATE)
  UPDATE login_throttle AS t
     SET failures = CASE WHEN t.scope = 'pair' THEN 0 ELSE greatest(t.failures - 1, 0) END,
         blocked_until = CASE WHEN t.scope = 'pair' THEN NULL ELSE t.blocked_until END,
         trusted_until = CASE WHEN t.scope = 'pair' THEN $3::timestamptz ELSE t.trusted_until END
    FROM locked
   WHERE (t.scope, t.user_name, t.address) = (locked.scope, locked.user_name, locked.address)`;

/** Never waits for a row a login holds (it would be a deadlock risk); such a row goes next time. */
const SWEEP_SQL = `
  DELETE FROM login_throttle
   WHERE (scope, user_name, address) IN (
     SELECT scope, user_name, address FROM login_throttle WHERE expires_at <= $1 FOR UPDATE SKIP LOCKED)`;

/** The cut-off is found without locking, so that rows kept are never locked (nor written) by the sweep. */
const EVICT_SQL = `
  DELETE FROM login_throttle
   WHERE (scope, user_name, address) IN (
     SELECT scope, user_name, address FROM login_throttle
      WHERE expires_at < (SELECT expires_at FROM login_throttle ORDER BY expires_at DESC OFFSET $1 LIMIT 1)
        FOR UPDATE SKIP LOCKED)`;

@Injectable()
export class LoginThrottle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(LoginThrottle.name);
  private readonly limits: ThrottleLimits;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly dataSource: DataSource,
    private readonly clock: LoginClock,
    @Inject(AppConfig) config: AppConfig,
  ) {
    this.limits = limitsOf(config);
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.sweep(), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Counts the attempt as a failure, or throws 429 (counting nothing) when it must wait. */
  async admit(userName: string, address: string): Promise<void> {
    const key = keyOf(userName, address);
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      const rows: Row[] = await manager.query(LOCK_SQL, key);
      const verdict = judgeAttempt(countersOf(rows), now, this.limits);
      if (!verdict.admitted) {
        // Thrown inside the transaction: it rolls back, so a refused attempt leaves no row behind.
        throw new ResourceExhaustedError('too many failed logins; try again later', Math.ceil(verdict.retryAfterMs / 1000));
      }
      await manager.query(SAVE_SQL, [...key, ...params(verdict.address), ...params(verdict.name), ...params(verdict.pair)]);
    });
  }

  /** The attempt admitted last for this pair was right: it was no failure. */
  async recordSuccess(userName: string, address: string): Promise<void> {
    const trustedUntil = new Date(this.clock.now() + TRUSTED_PAIR_DAYS * 86_400_000);
    await this.dataSource.query(FORGIVE_SQL, [...keyOf(userName, address), trustedUntil]);
  }

  /** Deletes rows that are neither counting nor trusting any more, then any beyond `maxRows`. */
  async sweep(maxRows = MAX_ROWS): Promise<number> {
    try {
      const expired = await this.dataSource.query(SWEEP_SQL, [new Date(this.clock.now())]);
      const evicted = Number((await this.dataSource.query(EVICT_SQL, [maxRows]))?.[1] ?? 0);
      if (evicted > 0) this.logger.warn(`login throttle over ${maxRows} rows: dropped ${evicted} closest to expiry`);
      return Number(expired?.[1] ?? 0) + evicted;
    } catch (error) {
      this.logger.warn(`login throttle sweep failed: ${(error as Error).message}`);
      return 0;
    }
  }
}

function keyOf(userName: string, address: string): [string, string] {
  return [userName.toLowerCase(), address.slice(0, MAX_ADDRESS_LENGTH)];
}

function countersOf(rows: Row[]): Counters {
  const time = (date: Date | null) => date?.getTime() ?? 0;
  const counter = (scope: Scope) => {
    const row = rows.find((r) => r.scope === scope)!;
    return {
      failures: row.failures,
      blockedUntil: time(row.blocked_until),
      countedUntil: time(row.counted_until),
      trustedUntil: time(row.trusted_until),
    };
  };
  return { pair: counter('pair'), name: counter('name'), address: counter('address') };
}

function params(counter: Counter): [number, Date | null, Date] {
  return [counter.failures, counter.blockedUntil ? new Date(counter.blockedUntil) : null, new Date(counter.countedUntil)];
}
