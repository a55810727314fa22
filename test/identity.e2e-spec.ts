import { randomBytes } from 'node:crypto';
import { Role } from '@chime/contracts';
import type { Response } from 'supertest';
import { LoginThrottle } from '../src/modules/identity/login-throttle';
import { Passwords } from '../src/modules/identity/passwords';
import { TokenSweeper } from '../src/modules/identity/token-sweeper';
import { expectError, expectResult, UUID } from './support/envelope';
import { ManualClock } from './support/manual-clock';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login, TestUser } from './support/users';

const ISO = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('identity: login, logout, auth, tokens', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(() => server?.close());

  it("runs the seed's flow: login, a bearer call, logout, and the token is dead", async () => {
    const res = await server.http
      .post('/v1/login')
      .set('Content-Type', 'application/json')
      .send('{"user_name":"admin","password":"admin"}');
    const { user } = expectResult<{ user: Record<string, string> }>(res);
    expect(user).toEqual({
      uuid: expect.stringMatching(UUID),
      user_uuid: expect.stringMatching(UUID),
      created_at: expect.stringMatching(ISO),
      expired_at: expect.stringMatching(ISO),
    });
    expect(Date.parse(user.expired_at) - Date.parse(user.created_at)).toBe(12 * 3600 * 1000);

    const token = user.uuid;
    expectResult(await server.http.get('/v1/user').set(bearer(token)));
    const out = await server.http.post('/v1/logout').set('Content-Type', 'application/json').send(`{"token":"${token}"}`);
    expect(expectResult(out)).toBe('ok');
    expectError(await server.http.get('/v1/user').set(bearer(token)), 401, 'UNAUTHENTICATED');
    expectError(await server.http.post('/v1/auth').send({ token }), 401, 'UNAUTHENTICATED');
  });

  it('answers a wrong password and an unknown user alike', async () => {
    const wrong = await server.http.post('/v1/login').send({ user_name: 'admin', password: 'nope' });
    const unknown = await server.http.post('/v1/login').send({ user_name: 'nobody-at-all', password: 'nope' });
    expect(expectError(wrong, 401, 'UNAUTHENTICATED')).toBe(expectError(unknown, 401, 'UNAUTHENTICATED'));
  });

  it('refuses bad login bodies with 400', async () => {
    expectError(await server.http.post('/v1/login').send({ user_name: 'admin' }), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.post('/v1/login').send({ user_name: 'admin', password: 1 }), 400, 'INVALID_ARGUMENT');
    expectError(
      await server.http.post('/v1/login').send({ user_name: 'admin', password: 'admin', x: 1 }),
      400,
      'INVALID_ARGUMENT',
    );
    expectError(await server.http.post('/v1/logout').send({}), 400, 'INVALID_ARGUMENT');
  });

  it('tells who a token belongs to with auth', async () => {
    const token = await login(server, ADMIN.name, ADMIN.password);
    const { user } = expectResult<{ user: Record<string, unknown> }>(await server.http.post('/v1/auth').send({ token }));
    expect(user).toEqual({
      uuid: token,
      user_uuid: expect.stringMatching(UUID),
      name: 'admin',
      role: Role.SuperAdmin,
      created_at: expect.stringMatching(ISO),
      expired_at: expect.stringMatching(ISO),
    });
  });

  it('accepts logout of an unknown or already revoked token', async () => {
    expect(expectResult(await server.http.post('/v1/logout').send({ token: '00000000-0000-4000-8000-000000000000' }))).toBe('ok');
    expect(expectResult(await server.http.post('/v1/logout').send({ token: 'not-even-a-uuid' }))).toBe('ok');
    const token = await login(server, ADMIN.name, ADMIN.password);
    expectResult(await server.http.post('/v1/logout').send({ token }));
    expect(expectResult(await server.http.post('/v1/logout').send({ token }))).toBe('ok');
  });

  it.each([
    ['no header', undefined],
    ['another scheme', 'Basic YWRtaW46YWRtaW4='],
    ['no token', 'Bearer'],
    ['a malformed token', 'Bearer not-a-token'],
    ['an unknown token', 'Bearer 3f1d2c3b-4a5b-4c6d-8e7f-0a1b2c3d4e5f'],
    ['two tokens', 'Bearer 3f1d2c3b-4a5b-4c6d-8e7f-0a1b2c3d4e5f 3f1d2c3b-4a5b-4c6d-8e7f-0a1b2c3d4e5f'],
  ])('refuses %s with 401', async (_, header) => {
    const req = server.http.get('/v1/user');
    if (header) req.set('Authorization', header);
    expectError(await req, 401, 'UNAUTHENTICATED');
  });

  it('never accepts a token in the URL', async () => {
    const token = await login(server, ADMIN.name, ADMIN.password);
    for (const qs of [`token=${token}`, `access_token=${token}`, `Authorization=Bearer%20${token}`]) {
      expectError(await server.http.get(`/v1/user?${qs}`), 401, 'UNAUTHENTICATED');
    }
  });

  it('revokes every token of a user whose password changes', async () => {
    const adminToken = await login(server, ADMIN.name, ADMIN.password);
    const user = await createUser(server, adminToken, Role.User);
    const second = await login(server, user.name, user.password);
    expectResult(await server.http.patch(`/v1/user/${user.uuid}`).set(bearer(user.token)).send({ password: 'a-new-password' }));
    expectError(await server.http.get(`/v1/user/${user.uuid}`).set(bearer(user.token)), 401, 'UNAUTHENTICATED');
    expectError(await server.http.get(`/v1/user/${user.uuid}`).set(bearer(second)), 401, 'UNAUTHENTICATED');
    expectError(
      await server.http.post('/v1/login').send({ user_name: user.name, password: user.password }),
      401,
      'UNAUTHENTICATED',
    );
    const fresh = await login(server, user.name, 'a-new-password');
    expectResult(await server.http.get(`/v1/user/${user.uuid}`).set(bearer(fresh)));
  });

  it('revokes the tokens of a deleted user', async () => {
    const adminToken = await login(server, ADMIN.name, ADMIN.password);
    const user = await createUser(server, adminToken, Role.User);
    expectResult(await server.http.get(`/v1/user/${user.uuid}`).set(bearer(user.token)));
    expect(expectResult(await server.http.delete(`/v1/user/${user.uuid}`).set(bearer(adminToken)))).toBe(1);
    expectError(await server.http.get(`/v1/user/${user.uuid}`).set(bearer(user.token)), 401, 'UNAUTHENTICATED');
  });

  it('applies a role change to live sessions at once', async () => {
    const adminToken = await login(server, ADMIN.name, ADMIN.password);
    const user = await createUser(server, adminToken, Role.ReadOnlyAdmin);
    expect(expectResult<{ total: number }>(await server.http.get('/v1/user').set(bearer(user.token))).total).toBeGreaterThan(1);
    expectResult(await server.http.patch(`/v1/user/${user.uuid}`).set(bearer(adminToken)).send({ role: Role.User }));
    expect(expectResult<{ total: number }>(await server.http.get('/v1/user').set(bearer(user.token))).total).toBe(1);
  });

  it('keeps tokens and passwords out of the database in clear', async () => {
    const adminToken = await login(server, ADMIN.name, ADMIN.password);
    const user = await createUser(server, adminToken, Role.User);
    const tables: { table_name: string }[] = await server.dataSource.query(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
    );
    expect(tables.length).toBeGreaterThan(2);
    let dump = '';
    for (const { table_name } of tables) {
      dump += JSON.stringify(await server.dataSource.query(`SELECT * FROM "${table_name}"`));
    }
    for (const secret of [adminToken, user.token, user.password]) {
      expect(dump).not.toContain(secret);
      expect(dump.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    expect(dump).not.toContain('"password"');
  });
});

describe('identity: token expiry', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({ env: { CHIME_TOKEN_TTL: '1' } });
  });
  afterAll(() => server?.close());

  it('refuses an expired token', async () => {
    const token = await login(server, ADMIN.name, ADMIN.password);
    expectResult(await server.http.get('/v1/user').set(bearer(token)));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    expectError(await server.http.get('/v1/user').set(bearer(token)), 401, 'UNAUTHENTICATED');
    expectError(await server.http.post('/v1/auth').send({ token }), 401, 'UNAUTHENTICATED');
  });

  it('sweeps expired and revoked sessions from the table, keeping live ones', async () => {
    const dead = await login(server, ADMIN.name, ADMIN.password);
    const revoked = await login(server, ADMIN.name, ADMIN.password);
    expectResult(await server.http.post('/v1/logout').send({ token: revoked }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const live = await login(server, ADMIN.name, ADMIN.password);
    expect(await server.app.get(TokenSweeper).sweep()).toBeGreaterThanOrEqual(2);
    const [{ n }]: { n: number }[] = await server.dataSource.query(
      'SELECT count(*)::int AS n FROM tokens WHERE expires_at <= now() OR revoked_at IS NOT NULL',
    );
    expect(n).toBe(0);
    expectResult(await server.http.get('/v1/az').set(bearer(live)));
    expectError(await server.http.get('/v1/az').set(bearer(dead)), 401, 'UNAUTHENTICATED');
  });
});

