import { request as httpRequest, IncomingMessage } from 'node:http';
import { Role } from '@chime/contracts';
import { hashToken } from '../src/modules/identity/sessions';
import { AppConfig } from '../src/platform/config/app-config';
import { checkIncoming } from './support/checked-http';
import { expectError, expectResult } from './support/envelope';
import { eventually } from './support/eventually';
import { callServer, startServerProcess, ServerProcess } from './support/server-process';
import { createTestDatabase, ON_POSTGRES_SERVER, TestDatabase } from './support/test-database';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, createUser, login } from './support/users';

/** How soon after its cause a stream must have ended (the requirement, not a machine-speed guess). */
const END_WITHIN_MS = 1_000;

interface SseMessage {
  event: string;
  id?: string;
  data: string;
}

/** A Server-Sent Events client over node:http that keeps everything it received, parsed as the spec says. */
class SseClient {
  status?: number;
  headers: IncomingMessage['headers'] = {};
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  closed = false;
  private body = '';
  private readonly waiters = new Set<() => void>();
  private readonly request;
  /** The response held against the served OpenAPI document (test/support/checked-http.ts). */
  private checked?: Promise<void>;

  constructor(baseUrl: string, token: string, query = '', headers: Record<string, string> = {}) {
    this.request = httpRequest(
      `${baseUrl}/v1/event/stream${query}`,
      { headers: { ...bearer(token), Accept: 'text/event-stream', ...headers } },
      (res) => {
        this.checked = checkIncoming(baseUrl, 'GET', `/v1/event/stream${query}`, res);
        this.checked.catch(() => undefined); // awaited by opened()
        this.status = res.statusCode;
        this.headers = res.headers;
        res.setEncoding('utf8');
        let buffer = '';
        let message: SseMessage = { event: 'message', data: '' };
        let dataLines: string[] = [];
        res.on('data', (chunk: string) => {
          this.body += chunk;
          buffer += chunk;
          let newline: number;
          while ((newline = buffer.indexOf('\n')) >= 0) {
            const line = buffer.slice(0, newline).replace(/\r$/, '');
            buffer = buffer.slice(newline + 1);
            if (line === '') {
              if (dataLines.length > 0) this.messages.push({ ...message, data: dataLines.join('\n') });
              message = { event: 'message', data: '' };
              dataLines = [];
            } else if (line.startsWith(':')) {
              this.comments.push(line.slice(1).trim());
            } else {
              const colon = line.indexOf(':');
              const field = colon < 0 ? line : line.slice(0, colon);
              const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
              if (field === 'data') dataLines.push(value);
              if (field === 'event') message.event = value;
              if (field === 'id') message.id = value;
            }
          }
          this.wake();
        });
        res.on('close', () => {
          this.closed = true;
          this.wake();
        });
      },
    );
    this.request.on('error', () => {
      this.closed = true;
      this.wake();
    });
    this.request.end();
  }

  /** Resolves once the response has started (a refusal: has ended) and fits the OpenAPI document; returns its status. */
  async opened(): Promise<number> {
    await this.until(() => this.status !== undefined, 'the response to start');
    await this.checked;
    return this.status as number;
  }

  /** The events of the log received so far (not `end`), parsed. */
  events(): { type: string; position: number; metadata: { request_id: string } }[] {
    return this.messages.filter((m) => m.event === 'message').map((m) => JSON.parse(m.data));
  }

  /** Waits for the `end` message and the close of the response; returns the reason. */
  async ended(timeoutMs: number): Promise<string> {
    await this.until(() => this.closed, 'the stream to end', timeoutMs);
    const ends = this.messages.filter((m) => m.event === 'end');
    expect(ends).toHaveLength(1);
    expect(this.messages[this.messages.length - 1]).toBe(ends[0]);
    const data = JSON.parse(ends[0].data) as { reason: string };
    expect(Object.keys(data)).toEqual(['reason']);
    return data.reason;
  }

