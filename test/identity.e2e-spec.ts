import { Role } from '@chime/contracts';
import { TokenSweeper } from '../src/modules/identity/token-sweeper';
import { expectError, expectResult, UUID } from './support/envelope';
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

describe('identity: expiry and throttling', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer({
      env: { CHIME_TOKEN_TTL: '1', CHIME_LOGIN_FAILURE_WINDOW: '2', CHIME_LOGIN_MAX_FAILURES: '10' },
    });
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

  it('throttles 20 wrong passwords in a row with 429 and Retry-After, then lets the right one in', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) {
      const res = await server.http.post('/v1/login').send({ user_name: 'admin', password: `wrong-${i}` });
      statuses.push(res.status);
      if (res.status === 429) {
        expectError(res, 429, 'RESOURCE_EXHAUSTED');
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual(Array(10).fill(429));
    // Throttled means throttled: the right password is refused too, until the window has passed.
    expectError(
      await server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password }),
      429,
      'RESOURCE_EXHAUSTED',
    );
    await new Promise((resolve) => setTimeout(resolve, 2100));
    expectResult(await server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password }));
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
