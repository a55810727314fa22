import { connect, type Socket } from 'node:net';
import { AppConfig } from '../src/platform/config/app-config';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, bearer, login } from './support/users';

/**
 * Slow clients are cut by the HTTP server's own bounds (HTTP_HEADERS_TIMEOUT_MS,
 * HTTP_REQUEST_TIMEOUT_MS), through raw sockets that send as slowly as an attacker would. The
 * bounds are short here; each slow client would need far longer than the bound to finish.
 */
const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
/** Node checks for expired connections once a second; the rest is a generous margin for a loaded machine. */
const CUT_WITHIN_MS = REQUEST_TIMEOUT_MS + 5000;

/** A raw connection to the server that records what it receives and when it closes. */
class RawClient {
  received = '';
  readonly closed: Promise<number>;
  private readonly startedAt = Date.now();

  private constructor(readonly socket: Socket) {
    socket.setEncoding('utf8').on('data', (chunk: string) => (this.received += chunk));
    socket.on('error', () => undefined); // a reset by the server is one way of being cut
    this.closed = new Promise((resolve) => socket.on('close', () => resolve(Date.now() - this.startedAt)));
  }

  static open(url: string): Promise<RawClient> {
    const { hostname, port } = new URL(url);
    return new Promise((resolve, reject) => {
      const socket = connect(Number(port), hostname, () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Milliseconds from opening to closing, or Infinity if still open after `boundMs` from now. */
  closedWithin(boundMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<number>((resolve) => (timer = setTimeout(() => resolve(Infinity), boundMs)));
    return Promise.race([this.closed, bound]).finally(() => clearTimeout(timer));
  }

  /** Writes `text` one byte per `everyMs`, until it is all sent or the connection is gone. */
  trickle(text: string, everyMs: number): void {
    let sent = 0;
    const timer = setInterval(() => {
      if (sent >= text.length || this.socket.destroyed) return clearInterval(timer);
      this.socket.write(text[sent++]);
    }, everyMs);
    void this.closed.then(() => clearInterval(timer));
  }

  /** Resolves with everything received once `pattern` appears in it. */
  async waitFor(pattern: RegExp): Promise<string> {
    return eventually(
      async () => this.received,
      (text) => pattern.test(text),
      10_000,
    );
  }
}

/** The server may answer a cut request with a 408 status line (or an envelope, once it has one); it may also just close. */
function expectCutAnswer(received: string): void {
  if (received !== '') expect(received).toMatch(/^HTTP\/1\.1 408 /);
}

describe('HTTP server timeouts: slow clients are cut, normal ones and event streams are not', () => {
  let server: TestServer;
  const clients: RawClient[] = [];
  const open = async () => {
    const client = await RawClient.open(server.url);
    clients.push(client);
    return client;
  };

  beforeAll(async () => {
    server = await startTestServer({
      env: { HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS), HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) },
    });
  });

  afterAll(async () => {
    for (const client of clients) client.socket.destroy();
    await server?.close();
  });

  it('cuts a client that sends its headers byte by byte', async () => {
    const client = await open();
    // 100 bytes, one every 100 ms: 10 s to send, far past the headers timeout.
    client.trickle(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ${'a'.repeat(70)}\r\n\r\n`, 100);
    const closedAfterMs = await client.closedWithin(CUT_WITHIN_MS);
    expect(closedAfterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(CUT_WITHIN_MS);
    expectCutAnswer(client.received);
  });

  it('cuts a client that sends its body byte by byte', async () => {
    const client = await open();
    const body = JSON.stringify({ user_name: ADMIN.name, password: 'x'.repeat(100) });
    client.socket.write(
      `POST /v1/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`,
    );
    // The headers came at once; the body, one byte every 100 ms, would take over 12 s.
    client.trickle(body, 100);
    const closedAfterMs = await client.closedWithin(CUT_WITHIN_MS);
    expect(closedAfterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 50);
    expect(closedAfterMs).toBeLessThan(CUT_WITHIN_MS);
    expectCutAnswer(client.received);
  });

  it('keeps a normal keep-alive connection open across requests, idle longer than the headers timeout', async () => {
    const client = await open();
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    await client.waitFor(/^HTTP\/1\.1 200 [^]*\{"status":"ok"\}/);
    // Idle past the headers timeout (but within Node's 5 s keep-alive), then a second request on it.
    await new Promise((resolve) => setTimeout(resolve, HEADERS_TIMEOUT_MS + 1000));
    expect(client.socket.destroyed).toBe(false);
    client.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
    const both = await client.waitFor(/\{"status":"ok"\}[^]*HTTP\/1\.1 200 [^]*\{"status":"ok"\}/);
    expect(both.match(/HTTP\/1\.1 200 /g)).toHaveLength(2);
  });

  it('keeps an event stream open longer than the request timeout, and it still delivers', async () => {
    const token = await login(server, ADMIN.name, ADMIN.password);
    const client = await open();
    client.socket.write(
      `GET /v1/event/stream HTTP/1.1\r\nHost: x\r\nAccept: text/event-stream\r\nAuthorization: Bearer ${token}\r\n\r\n`,
    );
    await client.waitFor(/^HTTP\/1\.1 200 [^]*text\/event-stream/);
    await new Promise((resolve) => setTimeout(resolve, REQUEST_TIMEOUT_MS + 2000));
    expect(client.socket.destroyed).toBe(false);
    // Still live: an event committed now reaches the stream.
    const name = `after-timeout-${Date.now()}`;
    expect((await server.http.post('/v1/az').set(bearer(token)).send({ name })).status).toBe(200);
    await client.waitFor(new RegExp(`"type":"AzCreated"[^\\n]*"${name}"`));
  });
});

describe('HTTP and database timeout settings are checked at start', () => {
  it.each([
    [{ HTTP_HEADERS_TIMEOUT_MS: '50' }, 'HTTP_HEADERS_TIMEOUT_MS=50: HTTP_HEADERS_TIMEOUT_MS must not be less than 100'],
    [{ HTTP_REQUEST_TIMEOUT_MS: 'soon' }, 'HTTP_REQUEST_TIMEOUT_MS="soon"'],
    [
      { HTTP_HEADERS_TIMEOUT_MS: '8000', HTTP_REQUEST_TIMEOUT_MS: '4000' },
      'HTTP_REQUEST_TIMEOUT_MS=4000: HTTP_REQUEST_TIMEOUT_MS must be at least HTTP_HEADERS_TIMEOUT_MS',
    ],
    [
      { DATABASE_STATEMENT_TIMEOUT_MS: '0' },
      'DATABASE_STATEMENT_TIMEOUT_MS=0: DATABASE_STATEMENT_TIMEOUT_MS must not be less than 100',
    ],
    [{ DATABASE_ACQUIRE_TIMEOUT_MS: '1.5' }, 'DATABASE_ACQUIRE_TIMEOUT_MS="1.5"'],
  ])('refuses %j', (env, message) => {
    expect(() => AppConfig.fromEnvironment(env)).toThrow(message);
  });

  it('has documented defaults: statement 10 s, acquisition 5 s, headers 5 s, whole request 10 s', () => {
    expect(AppConfig.fromEnvironment({})).toMatchObject({
      DATABASE_STATEMENT_TIMEOUT_MS: 10_000,
      DATABASE_ACQUIRE_TIMEOUT_MS: 5000,
      HTTP_HEADERS_TIMEOUT_MS: 5000,
      HTTP_REQUEST_TIMEOUT_MS: 10_000,
    });
  });
});
