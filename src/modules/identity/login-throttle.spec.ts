import { AppConfig } from '../../platform/config/app-config';
import { backoffMs, Counter, Counters, judgeAttempt, limitsOf, ThrottleLimits } from './login-throttle';

const LIMITS: ThrottleLimits = { maxFailures: 3, windowMs: 300_000, maxBackoffMs: 60_000, addressDelayMs: 2_000 };
const T0 = Date.UTC(2026, 0, 1);
const CLEAN: Counter = { failures: 0, blockedUntil: 0, countedUntil: 0 };
const fresh = (): Counters => ({ pair: { ...CLEAN, trustedUntil: 0 }, name: { ...CLEAN }, address: { ...CLEAN } });

/** Runs failing attempts for one pair the way the store does: refused ones change nothing. */
function fail(counters: Counters, now: number, limits = LIMITS): number | 'admitted' {
  const verdict = judgeAttempt(counters, now, limits);
  if (!verdict.admitted) return verdict.retryAfterMs;
  Object.assign(counters.pair, verdict.pair);
  Object.assign(counters.name, verdict.name);
  Object.assign(counters.address, verdict.address);
  return 'admitted';
}

describe('login throttle policy', () => {
  it('backs off 1 s, 2 s, 4 s … up to the maximum', () => {
    expect([0, 1, 2, 3, 4, 6, 7, 50].map((k) => backoffMs(k, LIMITS))).toEqual([
      0, 1000, 2000, 4000, 8000, 32_000, 60_000, 60_000,
    ]);
  });

  it('gives a pair its free failures, then waits that double each time', () => {
    const c = fresh();
    for (let i = 0; i < 3; i++) expect(fail(c, T0)).toBe('admitted');
    expect(c.pair.blockedUntil).toBe(0);
    expect(fail(c, T0)).toBe('admitted'); // the 4th may still try, and earns 1 s
    const waits: number[] = [];
    let now = T0;
    for (let i = 0; i < 5; i++) {
      const wait = fail(c, now) as number;
      waits.push(wait);
      now += wait;
      expect(fail(c, now)).toBe('admitted');
    }
    expect(waits).toEqual([1000, 2000, 4000, 8000, 16_000]);
  });

  it('refuses while the pair waits, with the time left', () => {
    const c = fresh();
    for (let i = 0; i < 4; i++) fail(c, T0);
    expect(fail(c, T0 + 400)).toBe(600);
  });

  it('forgets a pair a window after its wait ended, not before', () => {
    const c = fresh();
    for (let i = 0; i < 8; i++) fail(c, T0 + 100_000 * i); // waits never reached: spaced out
    const blockedUntil = c.pair.blockedUntil;
    expect(c.pair.countedUntil).toBe(blockedUntil + LIMITS.windowMs);
    expect(judgeAttempt(c, c.pair.countedUntil - 1, LIMITS)).toMatchObject({ pair: { failures: 9 } });
    expect(judgeAttempt(c, c.pair.countedUntil, LIMITS)).toMatchObject({ pair: { failures: 1, blockedUntil: 0 } });
  });

  it('never refuses a clean pair because its user name is under attack', () => {
    const c = fresh();
    c.name = { failures: 10_000, blockedUntil: 0, countedUntil: T0 + 60_000 };
    expect(judgeAttempt(c, T0, LIMITS)).toMatchObject({ admitted: true });
  });

  it('takes the free failures away from pairs failing for a name under attack, by their own count', () => {
    const c = fresh();
    c.name = { failures: 500, blockedUntil: 0, countedUntil: T0 + 60_000 };
    expect(fail(c, T0)).toBe('admitted');
    expect(c.pair.blockedUntil).toBe(T0 + 1000); // the pair's 1st failure: 1 s, not the name's 501st
    expect(fail(c, T0 + 1000)).toBe('admitted');
    expect(c.pair.blockedUntil).toBe(T0 + 1000 + 2000);
  });

  it('spaces the attempts of an address past its bound (5 × max failures) by the address delay', () => {
    const c = fresh();
    c.address = { failures: 14, blockedUntil: 0, countedUntil: T0 + 60_000 };
    expect(fail(c, T0)).toBe('admitted');
    expect(c.address.blockedUntil).toBe(T0 + 2000);
    // Another user behind the same address, never failed: a short wait, at most the delay.
    const other = { ...fresh(), address: c.address };
    expect(fail(other, T0 + 500)).toBe(1500);
    expect(fail(other, T0 + 2000)).toBe('admitted');
  });

  it('lets a pair that logged in from an address past its bound through without the delay', () => {
    const c = fresh();
    c.address = { failures: 40, blockedUntil: T0 + 2000, countedUntil: T0 + 60_000 };
    c.pair.trustedUntil = T0 + 86_400_000;
    expect(judgeAttempt(c, T0, LIMITS)).toMatchObject({ admitted: true });
    c.pair.trustedUntil = T0;
    expect(judgeAttempt(c, T0, LIMITS)).toEqual({ admitted: false, retryAfterMs: 2000 });
  });

  it('reads its limits from the configuration', () => {
    const config = AppConfig.fromEnvironment({
      CHIME_LOGIN_MAX_FAILURES: '4',
      CHIME_LOGIN_FAILURE_WINDOW: '60',
      CHIME_LOGIN_MAX_BACKOFF: '120',
      CHIME_LOGIN_ADDRESS_DELAY: '3',
    });
    expect(limitsOf(config)).toEqual({ maxFailures: 4, windowMs: 60_000, maxBackoffMs: 120_000, addressDelayMs: 3000 });
    expect(limitsOf(AppConfig.fromEnvironment({}))).toEqual({
      maxFailures: 10,
      windowMs: 300_000,
      maxBackoffMs: 900_000,
      addressDelayMs: 2000,
    });
  });

  it.each([
    ['CHIME_LOGIN_ADDRESS_DELAY', '11'],
    ['CHIME_LOGIN_ADDRESS_DELAY', '0'],
    ['CHIME_LOGIN_MAX_BACKOFF', '0'],
    ['CHIME_LOGIN_MAX_BACKOFF', 'x'],
  ])('refuses %s=%s at start', (name, value) => {
    expect(() => AppConfig.fromEnvironment({ [name]: value })).toThrow(new RegExp(`${name}=`));
  });
});
