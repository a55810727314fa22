import { randomUUID } from 'node:crypto';
import { startServerProcess, ServerProcess } from './support/server-process';

/**
 * The server as its own process with LOG_FORMAT=json and =pretty (its stdout is a pipe, so `auto`
 * would be JSON): a request's line in each format, the query's token replaced, a login's password
 * nowhere; and a bad LOG_FORMAT stops the server with a message naming it.
 */
const ADMIN_PASSWORD = 'logfmt-Secret-pw-1';

async function requestAndLogin(server: ServerProcess): Promise<string> {
  const id = randomUUID();
  const res = await fetch(`${server.url}/v1/az?token=q-secret`, { headers: { 'X-Request-Id': id } });
  expect(res.status).toBe(401);
  const login = await fetch(`${server.url}/v1/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ user_name: 'admin', password: ADMIN_PASSWORD }),
  });
  expect(login.status).toBe(200);
  return id;
}

/** Lines go out through an asynchronous destination: wait until the one wanted is there. */
async function lineMatching(server: ServerProcess, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const line = server
      .output()
      .split('\n')
      .find((l) => pattern.test(l));
    if (line !== undefined) return line;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no line matching ${String(pattern)} in:\n${server.output()}`);
}

async function stop(server: ServerProcess | undefined): Promise<void> {
  server?.child.kill('SIGTERM');
  await server?.exited;
}

describe('log format of the server process', () => {
  let server: ServerProcess | undefined;
  afterEach(() => stop(server));

  it('LOG_FORMAT=json: JSON lines only, the request line with its id, method, path and status', async () => {
    server = await startServerProcess({ CHIME_DATA_DIR: 'memory://', LOG_FORMAT: 'json', CHIME_ADMIN_PASSWORD: ADMIN_PASSWORD });
    const id = await requestAndLogin(server);
    const line = JSON.parse(await lineMatching(server, new RegExp(`"reqId":"${id}".*"request completed"`))) as Record<
      string,
      unknown
    >;
    expect(line).toEqual(
      expect.objectContaining({
        level: 30,
        reqId: id,
        msg: 'request completed',
        req: expect.objectContaining({ method: 'GET', url: '/v1/az?token=***' }),
        res: { statusCode: 401 },
        responseTime: expect.any(Number),
      }),
    );
    await stop(server);
    const lines = server
      .output()
      .split('\n')
      .filter((l) => l !== '');
    for (const l of lines) expect(() => JSON.parse(l) as unknown).not.toThrow();
    expect(server.output()).not.toContain(ADMIN_PASSWORD);
    expect(server.output()).not.toContain('q-secret');
  }, 90_000);

  it('LOG_FORMAT=pretty: readable lines, the request line as time, level, id, message, method, path, status, duration', async () => {
    server = await startServerProcess({
      CHIME_DATA_DIR: 'memory://',
      LOG_FORMAT: 'pretty',
      CHIME_ADMIN_PASSWORD: ADMIN_PASSWORD,
    });
    const id = await requestAndLogin(server);
    await lineMatching(
      server,
      new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  ${id} request completed GET /v1/az\\?token=\\*\\*\\* 401 \\d+ms$`),
    );
    await lineMatching(server, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}main: chime-server listening on 127\.0\.0\.1:\d+ /);
    await stop(server);
    expect(server.output()).not.toMatch(/^\{/m);
    expect(server.output()).not.toContain('\x1b['); // not a terminal: no colours
    expect(server.output()).not.toContain(ADMIN_PASSWORD);
    expect(server.output()).not.toContain('q-secret');
  }, 90_000);

  it('a bad LOG_FORMAT stops the server with a message naming it', async () => {
    server = undefined;
    await expect(startServerProcess({ CHIME_DATA_DIR: 'memory://', LOG_FORMAT: 'colour' })).rejects.toThrow(
      /exited \(2\)[\s\S]*LOG_FORMAT="colour": LOG_FORMAT must be one of the following values: auto, json, pretty/,
    );
  }, 90_000);
});