/**
 * Clients' addresses come from X-Forwarded-For (TRUST_PROXY=true); the throttle's clock is a
 * ManualClock, so no test here depends on how fast the machine is.
 */
const THROTTLE_ENV = {
  TRUST_PROXY: 'true',
  CHIME_LOGIN_MAX_FAILURES: '3',
  CHIME_LOGIN_FAILURE_WINDOW: '300',
  CHIME_LOGIN_MAX_BACKOFF: '60',
  CHIME_LOGIN_ADDRESS_DELAY: '2',
};

const loginFrom = (server: TestServer, address: string, user_name: string, password: string) =>
  server.http.post('/v1/login').set('X-Forwarded-For', address).send({ user_name, password });

/** A 429 with its envelope; returns Retry-After, which must be whole seconds. */
function expectThrottled(res: Response): number {
  expectError(res, 429, 'RESOURCE_EXHAUSTED');
  expect(res.headers['retry-after']).toMatch(/^[1-9]\d*$/);
  return Number(res.headers['retry-after']);
}

describe('identity: login throttling', () => {
  let server: TestServer;
  let clock: ManualClock;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer({ env: THROTTLE_ENV });
    clock = new ManualClock().drive(server);
    adminToken = await login(server, ADMIN.name, ADMIN.password);
  });
  afterAll(() => server?.close());

  it('throttles an attacker hammering admin from one address with growing waits, never admin on another', async () => {
    const [attacker, office] = ['192.0.2.66', '192.0.2.10'];
    const checks = jest.spyOn(server.app.get(Passwords), 'verify');
    const failedIds: string[] = [];
    const throttledIds: string[] = [];
    for (let i = 0; i < 3; i++) {
      const failed = await loginFrom(server, attacker, 'admin', `guess-${i}`);
      expectError(failed, 401, 'UNAUTHENTICATED'); // the free failures
      failedIds.push(failed.body.requestId);
    }
    const waits: number[] = [];
    for (let round = 0; round < 4; round++) {
      const failed = await loginFrom(server, attacker, 'admin', `guess-again-${round}`);
      expectError(failed, 401, 'UNAUTHENTICATED'); // admitted once the wait is over, and earns the next
      failedIds.push(failed.body.requestId);
      const checked = checks.mock.calls.length;
      // From the attacker's address even the right password waits: that address has been failing for admin.
      const refused = await loginFrom(server, attacker, 'admin', ADMIN.password);
      waits.push(expectThrottled(refused));
      throttledIds.push(refused.body.requestId);
      expect(checks.mock.calls.length).toBe(checked); // refused before the user lookup and argon2
      // Meanwhile admin, from an address that has not failed, logs in at once.
      expectResult(await loginFrom(server, office, 'admin', ADMIN.password));
      clock.advance(waits[round]);
    }
    expect(waits).toEqual([1, 2, 4, 8]);

    // The failed logins are in the operation log as before; the refused ones made no entry.
    await server.caughtUp();
    const entries: { request_id: string; outcome: string; ip: string }[] = await server.dataSource.query(
      'SELECT request_id, outcome, ip FROM operation_log WHERE request_id = ANY($1)',
      [[...failedIds, ...throttledIds]],
    );
    expect(entries).toHaveLength(failedIds.length);
    expect(entries.every((e) => e.outcome === 'failed' && e.ip === attacker)).toBe(true);
  });

  it('slows a clean address that fails for a name under attack by its own failures only, and a success clears the pair', async () => {
    const user = await createUser(server, adminToken, Role.User);
    const [first, second, clean, home] = ['198.18.0.1', '198.18.0.2', '198.18.0.3', '198.18.0.4'];
    for (let i = 0; i < 3; i++) expectError(await loginFrom(server, first, user.name, `guess-${i}`), 401, 'UNAUTHENTICATED');
    // The name is at its bound (3): another address failing for it gets no free failures.
    expectError(await loginFrom(server, second, user.name, 'guess'), 401, 'UNAUTHENTICATED');
    expect(expectThrottled(await loginFrom(server, second, user.name, 'guess again'))).toBe(1);
    // An address that has not failed for the name is not held back at all.
    expectResult(await loginFrom(server, clean, user.name, user.password));
    // One that fails during the attack waits by its own count: 1 s for its first failure.
    expectError(await loginFrom(server, home, user.name, 'a typo'), 401, 'UNAUTHENTICATED');
    expect(expectThrottled(await loginFrom(server, home, user.name, user.password))).toBe(1);
    clock.advance(1);
    expectResult(await loginFrom(server, home, user.name, user.password));
    // The success cleared the pair: another typo starts again from one second.
    expectError(await loginFrom(server, home, user.name, 'another typo'), 401, 'UNAUTHENTICATED');
    expect(expectThrottled(await loginFrom(server, home, user.name, user.password))).toBe(1);
    clock.advance(1);
    expectResult(await loginFrom(server, home, user.name, user.password));
  });

  it('lets other users behind an address spraying names (a NAT) in at once or after at most CHIME_LOGIN_ADDRESS_DELAY', async () => {
    const nat = '100.64.0.1';
    const [bob, carol] = [await createUser(server, adminToken, Role.User), await createUser(server, adminToken, Role.User)];
    expectResult(await loginFrom(server, nat, bob.name, bob.password)); // bob has logged in from behind the NAT before
    // An attacker behind the same NAT sprays 15 names (5 × CHIME_LOGIN_MAX_FAILURES), each a new pair.
    for (let i = 0; i < 15; i++) expectError(await loginFrom(server, nat, `victim${i}`, 'Password1'), 401, 'UNAUTHENTICATED');
    // Past the address's bound: one attempt per 2 s from it, for names it has not failed for too.
    expect(expectThrottled(await loginFrom(server, nat, 'victim15', 'Password1'))).toBeLessThanOrEqual(2);
    const carolWaits = expectThrottled(await loginFrom(server, nat, carol.name, carol.password));
    expect(carolWaits).toBeLessThanOrEqual(2);
    expectResult(await loginFrom(server, nat, bob.name, bob.password)); // no wait for a pair that logged in from there
    clock.advance(carolWaits);
    expectResult(await loginFrom(server, nat, carol.name, carol.password));
    expect(expectThrottled(await loginFrom(server, nat, 'victim16', 'Password1'))).toBeLessThanOrEqual(2);
  });

  it('lets no parallel burst past the limit, and keeps right passwords from the same address going', async () => {
    const address = '192.0.2.200';
    const user = await createUser(server, adminToken, Role.User);
    const guesses = Array.from({ length: 8 }, (_, i) => loginFrom(server, address, 'burst-victim', `guess-${i}`));
    const logins = Array.from({ length: 4 }, () => loginFrom(server, address, user.name, user.password));
    const [guessed, loggedIn] = await Promise.all([Promise.all(guesses), Promise.all(logins)]);
    // Each attempt is counted before its password check: 3 free failures, the 4th earns a wait (the clock stands still).
    expect(guessed.map((res) => res.status).sort()).toEqual([401, 401, 401, 401, 429, 429, 429, 429]);
    for (const res of loggedIn) expectResult(res);
  });

  it('adds no rows for refused attempts and sweeps counters that have run out', async () => {
    const count = async () =>
      ((await server.dataSource.query('SELECT count(*)::int AS n FROM login_throttle')) as { n: number }[])[0].n;
    const nat = '100.64.0.2';
    for (let i = 0; i < 15; i++) expectError(await loginFrom(server, nat, `flood${i}`, 'x'), 401, 'UNAUTHENTICATED');
    const before = await count();
    for (let i = 0; i < 30; i++) expectThrottled(await loginFrom(server, nat, `random-${i}-${Math.random()}`, 'x'));
    expect(await count()).toBe(before);

    clock.advance(300 + 60); // the window after the longest wait
    expect(await server.app.get(LoginThrottle).sweep()).toBeGreaterThan(0);
    const left: { scope: string; trusted: boolean }[] = await server.dataSource.query(
      'SELECT scope, trusted_until > $1 AS trusted FROM login_throttle',
      [new Date(clock.now())],
    );
    // Only pairs that logged in successfully stay, for a while, as trusted.
    expect(left.length).toBeGreaterThan(2);
    expect(left.every((row) => row.scope === 'pair' && row.trusted)).toBe(true);

    // Past its bound on rows the sweep keeps those furthest from expiry (all that tie with the last).
    const [latest]: { expires_at: Date }[] = await server.dataSource.query(
      'SELECT max(expires_at) AS expires_at FROM login_throttle',
    );
    const evicted = await server.app.get(LoginThrottle).sweep(1);
    const kept: { expires_at: Date }[] = await server.dataSource.query('SELECT expires_at FROM login_throttle');
    expect(kept.length).toBeGreaterThanOrEqual(1);
    expect(kept).toEqual(kept.map(() => latest));
    expect(evicted).toBe(left.length - kept.length);
    expect(evicted).toBeGreaterThan(0);
  });

  it('takes whatever X-Forwarded-For holds as an address without failing', async () => {
    const odd = randomBytes(4000).toString('hex'); // incompressible: too long for an index entry
    expectError(await loginFrom(server, odd, 'admin', 'wrong'), 401, 'UNAUTHENTICATED');
    expectError(await loginFrom(server, `${odd}y`, 'admin', 'wrong'), 401, 'UNAUTHENTICATED');
  });
});