  async until(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`waited ${timeoutMs} ms for ${what}; received so far:\n${this.body}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.add(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.request.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters) waiter();
    this.waiters.clear();
  }
}

/** Opens a stream and waits until the server answers it with 200 (the stream is then live). */
async function openStream(server: { url: string }, token: string, query = '?after=now'): Promise<SseClient> {
  const stream = new SseClient(server.url, token, query);
  expect(await stream.opened()).toBe(200);
  expect(stream.headers['content-type']).toMatch(/^text\/event-stream/);
  return stream;
}

describe('an event stream lives only as long as its session', () => {
  let server: TestServer;
  let admin: string;
  const streams: SseClient[] = [];
  const open = async (token: string) => {
    const stream = await openStream(server, token);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    server = await startTestServer();
    admin = await login(server, ADMIN.name, ADMIN.password);
  });
  afterEach(() => streams.splice(0).forEach((s) => s.close()));
  afterAll(() => server?.close());

  it('ends with token_revoked at logout', async () => {
    const reader = await createUser(server, admin, Role.ReadOnlyAdmin, 'logout');
    const stream = await open(reader.token);
    expectResult(await server.http.post('/v1/logout').send({ token: reader.token }));
    expect(await stream.ended(END_WITHIN_MS)).toBe('token_revoked');
    expectError(await server.http.get('/v1/event').set(bearer(reader.token)), 401, 'UNAUTHENTICATED');
  });

  it('ends with password_changed when the user changes its password', async () => {
    const reader = await createUser(server, admin, Role.ReadOnlyAdmin, 'password');
    const stream = await open(reader.token);
    expectResult(
      await server.http.patch(`/v1/user/${reader.uuid}`).set(bearer(reader.token)).send({ password: 'a-new-password' }),
    );
    expect(await stream.ended(END_WITHIN_MS)).toBe('password_changed');
  });

  it('ends with permission_revoked when the user is demoted below read-only administrator', async () => {
    const reader = await createUser(server, admin, Role.ReadOnlyAdmin, 'demoted');
    const stream = await open(reader.token);
    expectResult(await server.http.patch(`/v1/user/${reader.uuid}`).set(bearer(admin)).send({ role: Role.User }));
    expect(await stream.ended(END_WITHIN_MS)).toBe('permission_revoked');
    expectError(await server.http.get('/v1/event').set(bearer(reader.token)), 403, 'PERMISSION_DENIED');
  });

  it('ends with user_deleted when the user is deleted', async () => {
    const reader = await createUser(server, admin, Role.ReadOnlyAdmin, 'deleted');
    const stream = await open(reader.token);
    expectResult(await server.http.delete(`/v1/user/${reader.uuid}`).set(bearer(admin)));
    expect(await stream.ended(END_WITHIN_MS)).toBe('user_deleted');
  });

  it('stays open through changes that leave the session valid (rename, promotion)', async () => {
    const reader = await createUser(server, admin, Role.ReadOnlyAdmin, 'kept');
    const stream = await open(reader.token);
    expectResult(
      await server.http
        .patch(`/v1/user/${reader.uuid}`)
        .set(bearer(admin))
        .send({ name: `${reader.name}x`, role: Role.Admin }),
    );
    // Other sessions of the user ending leave this one alone.
    const other = await login(server, `${reader.name}x`, reader.password);
    expectResult(await server.http.post('/v1/logout').send({ token: other }));
    const created = await server.http.post('/v1/az').set(bearer(admin)).send({ name: 'still-streamed' });
    expectResult(created);
    await stream.until(
      () => stream.events().some((e) => e.metadata.request_id === created.body.requestId),
      'the AzCreated event',
    );
    expect(stream.closed).toBe(false);
    expect(stream.messages.filter((m) => m.event === 'end')).toEqual([]);
  });

  it('ends with shutdown when the server stops', async () => {
    const own = await startTestServer();
    const stream = await openStream(own, await login(own, ADMIN.name, ADMIN.password));
    await own.close({ verify: false });
    expect(await stream.ended(END_WITHIN_MS)).toBe('shutdown');
  });
});

describe('an event stream at the expiry of its token', () => {
  let server: TestServer;
  beforeAll(async () => (server = await startTestServer({ env: { CHIME_TOKEN_TTL: '3' } })));
  afterAll(() => server?.close());

  it('ends with token_expired within a second of the expiry', async () => {
    const res = await server.http.post('/v1/login').send({ user_name: ADMIN.name, password: ADMIN.password });
    const { uuid: token, expired_at } = expectResult<{ user: { uuid: string; expired_at: string } }>(res).user;
    const stream = await openStream(server, token);
    try {
      const expiresAt = new Date(expired_at).getTime();
      expect(await stream.ended(expiresAt - Date.now() + END_WITHIN_MS)).toBe('token_expired');
      expect(Date.now()).toBeGreaterThanOrEqual(expiresAt);
    } finally {
      stream.close();
    }
  });
});

describe('an event stream, from the head of the log and with heartbeats', () => {
  let server: TestServer;
  let admin: string;
  beforeAll(async () => {
    server = await startTestServer({ env: { CHIME_STREAM_HEARTBEAT: '1' } });
    admin = await login(server, ADMIN.name, ADMIN.password);
  });
  afterAll(() => server?.close());

  const createAz = async (name: string) => {
    const res = await server.http.post('/v1/az').set(bearer(admin)).send({ name });
    expectResult(res);
    return res.body.requestId as string;
  };

  it('sends a heartbeat comment at the configured interval', async () => {
    const stream = await openStream(server, admin);
    try {
      await stream.until(() => stream.comments.includes('heartbeat'), 'a heartbeat');
      expect(stream.messages).toEqual([]);
    } finally {
      stream.close();
    }
  });

  it('with after=now, sends only the events committed after it opened', async () => {
    const before = await createAz('before-now');
    const stream = await openStream(server, admin);
    try {
      const after = await createAz('after-now');
      await stream.until(() => stream.events().length > 0, 'an event');
      expect(stream.events().map((e) => [e.type, e.metadata.request_id])).toEqual([['AzCreated', after]]);
      expect(stream.events()[0].metadata.request_id).not.toBe(before);
      // Its id is the event's position, as listEvent reports it.
      const listed = expectResult<{ elements: { position: number; metadata: { request_id: string } }[] }>(
        await server.http.get('/v1/event?type=AzCreated&limit=1000').set(bearer(admin)),
      ).elements.find((e) => e.metadata.request_id === after);
      expect(stream.messages[0].id).toBe(String(listed?.position));
    } finally {
      stream.close();
    }
  });

  it('resumes from Last-Event-ID, which wins over after=now (EventSource sends it on reconnect)', async () => {
    const first = await createAz('resume-1');
    const second = await createAz('resume-2');
    // The log is read below the oldest transaction running anywhere on the server (another test
    // file's import, say): the event may take a moment to show.
    const events = await eventually(
      async () =>
        expectResult<{ elements: { position: number; metadata: { request_id: string } }[] }>(
          await server.http.get('/v1/event?limit=1000').set(bearer(admin)),
        ).elements,
      (elements) => elements.some((e) => e.metadata.request_id === first),
    );
    const firstAt = events.find((e) => e.metadata.request_id === first)?.position as number;
    const stream = new SseClient(server.url, admin, '?after=now', { 'Last-Event-ID': String(firstAt) });
    try {
      expect(await stream.opened()).toBe(200);
      await stream.until(() => stream.events().some((e) => e.metadata.request_id === second), 'the second event');
      expect(stream.events()[0].metadata.request_id).toBe(second);
      expect(Number(stream.messages[0].id)).toBeGreaterThan(firstAt);
    } finally {
      stream.close();
    }
  });

  it.each(['now1', 'NOW', '-1', '1.5', '', 'x', '99999999'])('refuses after=%s with 400', async (after) => {
    const message = expectError(
      await server.http.get(`/v1/event/stream?after=${encodeURIComponent(after)}`).set(bearer(admin)),
      400,
      'INVALID_ARGUMENT',
    );
    expect(message).toMatch(/after|no event at position/);
  });

  it.each(['now', '-1', 'x', '99999999'])('refuses Last-Event-ID: %s with 400', async (lastEventId) => {
    expectError(
      await server.http.get('/v1/event/stream').set(bearer(admin)).set('Last-Event-ID', lastEventId),
      400,
      'INVALID_ARGUMENT',
    );
  });

  it('documents after=now in the OpenAPI schema', async () => {
    const { paths } = (await server.http.get('/v1/openapi.json')).body;
    const after = paths['/v1/event/stream'].get.parameters.find((p: { name: string }) => p.name === 'after');
    expect(after).toMatchObject({ in: 'query', required: false });
    expect(after.schema).toMatchObject({ type: 'string', pattern: expect.any(String) });
    const pattern = new RegExp(after.schema.pattern);
    expect(['now', '0', '42'].filter((v) => pattern.test(v))).toEqual(['now', '0', '42']);
    expect(['', 'x', '-1', 'now1', '1.5'].filter((v) => pattern.test(v))).toEqual([]);
    // listEvent's `after` stays a position.
    const listAfter = paths['/v1/event'].get.parameters.find((p: { name: string }) => p.name === 'after');
    expect(listAfter.schema).toMatchObject({ type: 'number', minimum: 0 });
    expectError(await server.http.get('/v1/event?after=now').set(bearer(admin)), 400, 'INVALID_ARGUMENT');
  });
});

describe('open event streams are capped per user and per server', () => {
  let server: TestServer;
  let admin: string;
  const streams: SseClient[] = [];
  const refused = async (token: string, why: RegExp) => {
    const res = await server.http.get('/v1/event/stream?after=now').set(bearer(token));
    expect(expectError(res, 429, 'RESOURCE_EXHAUSTED')).toMatch(why);
    expect(res.headers['retry-after']).toBe('5');
  };
  const accepted = async (token: string) => {
    const stream = await openStream(server, token);
    streams.push(stream);
    return stream;
  };

  beforeAll(async () => {
    server = await startTestServer({ env: { CHIME_MAX_STREAMS_PER_USER: '2', CHIME_MAX_STREAMS: '3' } });
    admin = await login(server, ADMIN.name, ADMIN.password);
  });
  afterAll(async () => {
    streams.forEach((s) => s.close());
    await server?.close();
  });

  it('refuses a user beyond its cap and the server beyond its cap with 429, and frees a slot when a stream closes', async () => {
    const reader = await createUser(server, admin, Role.ReadOnlyAdmin, 'capped');
    const [adminFirst] = [await accepted(admin), await accepted(admin)];
    await refused(admin, /this user has 2 event streams open/);

    const readerStream = await accepted(reader.token);
    await refused(reader.token, /this server has 3 event streams open/);

    // A stream the client closes frees its slot at once: the reader may open one again.
    adminFirst.close();
    await eventually(
      async () => {
        const stream = new SseClient(server.url, reader.token, '?after=now');
        streams.push(stream);
        return stream.opened();
      },
      (status) => status === 200,
      2_000,
    );
    await refused(admin, /this server has 3 event streams open/);

    // So does a stream the server ends.
    expectResult(await server.http.post('/v1/logout').send({ token: reader.token }));
    expect(await readerStream.ended(END_WITHIN_MS)).toBe('token_revoked');
    await eventually(
      async () => {
        const stream = new SseClient(server.url, admin, '?after=now');
        streams.push(stream);
        return stream.opened();
      },
      (status) => status === 200,
      2_000,
    );
  });

  it('validates the caps and the heartbeat interval at start', () => {
    for (const [name, value] of [
      ['CHIME_MAX_STREAMS', '0'],
      ['CHIME_MAX_STREAMS_PER_USER', 'five'],
      ['CHIME_STREAM_HEARTBEAT', '0'],
    ]) {
      expect(() => AppConfig.fromEnvironment({ [name]: value })).toThrow(new RegExp(`${name}=`));
    }
    const defaults = AppConfig.fromEnvironment({});
    expect([defaults.CHIME_MAX_STREAMS_PER_USER, defaults.CHIME_MAX_STREAMS, defaults.CHIME_STREAM_HEARTBEAT]).toEqual([
      5, 200, 15,
    ]);
  });
});

(ON_POSTGRES_SERVER ? describe : describe.skip)(
  'an event stream across server processes (PostgreSQL only: the embedded database is single-process)',
  () => {
    let database: TestDatabase;
    const servers: ServerProcess[] = [];

    beforeAll(async () => {
      database = await createTestDatabase();
      servers.push(await startServerProcess(database.env));
      servers.push(await startServerProcess(database.env));
    }, 120_000);

    /** The admin's token, logged in on `server`, and a stream from the head opened there with it. */
    async function adminStreamOn(server: ServerProcess): Promise<{ token: string; stream: SseClient }> {
      const login = await callServer(server, 'POST', '/v1/login', undefined, { user_name: 'admin', password: 'admin' });
      const token = login.body.result.user.uuid as string;
      return { token, stream: await openStream(server, token) };
    }

    afterAll(async () => {
      for (const s of servers) s.child.kill('SIGKILL');
      await Promise.all(servers.map((s) => s.exited));
      await database?.drop();
    });

    it('checks its session again when the process loses its listening connection', async () => {
      // A database of its own, so only this server's listener is cut; heartbeats to tell time by.
      const server = await startTestServer({ env: { CHIME_STREAM_HEARTBEAT: '1' } });
      const token = await login(server, ADMIN.name, ADMIN.password);
      const stream = await openStream(server, token);
      const heartbeats = (n: number) => stream.until(() => stream.comments.length >= n, `${n} heartbeats`);
      try {
        // (The stream checks its session once as it opens; a second later that check is long done.)
        await heartbeats(1);
        // A revocation whose notification this process misses (written behind the server's back)
        // goes unnoticed...
        await server.dataSource.query('UPDATE tokens SET revoked_at = now() WHERE hash = $1', [hashToken(token)]);
        await heartbeats(2);
        expect(stream.messages).toEqual([]);
        // ...is found when the listening connection drops: the process may have missed anything.
        await server.dataSource.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE application_name = 'chime-server-listener' AND datname = current_database() AND pid <> pg_backend_pid()`,
        );
        expect(await stream.ended(END_WITHIN_MS * 5)).toBe('token_revoked');
      } finally {
        // The token was revoked without its event, so the replay check would rightly differ.
        stream.close();
        await server.close({ verify: false });
      }
    }, 60_000);

    it('sends an event committed on process B within a second, woken by its notification (the safety poll is 10 s)', async () => {
      const [a, b] = servers;
      const { token, stream } = await adminStreamOn(a);
      try {
        const created = await callServer(b, 'POST', '/v1/az', token, { name: 'from-b' });
        expect(created.status).toBe(200);
        await stream.until(
          () => stream.events().some((e) => e.metadata.request_id === created.body.requestId),
          'the AzCreated event from process B',
          END_WITHIN_MS,
        );
      } finally {
        stream.close();
      }
    }, 60_000);

    it('ends on process A within a second of the logout on process B', async () => {
      const [a, b] = servers;
      const { token, stream } = await adminStreamOn(a);
      try {
        expect((await callServer(b, 'POST', '/v1/logout', undefined, { token })).status).toBe(200);
        expect(await stream.ended(END_WITHIN_MS)).toBe('token_revoked');
      } finally {
        stream.close();
      }
    }, 60_000);
  },
);
