import { randomUUID } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Role, type OperationLogView } from '@chime/contracts';
import { SERVER_ORIGIN, type StoredEvent } from '@chime/event-log';
import { checkIncoming } from './support/checked-http';
import { expectError, expectResult, UUID } from './support/envelope';
import { eventually } from './support/eventually';
import { projectOperationLog } from '../src/modules/operation-log/operation-log.projection';
import { OPERATION_LOG_COUNT_CAP } from '../src/modules/operation-log/queries/list-operation-log';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, as as asCaller, bearer, createUser, login, TestUser } from './support/users';

type Entry = OperationLogView;

describe('operation log and event API (API.md §6)', () => {
  let server: TestServer;
  let admin: string;
  let adminUuid: string;
  let user: TestUser;
  let reader: TestUser;
  let as: ReturnType<typeof asCaller>;

  const entries = async (token: string, qs = 'size=1000'): Promise<Entry[]> =>
    expectResult<{ elements: Entry[] }>(await server.http.get(`/v1/operation_log?${qs}`).set(bearer(token))).elements;
  const entryFor = async (requestId: string): Promise<Entry> => {
    await server.caughtUp();
    const found = (await entries(admin)).filter((e) => e.request_id === requestId);
    expect(found).toHaveLength(1);
    return found[0];
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
    adminUuid = expectResult<{ user: { user_uuid: string } }>(await server.http.post('/v1/auth').send({ token: admin })).user
      .user_uuid;
    user = await createUser(server, admin, Role.User);
    reader = await createUser(server, admin, Role.ReadOnlyAdmin);
    as = asCaller(server, admin);
  });
  afterAll(() => server?.close());

  it('records a state-changing request once, with who, where and the redacted input', async () => {
    const res = await server.http.post('/v1/az').set(bearer(admin)).send({ name: 'audited', description: 'd' });
    const { az } = expectResult<{ az: { uuid: string } }>(res);
    const entry = await entryFor(res.body.requestId);
    expect(entry).toEqual({
      id: expect.any(Number),
      created_at: expect.stringMatching(/Z$/),
      method: 'POST',
      path: '/v1/az',
      input: '{"name":"audited","description":"d"}',
      ip: expect.stringMatching(/127\.0\.0\.1/),
      user_uuid: adminUuid,
      user_name: 'admin',
      request_id: res.body.requestId,
      outcome: 'success',
    });
    expect(expectResult(await server.http.get(`/v1/operation_log/${entry.id}`).set(bearer(admin)))).toEqual({
      operation_log: entry,
    });
    const del = await server.http.delete(`/v1/az/${az.uuid}`).set(bearer(admin));
    expect((await entryFor(del.body.requestId)).input).toBe('');
  });

  it('replaces passwords and tokens in the input with ***', async () => {
    const loginRes = await server.http.post('/v1/login').send({ user_name: user.name, password: user.password });
    const token = expectResult<{ user: { uuid: string } }>(loginRes).user.uuid;
    expect((await entryFor(loginRes.body.requestId)).input).toBe(`{"user_name":"${user.name}","password":"***"}`);
    const logout = await server.http.post('/v1/logout').send({ token });
    expect((await entryFor(logout.body.requestId)).input).toBe('{"token":"***"}');
    const change = await server.http
      .patch(`/v1/user/${user.uuid}`)
      .set(bearer(admin))
      .send({ password: 'another-password', nick_name: 'n' });
    expectResult(change);
    const changeEntry = await entryFor(change.body.requestId);
    expect(changeEntry.input).toBe('{"password":"***","nick_name":"n"}');
    const all = JSON.stringify(await entries(admin));
    expect(all).not.toContain(user.password);
    expect(all).not.toContain('another-password');
    expect(all).not.toContain(token);
    // The password change revoked the user's sessions.
    user = { ...user, password: 'another-password', token: await login(server, user.name, 'another-password') };
  });

  it('records a failed login and a denied request', async () => {
    const failed = await server.http.post('/v1/login').send({ user_name: 'admin', password: 'wrong-password' });
    expectError(failed, 401, 'UNAUTHENTICATED');
    expect(await entryFor(failed.body.requestId)).toMatchObject({
      method: 'POST',
      path: '/v1/login',
      input: '{"user_name":"admin","password":"***"}',
      user_uuid: null,
      outcome: 'failed',
      error: { code: 401, status: 'UNAUTHENTICATED', message: 'wrong user name or password' },
    });
    const denied = await server.http.post('/v1/az').set(bearer(user.token)).send({ name: 'nope' });
    expectError(denied, 403, 'PERMISSION_DENIED');
    expect(await entryFor(denied.body.requestId)).toMatchObject({
      method: 'POST',
      path: '/v1/az',
      user_uuid: user.uuid,
      user_name: user.name,
      outcome: 'denied',
      error: { code: 403, status: 'PERMISSION_DENIED', message: denied.body.error.message },
    });
  });

  it('records a change that failed, with its error and redacted input; not reads, nor requests without a user', async () => {
    const az = expectResult<{ az: { uuid: string } }>(await as.post('/v1/az', { name: 'failing-az' })).az;
    const cluster = expectResult<{ cluster: { uuid: string } }>(
      await as.post(`/v1/az/${az.uuid}/cluster`, { name: 'c1' }),
    ).cluster;
    const networks = `/v1/az/${az.uuid}/cluster/${cluster.uuid}/network`;
    type Method = 'post' | 'patch' | 'put' | 'delete';
    const failed = async ([method, path, body]: [Method, string, object?], code: number, status: string, input: string) => {
      const res = await (method === 'delete' ? as.delete(path) : as[method](path, body));
      const message = expectError(res, code, status);
      const entry = await entryFor(res.body.requestId);
      expect(entry).toEqual({
        id: expect.any(Number),
        created_at: expect.stringMatching(/Z$/),
        method: method.toUpperCase(),
        path,
        input,
        ip: expect.stringMatching(/127\.0\.0\.1/),
        user_uuid: adminUuid,
        user_name: 'admin',
        request_id: res.body.requestId,
        outcome: 'failed',
        error: { code, status, message },
      });
      return entry;
    };

    // Two createNetwork attempts without bridge_name: two entries.
    const body = { name: 'no-bridge', interface_name: 'ens224' };
    const first = await failed(['post', networks, body], 400, 'INVALID_ARGUMENT', JSON.stringify(body));
    const second = await failed(['post', networks, body], 400, 'INVALID_ARGUMENT', JSON.stringify(body));
    expect(second.id).toBeGreaterThan(first.id);
    expect(first.error!.message).toMatch(/bridge_name/);
    // Not found, taken (conflicts answer 400 ALREADY_EXISTS or FAILED_PRECONDITION: no route answers 409), a state refused.
    await failed(['delete', `/v1/az/${randomUUID()}`], 404, 'NOT_FOUND', '');
    await failed(['put', `/v1/az/${randomUUID()}/enable`], 404, 'NOT_FOUND', '');
    await failed(['post', '/v1/az', { name: 'failing-az' }], 400, 'ALREADY_EXISTS', '{"name":"failing-az"}');
    await failed(['delete', `/v1/az/${az.uuid}`], 400, 'FAILED_PRECONDITION', '');
    await failed(['patch', `/v1/az/${az.uuid}`, { name: '' }], 400, 'INVALID_ARGUMENT', '{"name":""}');
    // A failed createUser: the password is redacted like a success's.
    const secret = 'never-in-the-log-42';
    const userBody = { name: 'badrole', nick_name: 'b', password: secret, role: 99 };
    await failed(['post', '/v1/user', userBody], 400, 'INVALID_ARGUMENT', JSON.stringify({ ...userBody, password: '***' }));
    expect(JSON.stringify(await entries(admin))).not.toContain(secret);

    // A user sees its own failures, filtered by outcome.
    const own = await server.http.delete(`/v1/user/${randomUUID()}`).set(bearer(user.token));
    expect(own.status).toBeGreaterThanOrEqual(400);
    await server.caughtUp();
    const ownFailures = await entries(user.token, 'outcome=failed&size=1000');
    expect(ownFailures.map((e) => e.request_id)).toContain(own.body.requestId);

    // Reads, unauthenticated requests and requests refused before the token was read make no entry.
    const read = await as.get(`/v1/az/${randomUUID()}`);
    expectError(read, 404, 'NOT_FOUND');
    const anonymous = await server.http.post('/v1/az').send({ name: 'anon' });
    expectError(anonymous, 401, 'UNAUTHENTICATED');
    const badToken = await server.http.post('/v1/az').set(bearer(randomUUID())).send({ name: 'anon' });
    expectError(badToken, 401, 'UNAUTHENTICATED');
    const malformed = await server.http
      .post('/v1/az')
      .set(bearer(admin))
      .set('Content-Type', 'application/json')
      .send('{"name":');
    expectError(malformed, 400, 'INVALID_ARGUMENT');
    await server.caughtUp();
    const ids = (await entries(admin)).map((e) => e.request_id);
    for (const res of [read, anonymous, badToken, malformed]) expect(ids).not.toContain(res.body.requestId);
    const failures = await entries(admin, 'outcome=failed&size=1000');
    expect(failures.map((e) => e.request_id)).toEqual(
      expect.arrayContaining([first.request_id, second.request_id, own.body.requestId]),
    );
  });

  it('lists newest first, with filters; a user sees only its own entries', async () => {
    await server.caughtUp();
    const all = await entries(admin);
    expect(all.map((e) => e.id)).toEqual([...all.map((e) => e.id)].sort((a, b) => b - a));
    expect(new Set(all.map((e) => e.request_id)).size).toBe(all.length);
    const posts = await entries(admin, 'method=POST&size=1000');
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((e) => e.method === 'POST')).toBe(true);
    const logins = await entries(admin, 'path=/v1/login&size=1000');
    expect(logins.every((e) => e.path === '/v1/login')).toBe(true);
    const mine = await entries(user.token);
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((e) => e.user_uuid === user.uuid)).toBe(true);
    expect(await entries(admin, `user_uuid=${user.uuid}&size=1000`)).toEqual(mine);
    expect((await entries(reader.token)).length).toBeGreaterThanOrEqual(all.length);
    const others = all.find((e) => e.user_uuid === adminUuid) as Entry;
    expectError(await server.http.get(`/v1/operation_log/${others.id}`).set(bearer(user.token)), 403, 'PERMISSION_DENIED');
    expectResult(await server.http.get(`/v1/operation_log/${others.id}`).set(bearer(reader.token)));
  });

  it('filters by outcome, request id, path prefix and time range', async () => {
    await server.caughtUp();
    const all = await entries(admin);
    for (const outcome of ['success', 'denied', 'failed'] as const) {
      const some = await entries(admin, `outcome=${outcome}&size=1000`);
      expect(some).toEqual(all.filter((e) => e.outcome === outcome));
    }
    expect(await entries(admin, `request_id=${all[3].request_id}`)).toEqual([all[3]]);
    const underAz = await entries(admin, 'path_prefix=/v1/az&size=1000');
    expect(underAz).toEqual(all.filter((e) => e.path.startsWith('/v1/az')));
    expect(await entries(admin, `path_prefix=${encodeURIComponent('/v1/%')}&size=1000`)).toEqual([]);
    const oldest = all[all.length - 1];
    const newest = all[0];
    expect(await entries(admin, `created_after=${encodeURIComponent(newest.created_at)}&size=1000`)).toEqual(
      all.filter((e) => e.created_at >= newest.created_at),
    );
    expect(await entries(admin, `created_before=${encodeURIComponent(oldest.created_at)}&size=1000`)).toEqual([]);
    const window = `created_after=${encodeURIComponent(oldest.created_at)}&created_before=${encodeURIComponent(newest.created_at)}`;
    expect(await entries(admin, `${window}&size=1000`)).toEqual(all.filter((e) => e.created_at < newest.created_at));
    // An hour after the newest entry, written at +01:00 (two hours ahead on the clock face).
    const anHourLater = new Date(Date.parse(newest.created_at) + 2 * 3_600_000).toISOString().replace('Z', '+01:00');
    expect((await entries(admin, `created_before=${encodeURIComponent(anHourLater)}&size=1000`)).length).toBe(all.length);
    const mine = await entries(user.token, 'outcome=success&size=1000');
    expect(mine.every((e) => e.user_uuid === user.uuid)).toBe(true);
  });

  it('refuses bad operation-log queries', async () => {
    for (const qs of [
      'outcome=ok',
      'request_id=nope',
      'created_after=yesterday',
      'created_after=2024-02-30T00:00:00Z',
      'created_after=2024-04-17',
      'created_before=2024-04-17T25:00:00Z',
      'created_before=0000-01-01T00:00:00Z',
    ]) {
      expectError(await server.http.get(`/v1/operation_log?${qs}`).set(bearer(admin)), 400, 'INVALID_ARGUMENT');
    }
    expectError(await server.http.get('/v1/operation_log/abc').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.get('/v1/operation_log/999999').set(bearer(admin)), 404, 'NOT_FOUND');
    expectError(await server.http.get('/v1/operation_log?method=FETCH').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.get('/v1/operation_log?user_uuid=x').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
    expectError(await server.http.get('/v1/operation_log?sort=ip').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
  });

  describe('event API', () => {
    it('pages through the log with after and limit, with filters', async () => {
      const first = expectResult<{
        elements: { position: number; type: string; metadata: object }[];
        size: number;
        next: number;
      }>(await server.http.get('/v1/event?limit=3').set(bearer(reader.token)));
      expect(first.size).toBe(3);
      expect(first.elements[0]).toEqual({
        position: expect.any(Number),
        stream_type: 'user',
        stream_id: expect.stringMatching(UUID),
        version: 1,
        type: 'UserCreated',
        data: expect.objectContaining({ name: 'admin' }),
        metadata: expect.objectContaining({ request_id: null }),
        created_at: expect.stringMatching(/Z$/),
      });
      expect(first.next).toBe(first.elements[2].position);
      const second = expectResult<{ elements: { position: number }[]; next: number }>(
        await server.http.get(`/v1/event?after=${first.next}&limit=3`).set(bearer(reader.token)),
      );
      expect(second.elements.map((e) => e.position)).not.toContain(first.elements[0].position);
      const all = expectResult<{ elements: { position: number; type: string; stream_type: string }[] }>(
        await server.http.get('/v1/event?limit=1000').set(bearer(admin)),
      ).elements;
      expect(all.slice(0, 6).map((e) => e.position)).toEqual([...first.elements, ...second.elements].map((e) => e.position));
      const azEvents = expectResult<{ elements: { stream_type: string }[] }>(
        await server.http.get('/v1/event?stream_type=az&limit=1000').set(bearer(admin)),
      ).elements;
      expect(azEvents.length).toBeGreaterThan(0);
      expect(azEvents.every((e) => e.stream_type === 'az')).toBe(true);
      // Past the end: nothing, and `next` stays. (Events still held back by a transaction running
      // elsewhere on the server may yet appear after it: ask again until the end is the end.)
      const last = await eventually(
        async () => {
          const everything = expectResult<{ elements: { position: number }[] }>(
            await server.http.get('/v1/event?limit=1000').set(bearer(admin)),
          );
          const position = everything.elements[everything.elements.length - 1].position;
          const after = expectResult<{ size: number }>(await server.http.get(`/v1/event?after=${position}`).set(bearer(admin)));
          return { position, after };
        },
        ({ after }) => after.size === 0,
      );
      expect(last.after).toEqual({ elements: [], size: 0, next: last.position });
    });

    it('is for administrators of any kind only, and checks its parameters', async () => {
      expectError(await server.http.get('/v1/event').set(bearer(user.token)), 403, 'PERMISSION_DENIED');
      expectError(await server.http.get('/v1/event/stream').set(bearer(user.token)), 403, 'PERMISSION_DENIED');
      expectError(await server.http.get('/v1/event?after=-1').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
      expectError(await server.http.get('/v1/event?after=99999999').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
      expectError(await server.http.get('/v1/event?limit=0').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
      expectError(await server.http.get('/v1/event?limit=1001').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
      expectError(await server.http.get('/v1/event').set(bearer('0f0e0d0c-0b0a-4908-8706-050403020100')), 401, 'UNAUTHENTICATED');
    });

    it('streams the log live as Server-Sent Events, resumable with Last-Event-ID', async () => {
      // On a shared PostgreSQL server the log is read below the oldest transaction running anywhere:
      // the previous test's AccessDenied events may not be readable yet; once the consumers have
      // caught up, every committed event is.
      await server.caughtUp();
      const all = expectResult<{ elements: { position: number }[] }>(
        await server.http.get('/v1/event?limit=1000').set(bearer(admin)),
      ).elements;
      const resumeAt = all[all.length - 2].position;
      const stream = openStream(server.url, admin, { 'Last-Event-ID': String(resumeAt) });
      try {
        const first = await stream.next();
        expect(first.id).toBe(String(all[all.length - 1].position));
        const created = await server.http.post('/v1/az').set(bearer(admin)).send({ name: 'streamed' });
        expectResult(created);
        const live = await stream.next();
        expect(JSON.parse(live.data)).toMatchObject({ type: 'AzCreated', metadata: { request_id: created.body.requestId } });
        expect(Number(live.id)).toBeGreaterThan(Number(first.id));
      } finally {
        stream.close();
      }
    });

    it('shows the durable consumers and their checkpoints', async () => {
      await server.caughtUp();
      const { elements } = expectResult<{ elements: { name: string; state: string; failures: number; last_position: number }[] }>(
        await server.http.get('/v1/event/subscription').set(bearer(reader.token)),
      );
      expect(elements).toContainEqual(expect.objectContaining({ name: 'operation-log', state: 'running', failures: 0 }));
    });
  });
});

describe('operation-log projection on a long log', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer()));
  afterAll(() => server?.close());

  it("probes the request id's index per incoming entry, never reads the whole table", async () => {
    const events: StoredEvent[] = Array.from({ length: 40 }, (_, i) => ({
      position: i + 1,
      transactionId: '1',
      streamType: 'az',
      streamId: randomUUID(),
      version: 1,
      type: 'AzCreated',
      data: {},
      metadata: { ...SERVER_ORIGIN, request_id: randomUUID(), method: 'POST', path: '/v1/az', ip: '127.0.0.1', input: '{}' },
      createdAt: new Date(),
    }));
    // 5,000 entries: the size at which NOT EXISTS had the planner hash the whole table.
    await server.dataSource.transaction(async (manager) => {
      await manager.query('CREATE TEMP TABLE long_log (LIKE operation_log INCLUDING ALL) ON COMMIT DROP');
      await manager.query(
        `INSERT INTO long_log (id, created_at, method, path, input, ip, user_uuid, user_name, request_id, outcome, event_position)
         SELECT g, now(), 'POST', '/v1/az', '{}', '127.0.0.1', NULL, NULL, gen_random_uuid(), 'success', g
           FROM generate_series(1, 5000) AS g`,
      );
      await manager.query('ANALYZE long_log');
      const query = jest.spyOn(manager, 'query');
      await projectOperationLog(events, manager, 'long_log');
      const [sql, parameters] = query.mock.calls[0] as [string, unknown[]];
      query.mockRestore();
      const [{ 'QUERY PLAN': plan }]: { 'QUERY PLAN': unknown }[] = await manager.query(
        `EXPLAIN (FORMAT JSON) ${sql}`,
        parameters,
      );
      expect(JSON.stringify(plan)).not.toContain('Seq Scan');
      const [{ n, last }]: { n: string; last: string }[] = await manager.query(
        'SELECT count(*) AS n, max(id) AS last FROM long_log',
      );
      expect([Number(n), Number(last)]).toEqual([5040, 5040]);
    });
  });
});

describe('operation-log total beyond the count cap', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
  });
  // The seeded entries come from no event: the replay check does not apply.
  afterAll(() => server?.close({ verify: false }));

  /** Adds DELETE entries straight into the table, numbered after its last id as the projection does. */
  const seed = (count: number) =>
    server.dataSource.transaction(async (manager) => {
      await manager.query('LOCK TABLE operation_log IN EXCLUSIVE MODE');
      await manager.query(
        `INSERT INTO operation_log (id, created_at, method, path, input, ip, request_id, outcome, event_position)
         SELECT last + g, now(), 'DELETE', '/v1/az/seeded', '{}', '127.0.0.1', md5('seeded-' || (last + g))::uuid, 'success', 0
           FROM (SELECT coalesce(max(id), 0) AS last FROM operation_log) AS t, generate_series(1, $1::int) AS g`,
        [count],
      );
    });
  const page = async (qs: string) =>
    expectResult<{ elements: Entry[]; size: number; total: number }>(
      await server.http.get(`/v1/operation_log?${qs}`).set(bearer(admin)),
    );

  it('is exact up to the cap, then cap + 1 ("more than"); filtered totals below it stay exact', async () => {
    await server.caughtUp();
    const before = (await page('size=1')).total;
    expect(before).toBeLessThan(OPERATION_LOG_COUNT_CAP);
    await seed(OPERATION_LOG_COUNT_CAP - before);
    expect((await page('size=1')).total).toBe(OPERATION_LOG_COUNT_CAP);
    await seed(1);
    expect((await page('size=1')).total).toBe(OPERATION_LOG_COUNT_CAP + 1);
    await seed(100);
    const capped = await page('method=DELETE&size=10');
    expect(capped).toMatchObject({ size: 10, total: OPERATION_LOG_COUNT_CAP + 1 });
    const logins = await page('path=/v1/login&size=100');
    expect(logins.total).toBe(logins.size);
    expect(logins.total).toBeGreaterThan(0);
    // Pages past the cap are still served, in order.
    const deep = await page(`page=${OPERATION_LOG_COUNT_CAP / 10 + 1}&size=10`);
    expect(deep).toMatchObject({ size: 10, total: OPERATION_LOG_COUNT_CAP + 1 });
    expect(deep.elements.map((e) => e.id)).toEqual([...deep.elements.map((e) => e.id)].sort((a, b) => b - a));
  });
});

