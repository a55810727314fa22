import { connect } from 'node:net';
import { Role } from '@chime/contracts';
import { Passwords } from '../src/modules/identity/passwords';
import { AzPort } from '../src/modules/zones/az.port';
import { UnavailableError } from '../src/platform/errors/domain-error';
import { expectError, expectResult, UUID } from './support/envelope';
import { ProbeModule } from './support/probe.module';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login, TestUser } from './support/users';

/**
 * The hardening issue's findings, one block each: every input a client can send ends in a
 * documented 4xx (exact status and envelope) or a 200, never a 500 or a dead process.
 */
describe('hardening: bad input is always a 4xx and never hurts the server', () => {
  let server: TestServer;
  let admin: string;
  let azUuid: string;
  let clusterUuid: string;
  let user: TestUser;

  const nested = (depth: number) => `{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`;
  const rawJson = (method: string, path: string, body: string, token?: string) =>
    server.http[method.toLowerCase() as 'post'](path)
      .set('Content-Type', 'application/json')
      .set(token ? bearer(token) : {})
      .send(body);
  const stateCounts = async () =>
    (await server.dataSource.query(
      `SELECT (SELECT count(*) FROM availability_zones)::int AS azs, (SELECT count(*) FROM clusters)::int AS clusters,
              (SELECT count(*) FROM users)::int AS users,
              (SELECT count(*) FROM event_log WHERE stream_type <> 'security')::int AS events`,
    )) as unknown[];

  beforeAll(async () => {
    server = await startTestServer({ extensions: [ProbeModule] });
    admin = await login(server, ADMIN.name, ADMIN.password);
    azUuid = expectResult<{ az: { uuid: string } }>(await server.http.post('/v1/az').set(bearer(admin)).send({ name: 'hz' })).az
      .uuid;
    clusterUuid = expectResult<{ cluster: { uuid: string } }>(
      await server.http.post(`/v1/az/${azUuid}/cluster`).set(bearer(admin)).send({ name: 'hc' }),
    ).cluster.uuid;
    user = await createUser(server, admin, Role.User, 'plain');
  });
  afterAll(() => server?.close());

  describe('1. deeply nested bodies', () => {
    it.each([65, 2_500, 10_000, 100_000])('refuses %i levels with 400, with and without a token', async (depth) => {
      for (const path of ['/v1/az', '/v1/login']) {
        const res = await rawJson('POST', path, nested(depth), admin);
        expect(expectError(res, 400, 'INVALID_ARGUMENT')).toBe('the request body is nested too deeply (at most 64 levels)');
      }
      expectError(await rawJson('POST', '/v1/az', nested(depth)), 400, 'INVALID_ARGUMENT');
      expect((await server.http.get('/healthz')).status).toBe(200);
    });

    it('counts only structure, not brackets inside strings', async () => {
      const res = await rawJson('POST', '/v1/probe', JSON.stringify({ name: '[[[[', count: 1 }));
      expect(expectResult(res)).toEqual({ body: { name: '[[[[', count: 1 } });
      const body = JSON.stringify({ name: 'x', count: 1, deep: '['.repeat(200) });
      expect(expectError(await rawJson('POST', '/v1/probe', body), 400, 'INVALID_ARGUMENT')).toContain('unknown field deep');
    });

    it('accepts 64 levels as far as nesting goes (the DTO then refuses the field)', async () => {
      expect(expectError(await rawJson('POST', '/v1/probe', nested(63)), 400, 'INVALID_ARGUMENT')).not.toContain('nested');
    });

    it('answers 500 and stays up when the error filter itself fails', async () => {
      expect(expectError(await server.http.get('/v1/probe/hostile'), 500, 'INTERNAL')).toBe('internal error');
      expectResult(await server.http.post('/v1/probe').send({ name: 'still' }));
    });
  });

  describe('3. null in a body', () => {
    it('means "unchanged" in a PATCH of a user, an AZ and a cluster', async () => {
      for (const body of [{ nick_name: null }, { password: null }, { avatar: null, nick_name: null, role: null, name: null }]) {
        expect(expectResult(await server.http.patch(`/v1/user/${user.uuid}`).set(bearer(user.token)).send(body))).toEqual({
          user: 'ok',
        });
      }
      const me = expectResult<{ user: { nick_name: string; role: number } }>(
        await server.http.get(`/v1/user/${user.uuid}`).set(bearer(user.token)),
      ).user;
      expect(me).toMatchObject({ nick_name: user.name, role: Role.User });
      await login(server, user.name, user.password); // the password is unchanged

      expect(
        expectResult(await server.http.patch(`/v1/az/${azUuid}`).set(bearer(admin)).send({ name: null, description: null })),
      ).toEqual({
        az: 'ok',
      });
      const cluster = `/v1/az/${azUuid}/cluster/${clusterUuid}`;
      const all = { name: null, description: null, arch: null, hypervisor_type: null, type: null };
      expect(expectResult(await server.http.patch(cluster).set(bearer(admin)).send(all))).toEqual({ cluster: 'ok' });
      expect(expectResult<{ cluster: object }>(await server.http.get(cluster).set(bearer(admin))).cluster).toMatchObject({
        name: 'hc',
        arch: 'x86_64',
        hypervisor_type: 'kvm',
        type: 0,
      });
    });

    it('means "the default" in a POST, and a required field sent as null is a 400', async () => {
      const created = expectResult<{ cluster: object }>(
        await server.http
          .post(`/v1/az/${azUuid}/cluster`)
          .set(bearer(admin))
          .send({ name: 'nulls', description: null, arch: null, hypervisor_type: null, type: null }),
      ).cluster;
      expect(created).toMatchObject({ name: 'nulls', description: '', arch: 'x86_64', hypervisor_type: 'kvm', type: 0 });
      expect(
        expectError(await server.http.post('/v1/az').set(bearer(admin)).send({ name: null }), 400, 'INVALID_ARGUMENT'),
      ).toContain('name');
    });

    it('still means "no default" where null is a value (user defaults)', async () => {
      const path = `/v1/user/${user.uuid}/default`;
      expectResult(await server.http.patch(path).set(bearer(user.token)).send({ az_uuid: azUuid, clusters_uuid: null }));
      expect(expectResult(await server.http.get(path).set(bearer(user.token)))).toEqual({
        default: { az_uuid: azUuid, clusters_uuid: null },
      });
      expectResult(await server.http.patch(path).set(bearer(user.token)).send({ az_uuid: null, clusters_uuid: null }));
      expect(expectResult(await server.http.get(path).set(bearer(user.token)))).toEqual({
        default: { az_uuid: null, clusters_uuid: null },
      });
    });
  });

  describe('4. unchanged values resent by clients', () => {
    it('lets a user edit its own nick name with the whole body ChimeStack clients send', async () => {
      const body = { name: user.name, nick_name: 'New Nick', avatar: '', role: Role.User };
      expectResult(await server.http.patch(`/v1/user/${user.uuid}`).set(bearer(user.token)).send(body));
      expect(
        expectResult<{ user: { nick_name: string } }>(await server.http.get(`/v1/user/${user.uuid}`).set(bearer(user.token))).user
          .nick_name,
      ).toBe('New Nick');
    });

    it('lets admin be edited with name "admin" and role 3 resent', async () => {
      const me = expectResult<{ user: { user_uuid: string } }>(await server.http.post('/v1/auth').send({ token: admin })).user;
      const res = await server.http
        .patch(`/v1/user/${me.user_uuid}`)
        .set(bearer(admin))
        .send({ name: 'admin', role: Role.SuperAdmin, nick_name: 'The Admin' });
      expect(expectResult(res)).toEqual({ user: 'ok' });
    });

    it('still refuses real changes the role may not make', async () => {
      const body = { name: `${user.name}x` };
      expectError(await server.http.patch(`/v1/user/${user.uuid}`).set(bearer(user.token)).send(body), 403, 'PERMISSION_DENIED');
      expectError(
        await server.http.patch(`/v1/user/${user.uuid}`).set(bearer(user.token)).send({ role: Role.Admin }),
        403,
        'PERMISSION_DENIED',
      );
      const me = expectResult<{ user: { user_uuid: string } }>(await server.http.post('/v1/auth').send({ token: admin })).user;
      expectError(
        await server.http.patch(`/v1/user/${me.user_uuid}`).set(bearer(admin)).send({ name: 'root' }),
        400,
        'FAILED_PRECONDITION',
      );
      expectError(
        await server.http.patch(`/v1/user/${me.user_uuid}`).set(bearer(admin)).send({ role: Role.Admin }),
        400,
        'FAILED_PRECONDITION',
      );
    });
  });

  describe('5. text PostgreSQL cannot store', () => {
    it.each([
      [
        'a NUL in a body field',
        () => rawJson('POST', '/v1/az', '{"name":"a\\u0000b"}', admin),
        'body name contains a NUL character',
      ],
      [
        'a NUL in a login name',
        () => rawJson('POST', '/v1/login', '{"user_name":"ad\\u0000min","password":"x"}'),
        'body user_name contains a NUL character',
      ],
      ['a NUL in a key', () => rawJson('POST', '/v1/az', '{"na\\u0000me":"x"}', admin), 'NUL'],
      [
        'a lone surrogate in a name',
        () => rawJson('POST', '/v1/az', '{"name":"\\ud800x"}', admin),
        'body name contains invalid Unicode (a lone surrogate)',
      ],
      [
        'a lone low surrogate',
        () => rawJson('PATCH', `/v1/az/${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}`, '{"description":"x\\udc00"}', admin),
        'lone surrogate',
      ],
      [
        'a NUL in a filter',
        () => server.http.get('/v1/az?name=a%00b').set(bearer(admin)),
        'query parameter name contains a NUL character',
      ],
      [
        'a NUL in an event filter',
        () => server.http.get('/v1/event?type=%00').set(bearer(admin)),
        'query parameter type contains a NUL character',
      ],
      ['a NUL in a path', () => server.http.get('/v1/az/%00').set(bearer(admin)), 'AzUuid'],
    ])('refuses %s with 400 naming the field', async (_, send, message) => {
      const before = await stateCounts();
      expect(expectError(await send(), 400, 'INVALID_ARGUMENT')).toContain(message);
      expect(await stateCounts()).toEqual(before);
    });

    it('judges a POST without a body like one with an empty JSON body', async () => {
      const before = await stateCounts();
      const empty = expectError(await rawJson('POST', '/v1/az', '', admin), 400, 'INVALID_ARGUMENT');
      const none = expectError(await server.http.post('/v1/az').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
      expect(none).toBe(empty);
      expect(empty).toContain('name');
      expect(await stateCounts()).toEqual(before);
    });

    it('accepts a surrogate pair (an emoji) in a name', async () => {
      expectResult(await rawJson('POST', '/v1/az', '{"name":"zone \\ud83d\\ude80"}', admin));
    });
  });

  describe('6. ids', () => {
    it.each(['99999999999999999999', '9223372036854775808', '1e3', '%201', '1%20', '-1', '0', '01', '1.0', 'abc'])(
      'refuses operation log id %s with 400',
      async (id) => {
        expect(expectError(await server.http.get(`/v1/operation_log/${id}`).set(bearer(admin)), 400, 'INVALID_ARGUMENT')).toBe(
          'id must be a positive integer of at most 19 digits',
        );
      },
    );

    it('answers 404 for a well-formed id that does not exist, up to the largest int64', async () => {
      expectError(await server.http.get('/v1/operation_log/9223372036854775807').set(bearer(admin)), 404, 'NOT_FOUND');
    });
  });

  describe('7. bodies that are not JSON', () => {
    it.each([
      ['text/plain', '{"name":"x"}'],
      ['application/x-www-form-urlencoded', 'name=x'],
      ['multipart/form-data; boundary=b', '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--'],
      ['', '{"name":"x"}'],
    ])('refuses a PATCH body sent as "%s" with 400 and changes nothing', async (type, body) => {
      const before = await stateCounts();
      const req = server.http.patch(`/v1/az/${azUuid}`).set(bearer(admin));
      const res = await (type ? req.set('Content-Type', type) : req.unset('Content-Type')).send(body);
      expect(expectError(res, 400, 'INVALID_ARGUMENT')).toBe(
        'the request body must be JSON, sent with Content-Type: application/json',
      );
      expect(await stateCounts()).toEqual(before);
    });

    it('accepts application/json with a charset and application/*+json', async () => {
      for (const type of ['application/json; charset=utf-8', 'application/merge-patch+json']) {
        expectResult(
          await server.http.patch(`/v1/az/${azUuid}`).set(bearer(admin)).set('Content-Type', type).send('{"description":"d"}'),
        );
      }
    });

    it('refuses a charset other than UTF-8', async () => {
      const res = await server.http
        .post('/v1/probe')
        .set('Content-Type', 'application/json; charset=latin2')
        .send('{"name":"x"}');
      expectError(res, 400, 'INVALID_ARGUMENT');
    });
  });

  describe('8. unknown query keys and fields', () => {
    it.each([
      ['GET', () => `/v1/az/${azUuid}?colour=red`],
      ['PUT', () => `/v1/az/${azUuid}/disable?force=true`],
      ['GET', () => '/v1/event/subscription?page=2'],
      ['DELETE', () => `/v1/az/${azUuid}/cluster/${clusterUuid}?cascade=1`],
      ['GET', () => `/v1/user/${user.uuid}/default?x=`],
    ])('%s %s refuses the unknown query parameter', async (method, path) => {
      const before = await stateCounts();
      const res = await server.http[method.toLowerCase() as 'get'](path()).set(bearer(admin));
      expect(expectError(res, 400, 'INVALID_ARGUMENT')).toMatch(/^unknown query parameter /);
      expect(await stateCounts()).toEqual(before);
    });

    it('authenticates before it judges the input: no token is 401 whatever else is wrong', async () => {
      expectError(await server.http.get(`/v1/az/${azUuid}?colour=red`), 401, 'UNAUTHENTICATED');
      expectError(await rawJson('PUT', `/v1/az/${azUuid}/enable`, '{"force":true}'), 401, 'UNAUTHENTICATED');
      // A signed-in user who may not act is refused for that, before the input is looked at.
      expectError(await rawJson('PUT', `/v1/az/${azUuid}/enable`, '{"force":true}', user.token), 403, 'PERMISSION_DENIED');
    });

    it('refuses an unknown query key on a list as well', async () => {
      expect(expectError(await server.http.get('/v1/az?colour=red').set(bearer(admin)), 400, 'INVALID_ARGUMENT')).toContain(
        'colour',
      );
    });

    it.each(['__proto__', 'constructor', 'prototype'])('refuses a body key %s instead of dropping it', async (key) => {
      const res = await rawJson('POST', '/v1/az', `{"name":"p-${key}","${key}":{"polluted":true}}`, admin);
      expect(expectError(res, 400, 'INVALID_ARGUMENT')).toContain(key);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });

    it('refuses a body on a route that takes none, tolerating an empty object', async () => {
      const path = `/v1/az/${azUuid}/enable`;
      expect(expectError(await rawJson('PUT', path, '{"force":true}', admin), 400, 'INVALID_ARGUMENT')).toContain(
        'takes no request body',
      );
      expectResult(await rawJson('PUT', path, '{}', admin));
      expectResult(await server.http.put(path).set(bearer(admin)));
    });
  });

  describe('9. messages and the HTTP layer', () => {
    it('never echoes the body in a parse error', async () => {
      const res = await rawJson('POST', '/v1/login', '{"user_name":"admin","password":S3cret-echo}');
      expect(expectError(res, 400, 'INVALID_ARGUMENT')).toBe('the request body is not valid JSON');
      expect(res.text).not.toContain('S3cret');
    });

    const raw = (text: string) =>
      new Promise<string>((resolve, reject) => {
        const { port } = new URL(server.url);
        const socket = connect(Number(port), '127.0.0.1', () => socket.end(text));
        let answer = '';
        socket.on('data', (chunk) => (answer += chunk.toString('latin1')));
        socket.on('close', () => resolve(answer));
        socket.on('error', reject);
      });
    const envelopeOf = (answer: string) => JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4));

    it.each([
      ['a bad method', 'BLAH / HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'INVALID_ARGUMENT'],
      ['a 0xFF byte in the path', 'GET /v1/\xff HTTP/1.1\r\nHost: x\r\n\r\n', 400, 'INVALID_ARGUMENT'],
      ['a 100 kB header', `GET /v1/az HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`, 431, 'PAYLOAD_TOO_LARGE'],
    ])('answers %s with the envelope', async (_, text, code, status) => {
      const answer = await raw(text);
      expect(answer).toMatch(new RegExp(`^HTTP/1.1 ${code} `));
      expect(answer).toMatch(/\r\nContent-Type: application\/json/i);
      const body = envelopeOf(answer);
      expect(body).toEqual({ requestId: expect.stringMatching(UUID), error: { code, status, message: expect.any(String) } });
      expect(answer).toContain(`X-Request-Id: ${body.requestId}`);
    });
  });

  describe('12. authorization before expensive work', () => {
    it('does not hash a password for a request that is then denied', async () => {
      const other = await createUser(server, admin, Role.User, 'victim');
      const hash = jest.spyOn(server.app.get(Passwords), 'hash');
      try {
        const res = await server.http
          .patch(`/v1/user/${other.uuid}`)
          .set(bearer(user.token))
          .send({ password: 'new-password-1' });
        expectError(res, 403, 'PERMISSION_DENIED');
        expect(hash).not.toHaveBeenCalled();
      } finally {
        hash.mockRestore();
      }
      await login(server, other.name, other.password);
    });
  });

  describe('13. errors are not swallowed', () => {
    it('answers an outage while reading a default as 500 UNAVAILABLE, not as "no default"', async () => {
      const path = `/v1/user/${user.uuid}/default`;
      expectResult(await server.http.patch(path).set(bearer(user.token)).send({ az_uuid: azUuid, clusters_uuid: null }));
      const get = jest
        .spyOn(server.app.get(AzPort), 'get')
        .mockRejectedValueOnce(new UnavailableError('the database cannot be reached; try again later'));
      try {
        expectError(await server.http.get(path).set(bearer(user.token)), 500, 'UNAVAILABLE');
      } finally {
        get.mockRestore();
      }
      expect(expectResult(await server.http.get(path).set(bearer(user.token)))).toEqual({
        default: { az_uuid: azUuid, clusters_uuid: null },
      });
    });
  });

  describe('15. names people cannot see or read', () => {
    it.each([
      ['zero-width characters only', '\u200b\u200c\u200d'],
      ['a byte-order mark and blanks', '\ufeff \u00a0'],
      ['combining marks only', '\u0301\u0301'],
      ['a Hangul filler', '\u3164'],
      ['a right-to-left override', 'abc\u202edcb'],
      ['a bidi isolate', 'a\u2066b\u2069'],
      ['a line feed', 'a\nb'],
    ])('refuses an AZ or cluster name of %s', async (_, name) => {
      expectError(await server.http.post('/v1/az').set(bearer(admin)).send({ name }), 400, 'INVALID_ARGUMENT');
      expectError(await server.http.post(`/v1/az/${azUuid}/cluster`).set(bearer(admin)).send({ name }), 400, 'INVALID_ARGUMENT');
      expectError(await server.http.patch(`/v1/az/${azUuid}`).set(bearer(admin)).send({ name }), 400, 'INVALID_ARGUMENT');
    });

    it('refuses bidi controls in descriptions and nick names, and accepts real scripts', async () => {
      expectError(
        await server.http.post('/v1/az').set(bearer(admin)).send({ name: 'ok', description: '\u202e' }),
        400,
        'INVALID_ARGUMENT',
      );
      expectError(
        await server.http.patch(`/v1/user/${user.uuid}`).set(bearer(user.token)).send({ nick_name: '\u202enimda' }),
        400,
        'INVALID_ARGUMENT',
      );
      for (const name of ['עברית', 'زون', '東京-1', 'Zürich é']) {
        expectResult(await server.http.post('/v1/az').set(bearer(admin)).send({ name }));
      }
    });
  });

  it('is still alive and ready at the end', async () => {
    expect((await server.http.get('/healthz')).status).toBe(200);
    expect((await server.http.get('/readyz')).status).toBe(200);
  });
});