/** Only on a PostgreSQL server: an embedded database belongs to one server. */
const describeOnServer = process.env.DATABASE_URL ? describe : describe.skip;

describeOnServer('identity: login throttling shared by two servers on one PostgreSQL database', () => {
  const servers: TestServer[] = [];

  beforeAll(async () => {
    servers.push(await startTestServer({ env: THROTTLE_ENV }));
    servers.push(await startTestServer({ env: THROTTLE_ENV, database: servers[0].database }));
    new ManualClock().drive(...servers);
  });
  afterAll(async () => {
    await servers[1]?.close({ verify: false });
    await servers[0]?.close();
  });

  it('counts failures made on either server against the same pair', async () => {
    const [a, b] = servers;
    const address = '203.0.113.9';
    // Four failures split two and two: each server alone would still be under its 3 free failures.
    for (const server of [a, b, a, b]) {
      expectError(await loginFrom(server, address, 'admin', 'wrong'), 401, 'UNAUTHENTICATED');
    }
    for (const server of [a, b]) expect(expectThrottled(await loginFrom(server, address, 'admin', ADMIN.password))).toBe(1);
  });
});

describe('identity: users and who may manage them (API.md §2.2, §3)', () => {
  let server: TestServer;
  let adminToken: string;
  let adminUuid: string;
  const by: Record<string, TestUser> = {};

  beforeAll(async () => {
    server = await startTestServer();
    adminToken = await login(server, ADMIN.name, ADMIN.password);
    adminUuid = expectResult<{ user: { user_uuid: string } }>(await server.http.post('/v1/auth').send({ token: adminToken })).user
      .user_uuid;
    by.user = await createUser(server, adminToken, Role.User);
    by.reader = await createUser(server, adminToken, Role.ReadOnlyAdmin);
    by.admin = await createUser(server, adminToken, Role.Admin);
  });
  afterAll(() => server?.close());

  const newUser = (role?: Role) => ({
    name: `n${Math.random().toString(36).slice(2, 10)}`,
    nick_name: 'N',
    password: 'password-1',
    ...(role === undefined ? {} : { role }),
  });

  it('creates a user with defaults and the exact shape, never returning the password', async () => {
    const res = await server.http
      .post('/v1/user')
      .set(bearer(adminToken))
      .send({ name: 'alice.b-c_1', nick_name: 'Alice', password: 'password-1' });
    const { user } = expectResult<{ user: Record<string, unknown> }>(res);
    expect(user).toEqual({
      uuid: expect.stringMatching(UUID),
      name: 'alice.b-c_1',
      nick_name: 'Alice',
      avatar: '',
      role: 0,
      created_at: expect.stringMatching(ISO),
    });
    expect(res.text).not.toContain('password');
    expect(expectResult(await server.http.get(`/v1/user/${user.uuid}`).set(bearer(adminToken)))).toEqual({ user });
  });

  it.each([
    ['a missing name', { nick_name: 'x', password: 'password-1' }],
    ['a name with a space', { name: 'a b', nick_name: 'x', password: 'password-1' }],
    ['a name of 65 characters', { name: 'a'.repeat(65), nick_name: 'x', password: 'password-1' }],
    ['an empty name', { name: '', nick_name: 'x', password: 'password-1' }],
    ['a short password', { name: 'shorty', nick_name: 'x', password: 'seven77' }],
    ['a role out of range', { name: 'r9', nick_name: 'x', password: 'password-1', role: 9 }],
    ['a role as a string', { name: 'rs', nick_name: 'x', password: 'password-1', role: '1' }],
    ['an unknown field', { name: 'uf', nick_name: 'x', password: 'password-1', email: 'a@b' }],
  ])('refuses %s with 400', async (_, body) => {
    expectError(await server.http.post('/v1/user').set(bearer(adminToken)).send(body), 400, 'INVALID_ARGUMENT');
  });

  it('refuses a taken name, whatever its case, with ALREADY_EXISTS', async () => {
    const body = newUser();
    expectResult(await server.http.post('/v1/user').set(bearer(adminToken)).send(body));
    expectError(await server.http.post('/v1/user').set(bearer(adminToken)).send(body), 400, 'ALREADY_EXISTS');
    expectError(
      await server.http
        .post('/v1/user')
        .set(bearer(adminToken))
        .send({ ...body, name: body.name.toUpperCase() }),
      400,
      'ALREADY_EXISTS',
    );
  });

  it('answers 404 for an unknown user and 400 for a bad UUID', async () => {
    expectError(await server.http.get('/v1/user/00000000-0000-4000-8000-000000000000').set(bearer(adminToken)), 404, 'NOT_FOUND');
    expectError(await server.http.get('/v1/user/nope').set(bearer(adminToken)), 400, 'INVALID_ARGUMENT');
    expectError(
      await server.http.patch('/v1/user/00000000-0000-4000-8000-000000000000').set(bearer(adminToken)).send({ nick_name: 'x' }),
      404,
      'NOT_FOUND',
    );
    expectError(
      await server.http.delete('/v1/user/00000000-0000-4000-8000-000000000000').set(bearer(adminToken)),
      404,
      'NOT_FOUND',
    );
  });

  it('lists with filters, sorting and paging', async () => {
    const list = expectResult<{ elements: { name: string; role: number }[]; size: number; total: number }>(
      await server.http.get('/v1/user?role=2&sort=name&order=asc&size=1000').set(bearer(adminToken)),
    );
    expect(list.elements.every((u) => u.role === 2)).toBe(true);
    expect(list.elements.map((u) => u.name)).toEqual([...list.elements.map((u) => u.name)].sort());
    const byName = expectResult<{ elements: { name: string }[]; total: number }>(
      await server.http.get('/v1/user?name=ADM').set(bearer(adminToken)),
    );
    expect(byName.elements.map((u) => u.name)).toContain('admin');
    const page = expectResult<{ elements: unknown[]; size: number; total: number }>(
      await server.http.get('/v1/user?page=999').set(bearer(adminToken)),
    );
    expect(page).toEqual({ elements: [], size: 0, total: expect.any(Number) });
    expect(page.total).toBeGreaterThan(3);
    expectError(await server.http.get('/v1/user?sort=password').set(bearer(adminToken)), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.get('/v1/user?role=x').set(bearer(adminToken)), 400, 'INVALID_ARGUMENT');
  });

  describe('read users', () => {
    it('a user reads only itself', async () => {
      const list = expectResult<{ elements: { uuid: string }[]; total: number }>(
        await server.http.get('/v1/user').set(bearer(by.user.token)),
      );
      expect(list.elements.map((u) => u.uuid)).toEqual([by.user.uuid]);
      expect(list.total).toBe(1);
      expectResult(await server.http.get(`/v1/user/${by.user.uuid}`).set(bearer(by.user.token)));
      expectError(await server.http.get(`/v1/user/${adminUuid}`).set(bearer(by.user.token)), 403, 'PERMISSION_DENIED');
    });

    it.each(['reader', 'admin'])('a %s reads everyone', async (who) => {
      expect(expectResult<{ total: number }>(await server.http.get('/v1/user').set(bearer(by[who].token))).total).toBeGreaterThan(
        3,
      );
      expectResult(await server.http.get(`/v1/user/${adminUuid}`).set(bearer(by[who].token)));
    });
  });

  describe('create users', () => {
    it('a user and a read-only administrator may not', async () => {
      expectError(await server.http.post('/v1/user').set(bearer(by.user.token)).send(newUser(0)), 403, 'PERMISSION_DENIED');
      expectError(await server.http.post('/v1/user').set(bearer(by.reader.token)).send(newUser(0)), 403, 'PERMISSION_DENIED');
    });

    it('an administrator may create roles 0–1 only', async () => {
      expectResult(await server.http.post('/v1/user').set(bearer(by.admin.token)).send(newUser(0)));
      expectResult(await server.http.post('/v1/user').set(bearer(by.admin.token)).send(newUser(1)));
      expectError(await server.http.post('/v1/user').set(bearer(by.admin.token)).send(newUser(2)), 403, 'PERMISSION_DENIED');
      expectError(await server.http.post('/v1/user').set(bearer(by.admin.token)).send(newUser(3)), 403, 'PERMISSION_DENIED');
    });

    it('the super administrator may create roles 0–2, never another super administrator', async () => {
      expectResult(await server.http.post('/v1/user').set(bearer(adminToken)).send(newUser(2)));
      expectError(await server.http.post('/v1/user').set(bearer(adminToken)).send(newUser(3)), 400, 'FAILED_PRECONDITION');
    });
  });

  describe('update users', () => {
    it('a user changes only its own nick name, avatar and password', async () => {
      const me = await createUser(server, adminToken, Role.User);
      expect(
        expectResult(
          await server.http.patch(`/v1/user/${me.uuid}`).set(bearer(me.token)).send({ nick_name: 'Me', avatar: 'a.png' }),
        ),
      ).toEqual({ user: 'ok' });
      const { user } = expectResult<{ user: { nick_name: string; avatar: string } }>(
        await server.http.get(`/v1/user/${me.uuid}`).set(bearer(me.token)),
      );
      expect(user).toMatchObject({ nick_name: 'Me', avatar: 'a.png' });
      expectError(
        await server.http.patch(`/v1/user/${me.uuid}`).set(bearer(me.token)).send({ role: 2 }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await server.http.patch(`/v1/user/${me.uuid}`).set(bearer(me.token)).send({ name: 'renamed' }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await server.http.patch(`/v1/user/${by.reader.uuid}`).set(bearer(me.token)).send({ nick_name: 'x' }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it('a read-only administrator may not update others', async () => {
      expectError(
        await server.http.patch(`/v1/user/${by.user.uuid}`).set(bearer(by.reader.token)).send({ nick_name: 'x' }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it('an administrator manages roles 0–1 only', async () => {
      const target = await createUser(server, adminToken, Role.User);
      expectResult(
        await server.http.patch(`/v1/user/${target.uuid}`).set(bearer(by.admin.token)).send({ role: 1, nick_name: 'promoted' }),
      );
      expectError(
        await server.http.patch(`/v1/user/${target.uuid}`).set(bearer(by.admin.token)).send({ role: 2 }),
        403,
        'PERMISSION_DENIED',
      );
      const peer = await createUser(server, adminToken, Role.Admin);
      expectError(
        await server.http.patch(`/v1/user/${peer.uuid}`).set(bearer(by.admin.token)).send({ nick_name: 'x' }),
        403,
        'PERMISSION_DENIED',
      );
      expectError(
        await server.http.patch(`/v1/user/${adminUuid}`).set(bearer(by.admin.token)).send({ nick_name: 'x' }),
        403,
        'PERMISSION_DENIED',
      );
    });

    it('the super administrator manages roles 0–2 and is never demoted or renamed', async () => {
      const target = await createUser(server, adminToken, Role.User);
      expectResult(
        await server.http
          .patch(`/v1/user/${target.uuid}`)
          .set(bearer(adminToken))
          .send({ role: 2, name: `${target.name}x` }),
      );
      expectError(
        await server.http.patch(`/v1/user/${target.uuid}`).set(bearer(adminToken)).send({ role: 3 }),
        400,
        'FAILED_PRECONDITION',
      );
      expectError(
        await server.http.patch(`/v1/user/${adminUuid}`).set(bearer(adminToken)).send({ role: 2 }),
        400,
        'FAILED_PRECONDITION',
      );
      expectError(
        await server.http.patch(`/v1/user/${adminUuid}`).set(bearer(adminToken)).send({ name: 'root' }),
        400,
        'FAILED_PRECONDITION',
      );
      expectResult(await server.http.patch(`/v1/user/${adminUuid}`).set(bearer(adminToken)).send({ nick_name: 'Boss' }));
    });

    it('refuses bad updates with 400', async () => {
      for (const body of [{ password: 'short' }, { role: 7 }, { name: 'bad name' }, { nick_name: 5 }, { unknown: 1 }]) {
        expectError(
          await server.http.patch(`/v1/user/${by.user.uuid}`).set(bearer(adminToken)).send(body),
          400,
          'INVALID_ARGUMENT',
        );
      }
    });

    it('refuses renaming onto a taken name', async () => {
      expectError(
        await server.http.patch(`/v1/user/${by.user.uuid}`).set(bearer(adminToken)).send({ name: by.reader.name }),
        400,
        'ALREADY_EXISTS',
      );
    });
  });

  describe('delete users', () => {
    it('a user and a read-only administrator may not', async () => {
      const target = await createUser(server, adminToken, Role.User);
      expectError(await server.http.delete(`/v1/user/${target.uuid}`).set(bearer(by.user.token)), 403, 'PERMISSION_DENIED');
      expectError(await server.http.delete(`/v1/user/${target.uuid}`).set(bearer(by.reader.token)), 403, 'PERMISSION_DENIED');
      expectError(await server.http.delete(`/v1/user/${target.uuid}`).set(bearer(target.token)), 403, 'PERMISSION_DENIED');
    });

    it('an administrator deletes roles 0–1 only', async () => {
      const low = await createUser(server, adminToken, Role.ReadOnlyAdmin);
      expect(expectResult(await server.http.delete(`/v1/user/${low.uuid}`).set(bearer(by.admin.token)))).toBe(1);
      const peer = await createUser(server, adminToken, Role.Admin);
      expectError(await server.http.delete(`/v1/user/${peer.uuid}`).set(bearer(by.admin.token)), 403, 'PERMISSION_DENIED');
      expectError(await server.http.delete(`/v1/user/${adminUuid}`).set(bearer(by.admin.token)), 403, 'PERMISSION_DENIED');
    });

    it('the super administrator deletes roles 0–2 and never itself', async () => {
      const peer = await createUser(server, adminToken, Role.Admin);
      expect(expectResult(await server.http.delete(`/v1/user/${peer.uuid}`).set(bearer(adminToken)))).toBe(1);
      expectError(await server.http.get(`/v1/user/${peer.uuid}`).set(bearer(adminToken)), 404, 'NOT_FOUND');
      expectError(await server.http.delete(`/v1/user/${adminUuid}`).set(bearer(adminToken)), 400, 'FAILED_PRECONDITION');
    });

    it('frees the name of a deleted user', async () => {
      const body = newUser();
      const { user } = expectResult<{ user: { uuid: string } }>(
        await server.http.post('/v1/user').set(bearer(adminToken)).send(body),
      );
      expectResult(await server.http.delete(`/v1/user/${user.uuid}`).set(bearer(adminToken)));
      expectResult(await server.http.post('/v1/user').set(bearer(adminToken)).send(body));
    });
  });

  it('records every change as events without secrets', async () => {
    expectResult(
      await server.http.patch(`/v1/user/${by.reader.uuid}`).set(bearer(by.reader.token)).send({ password: 'password-1-new' }),
    );
    const rows: { type: string; data: unknown; metadata: { user_name: string | null; request_id: string } }[] =
      await server.dataSource.query(
        "SELECT type, data, metadata FROM event_log WHERE stream_type IN ('user', 'token') ORDER BY position",
      );
    const types = new Set(rows.map((r) => r.type));
    for (const type of ['UserCreated', 'UserUpdated', 'UserPasswordChanged', 'UserDeleted', 'TokenIssued', 'TokenRevoked']) {
      expect(types).toContain(type);
    }
    const text = JSON.stringify(rows);
    expect(text).not.toMatch(/password-1|"password"|pw-[0-9a-f]{12}/);
    expect(text).not.toContain(by.admin.token);
    expect(text).not.toContain(adminToken);
    expect(
      rows.filter((r) => r.type === 'UserCreated' && r.metadata.request_id).every((r) => r.metadata.user_name !== null),
    ).toBe(true);
  });
});
