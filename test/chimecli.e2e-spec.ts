import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { run } from '../apps/chimecli/src/cli';
import type { OpenApiDocument } from '../apps/chimecli/src/command-tree';
import { SNAPSHOT_FILE } from '../apps/chimecli/src/openapi-snapshot';
import { buildOpenApiSnapshot } from '../apps/chimecli/tools/write-openapi-snapshot';
import type { UserView } from '@chime/contracts';
import { UUID } from './support/envelope';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, login } from './support/users';

const ROOT = join(__dirname, '..');
const BUILT_CLI = join(ROOT, 'dist/apps/chimecli/src/main.js');

/**
 * chimecli against the real server (API.md §8). The CLI runs in this process through run(), with
 * the server's live OpenAPI document, a HOME of its own per terminal, and real HTTP.
 */
describe('chimecli', () => {
  let server: TestServer;
  let document: OpenApiDocument;
  let endpoint: string;
  const homes: string[] = [];

  beforeAll(async () => {
    server = await startTestServer();
    document = (await server.http.get('/v1/openapi.json')).body;
    endpoint = server.url.replace(/^http:\/\//, ''); // as people type it: 127.0.0.1:port
  });
  afterAll(async () => {
    await server?.close();
    for (const home of homes) rmSync(home, { recursive: true, force: true });
  });

  /** A person at a terminal: a HOME (so a config file) of their own. */
  function terminal(env: Record<string, string> = {}) {
    const home = mkdtempSync(join(tmpdir(), 'chimecli-home-'));
    homes.push(home);
    const cli = async (...argv: string[]) => {
      let stdout = '';
      let stderr = '';
      const io = { stdout: { write: (t: string) => (stdout += t) }, stderr: { write: (t: string) => (stderr += t) } };
      const status = await run(argv, { ...io, env: { HOME: home, ...env }, openApi: () => document });
      return { status, stdout, stderr };
    };
    /** Runs a command that must succeed and returns the envelope's result. */
    const ok = async <T = unknown>(...argv: string[]): Promise<T> => {
      const out = await cli(...argv);
      expect({ argv, status: out.status, stderr: out.stderr }).toEqual({ argv, status: 0, stderr: '' });
      const envelope = JSON.parse(out.stdout);
      expect(envelope.requestId).toMatch(UUID);
      return envelope.result as T;
    };
    return { home, cli, ok, configFile: join(env.XDG_CONFIG_HOME ?? join(home, '.config'), 'chimecli/config.yaml') };
  }

  it('drives a session: login, users by flags and by --Body, logout, and then refuses', async () => {
    const t = terminal();
    const signIn = await t.cli('login', '--api-endpoint', endpoint, '--name', ADMIN.name, '--password', ADMIN.password);
    expect(signIn.status).toBe(0);
    const token = JSON.parse(signIn.stdout).result.user.uuid;
    expect(readFileSync(t.configFile, 'utf8')).toContain(`api_endpoint: ${server.url}\ntoken: ${token}\n`);
    expect(statSync(t.configFile).mode & 0o777).toBe(0o600);

    const users = await t.ok('user', 'listUser');
    expect(users).toMatchObject({ elements: [expect.objectContaining({ name: 'admin' })], size: 1, total: 1 });
    const table = await t.cli('user', 'listUser', '-o', 'table');
    expect(table.status).toBe(0);
    expect(table.stdout.split('\n')[0]).toMatch(/^uuid +name +nick_name +avatar +role +created_at$/);
    expect(table.stdout).toMatch(/^[0-9a-f-]{36} +admin +Super administrator +3 +\S+Z$/m);

    const { user: ann } = await t.ok<{ user: UserView }>(
      'user',
      'createUser',
      '--createUserRequest.Name',
      'ann',
      '--createUserRequest.NickName',
      'Ann',
      '--createUserRequest.Password',
      'pw-ann-123',
      '--createUserRequest.Role',
      '1',
    );
    expect(ann).toMatchObject({ name: 'ann', nick_name: 'Ann', role: 1 });
    const { user: bob } = await t.ok<{ user: UserView }>(
      'user',
      'createUser',
      '--Body',
      '{"name":"bob","nick_name":"Bob","password":"pw-bob-123"}',
    );
    expect(bob).toMatchObject({ name: 'bob', role: 0 });
    expect(await t.ok('user', 'getUser', '--UserUuid', ann.uuid)).toEqual({ user: ann });
    expect(await t.ok('user', 'listUser', '--name', 'b', '--sort', 'name', '--order', 'asc')).toMatchObject({
      elements: [{ name: 'bob' }],
      total: 1,
    });
    expect(await t.ok('user', 'updateUser', '--UserUuid', bob.uuid, '--updateUserRequest.NickName', 'Bobby')).toEqual({
      user: 'ok',
    });
    // Further resources join this flow the same way: one `t.ok(category, operation, ...flags)` per step.

    expect(await t.ok('logout')).toBe('ok');
    expect(readFileSync(t.configFile, 'utf8')).not.toContain(token);
    const after = await t.cli('user', 'listUser');
    expect(after).toEqual({ status: 1, stdout: '', stderr: expect.stringContaining('chimecli: not logged in') });
    // The token is dead on the server too, not just forgotten.
    expect((await server.http.get('/v1/user').set('Authorization', `Bearer ${token}`)).status).toBe(401);
  });

  it('prints the failure envelope and says what went wrong, with a non-zero exit status', async () => {
    const t = terminal();
    await t.ok('login', '--api-endpoint', endpoint, '--name', ADMIN.name, '--password', ADMIN.password);
    const missing = await t.cli('user', 'getUser', '--UserUuid', '00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(1);
    expect(JSON.parse(missing.stdout)).toEqual({
      requestId: expect.stringMatching(UUID),
      error: { code: 404, status: 'NOT_FOUND', message: expect.any(String) },
    });
    expect(missing.stderr).toMatch(/^chimecli: .+ \(NOT_FOUND, HTTP 404, request [0-9a-f-]{36}\)\n$/);

    const invalid = await t.cli('user', 'createUser', '--createUserRequest.Name', 'x');
    expect(invalid.status).toBe(1);
    expect(invalid.stderr).toContain('INVALID_ARGUMENT');
  });

  it('says when the stored token was revoked or has expired', async () => {
    const t = terminal();
    await t.ok('login', '--api-endpoint', endpoint, '--name', ADMIN.name, '--password', ADMIN.password);
    const token = readFileSync(t.configFile, 'utf8').match(/token: (\S+)/)![1];
    await server.http.post('/v1/logout').send({ token }); // revoked elsewhere, e.g. by another terminal
    const refused = await t.cli('user', 'listUser');
    expect(refused.status).toBe(1);
    expect(refused.stderr).toBe(
      `chimecli: the server refused the stored token: the token is not valid: unknown, expired or revoked; log in again: chimecli login --api-endpoint ${server.url} --name admin --password <password>\n`,
    );
  });

  it('says when the login is wrong', async () => {
    const wrong = await terminal().cli('login', '--api-endpoint', endpoint, '--name', 'admin', '--password', 'not-the-password');
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^chimecli: login failed: .+ \(UNAUTHENTICATED, HTTP 401, request [0-9a-f-]{36}\)\n$/);
  });

  it('says when the server cannot be reached', async () => {
    const port = await closedPort();
    const t = terminal();
    const down = await t.cli('login', '--api-endpoint', `127.0.0.1:${port}`, '--name', 'admin', '--password', 'admin');
    expect(down).toEqual({
      status: 1,
      stdout: '',
      stderr: `chimecli: cannot reach the ChimeStack API at http://127.0.0.1:${port}: ECONNREFUSED; is the server running, and is the endpoint right?\n`,
    });
    expect(existsSync(t.configFile)).toBe(false);
  });

  it('keeps its session under $XDG_CONFIG_HOME when that is set', async () => {
    const xdg = mkdtempSync(join(tmpdir(), 'chimecli-xdg-'));
    homes.push(xdg);
    const t = terminal({ XDG_CONFIG_HOME: xdg });
    await t.ok('login', '--api-endpoint', endpoint, '--name', ADMIN.name, '--password', ADMIN.password);
    expect(t.configFile).toBe(join(xdg, 'chimecli/config.yaml'));
    expect(statSync(join(xdg, 'chimecli')).mode & 0o777).toBe(0o700);
    expect(existsSync(join(t.home, '.config'))).toBe(false);
    expect(await t.ok('user', 'auth', '--authRequest.Token', await login(server, ADMIN.name, ADMIN.password))).toMatchObject({
      user: { name: 'admin' },
    });
  });

  it('builds, without a database, the same OpenAPI document that the server serves', async () => {
    expect(await buildOpenApiSnapshot()).toEqual(document);
    if (existsSync(SNAPSHOT_FILE)) {
      // The snapshot left by the last build goes stale when the API changes; `npm run build` refreshes it.
      const fresh = isDeepStrictEqual(JSON.parse(readFileSync(SNAPSHOT_FILE, 'utf8')), document);
      expect(fresh ? 'up to date' : `${SNAPSHOT_FILE} is stale: run npm run build`).toBe('up to date');
    }
  });

  // The installed bin, as a subprocess: only when a build exists (npm run build), since tests build nothing.
  const built = existsSync(BUILT_CLI) && existsSync(join(ROOT, 'dist/apps/chimecli/openapi.snapshot.json'));
  (built ? it : it.skip)('works as the built bin in a subprocess', async () => {
    const home = mkdtempSync(join(tmpdir(), 'chimecli-home-'));
    homes.push(home);
    // Asynchronous on purpose: the server answers from this very process.
    const chimecli = (...argv: string[]) =>
      promisify(execFile)(process.execPath, [BUILT_CLI, ...argv], { env: { PATH: process.env.PATH, HOME: home } });
    await chimecli('login', '--api-endpoint', endpoint, '--name', ADMIN.name, '--password', ADMIN.password);
    const listed = await chimecli('user', 'listUser', '-o', 'table');
    expect(listed.stdout).toMatch(/^uuid +name/);
    expect((await chimecli('cluster', 'createCluster', '--help')).stdout).toContain('--createClusterRequest.HypervisorType');
    await chimecli('logout');
    await expect(chimecli('user', 'listUser')).rejects.toMatchObject({
      code: 1,
      stderr: expect.stringContaining('not logged in'),
    });
  });
});

/** A local port that nothing listens on. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise((resolve) => probe.close(resolve));
  return port;
}