describe('event stream at shutdown', () => {
  it('ends open streams so that the server stops promptly', async () => {
    const server = await startTestServer();
    const admin = await login(server, ADMIN.name, ADMIN.password);
    const stream = openStream(server.url, admin, {});
    await stream.next();
    const started = Date.now();
    await server.close({ verify: false });
    expect(Date.now() - started).toBeLessThan(3000);
    stream.close();
  });
});

/** A minimal Server-Sent Events reader over node:http. */
function openStream(baseUrl: string, token: string, headers: Record<string, string>) {
  const messages: { id: string; data: string }[] = [];
  const waiters: (() => void)[] = [];
  let buffer = '';
  let checked: Promise<void> | undefined;
  const req = httpRequest(
    `${baseUrl}/v1/event/stream`,
    { headers: { ...bearer(token), Accept: 'text/event-stream', ...headers } },
    (res) => {
      checked = checkIncoming(baseUrl, 'GET', '/v1/event/stream', res);
      checked.catch(() => undefined); // awaited by next()
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const field = (name: string) =>
            block
              .split('\n')
              .find((l) => l.startsWith(`${name}:`))
              ?.slice(name.length + 1)
              .trim() ?? '';
          if (block.includes('data:')) messages.push({ id: field('id'), data: field('data') });
          waiters.splice(0).forEach((w) => w());
        }
      });
    },
  );
  req.end();
  return {
    async next(timeoutMs = 10_000): Promise<{ id: string; data: string }> {
      const deadline = Date.now() + timeoutMs;
      while (messages.length === 0) {
        if (Date.now() > deadline) throw new Error('no event arrived on the stream');
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
      await checked; // set once the response started, as it has when a message came
      return messages.shift() as { id: string; data: string };
    },
    close: () => req.destroy(),
  };
}
