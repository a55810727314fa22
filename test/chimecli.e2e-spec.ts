import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual, promisify } from 'node:util';
import { run } from '../apps/chimecli/src/cli';
import type { OpenApiDocument } from '../apps/chimecli/src/command-tree';
import { SNAPSHOT_FILE } from '../apps/chimecli/src/openapi-snapshot';
import { buildOpenApiSnapshot } from '../apps/chimecli/tools/write-openapi-snapshot';
import { type AzView, type ClusterView, type ListResult, type OperationLogView, State, type UserView } from '@chime/contracts';
import { UUID } from './support/envelope';
import { eventually } from './support/eventually';
import { startTestServer, TestServer } from './support/test-server';
import { ADMIN, login } from './support/users';

const ROOT = join(__dirname, '..');
const BUILT_CLI = join(ROOT, 'dist/apps/chimecli/src/main.js');
/** The CLI as a process straight from its TypeScript, like the server in server-process.ts: no build needed. */
const CLI_FROM_SOURCE = [
  process.execPath,
  '--require',
  join(ROOT, 'test/support/ts-register.js'),
  join(ROOT, 'apps/chimecli/src/main.ts'),
];
/** The operation log is filled by a consumer, shortly after the request: how long a test waits for an entry. */
const OPERATION_LOG_WAIT_MS = 10_000;
/** A test that starts some twenty CLI processes; generous, for a busy machine. */
const SUBPROCESS_TEST_MS = 180_000;

interface CliRun {
  status: number;
  stdout: string;
  stderr: string;
}

/**
 * chimecli against the real server (API.md §8), with the server's live OpenAPI document, a HOME of
 * its own per terminal, and real HTTP. The issue's flow and the examples of API.md §8 run chimecli
 * as a subprocess (from its TypeScript, no build needed); the other cases run it in this process
 * through run(), which is quicker and shows the same behaviour.
 */
describe('chimecli', () => {
  let server: TestServer;
  let document: OpenApiDocument;
  let endpoint: string;
  const homes: string[] = [];

  /** A folder with the served OpenAPI document and a `chimecli` command on PATH for the subprocesses. */
  let tools: string;

  beforeAll(async () => {
    server = await startTestServer();
    document = (await server.http.get('/v1/openapi.json')).body;
    endpoint = server.url.replace(/^http:\/\//, ''); // as people type it: 127.0.0.1:port
    tools = mkdtempSync(join(tmpdir(), 'chimecli-tools-'));
    homes.push(tools);
    writeFileSync(join(tools, 'openapi.json'), JSON.stringify(document));
    mkdirSync(join(tools, 'bin'));
    const quote = (text: string) => `'${text.replace(/'/g, `'\\''`)}'`;
    writeFileSync(join(tools, 'bin/chimecli'), `#!/bin/sh\nexec ${CLI_FROM_SOURCE.map(quote).join(' ')} "$@"\n`);
    chmodSync(join(tools, 'bin/chimecli'), 0o755);
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

  /**
   * A person at a real terminal: every command is its own `chimecli` process with a HOME of its own,
   * the commands taken from the served document (CHIMECLI_OPENAPI_FILE). `cli` takes argv as given;
   * `sh` takes a command line as typed, quotes and all. Asynchronous: the server answers from this process.
   */
  function processTerminal() {
    const home = mkdtempSync(join(tmpdir(), 'chimecli-home-'));
    homes.push(home);
    const env = {
      PATH: `${join(tools, 'bin')}:${process.env.PATH ?? ''}`,
      HOME: home,
      CHIMECLI_OPENAPI_FILE: join(tools, 'openapi.json'),
    };
    const exec = async (file: string, args: string[]): Promise<CliRun> => {
      try {
        const { stdout, stderr } = await promisify(execFile)(file, args, { env, timeout: 60_000 });
        return { status: 0, stdout, stderr };
      } catch (error) {
        const { code, stdout, stderr } = error as { code?: unknown; stdout?: string; stderr?: string };
        if (typeof code !== 'number') throw error; // not an exit status: the process did not run or was killed
        return { status: code, stdout: stdout ?? '', stderr: stderr ?? '' };
      }
    };
    const cli = (...argv: string[]) => exec(CLI_FROM_SOURCE[0], [...CLI_FROM_SOURCE.slice(1), ...argv]);
    const sh = (line: string) => exec('/bin/sh', ['-c', line]);
    /** The success envelope of a run that must succeed. */
    const envelope = <T>(what: unknown, out: CliRun): { requestId: string; result: T } => {
      expect({ what, status: out.status, stderr: out.stderr }).toEqual({ what, status: 0, stderr: '' });
      const parsed = JSON.parse(out.stdout);
      expect(parsed.requestId).toMatch(UUID);
      return parsed;
    };
    return {
      home,
      cli,
      sh,
      /** Runs argv, which must succeed; returns the envelope. */
      send: async <T = unknown>(...argv: string[]) => envelope<T>(argv, await cli(...argv)),
      /** Runs a command line, which must succeed; returns the envelope's result. */
      shOk: async <T = unknown>(line: string) => envelope<T>(line, await sh(line)).result,
      configFile: join(home, '.config/chimecli/config.yaml'),
    };
  }

  it(
    "drives the issue's flow as a subprocess: login, createAz, listAz, createCluster, getCluster, disableCluster, listOperationLog, logout, refused",
    async () => {
      const t = processTerminal();
      const signIn = await t.send<{ user: { uuid: string } }>(
        'login',
        '--api-endpoint',
        endpoint,
        '--name',
        ADMIN.name,
        '--password',
        ADMIN.password,
      );
      const token = signIn.result.user.uuid;
      expect(readFileSync(t.configFile, 'utf8')).toContain(`api_endpoint: ${server.url}\ntoken: ${token}\n`);
      expect(statSync(t.configFile).mode & 0o777).toBe(0o600);

      const createAz = await t.send<{ az: AzView }>(
        'az',
        'createAz',
        '--createAzRequest.Name',
        'cli-flow-az',
        '--createAzRequest.Description',
        'made by chimecli',
      );
      const { az } = createAz.result;
      expect(az).toEqual({
        uuid: expect.stringMatching(UUID),
        name: 'cli-flow-az',
        description: 'made by chimecli',
        parent: '',
        state: State.Enabled,
        created_at: expect.stringMatching(/Z$/),
      });

      const listed = await t.send<ListResult<AzView>>('az', 'listAz');
      expect(listed.result.elements).toContainEqual(az);
      const table = await t.cli('az', 'listAz', '-o', 'table');
      expect(table).toMatchObject({ status: 0, stderr: '' });
      expect(table.stdout.split('\n')[0]).toMatch(/^uuid +name +description +parent +state +created_at$/);
      // parent is empty, so two column gaps run together between the description and the state.
      expect(table.stdout).toMatch(
        new RegExp(`^${az.uuid} +cli-flow-az +made by chimecli +1 +${escapeRegExp(az.created_at)}$`, 'm'),
      );

      const createCluster = await t.send<{ cluster: ClusterView }>(
        'cluster',
        'createCluster',
        '--AzUuid',
        az.uuid,
        '--createClusterRequest.Name',
        'c1',
        '--createClusterRequest.Type',
        '1',
        '--createClusterRequest.HypervisorType',
        'kvm',
      );
      const { cluster } = createCluster.result;
      expect(cluster).toEqual({
        uuid: expect.stringMatching(UUID),
        name: 'c1',
        description: '',
        arch: 'x86_64',
        hypervisor_type: 'kvm',
        type: 1,
        state: State.Enabled,
        az_uuid: az.uuid,
        az_name: 'cli-flow-az',
        created_at: expect.stringMatching(/Z$/),
      });
      const clusterFlags = ['--AzUuid', az.uuid, '--ClusterUuid', cluster.uuid];
      expect((await t.send('cluster', 'getCluster', ...clusterFlags)).result).toEqual({ cluster });
      expect((await t.send('cluster', 'disableCluster', ...clusterFlags)).result).toEqual({ cluster: 'ok' });
      expect((await t.send('cluster', 'getCluster', ...clusterFlags)).result).toEqual({
        cluster: { ...cluster, state: State.Disabled },
      });

      // The operation log is written by a consumer of the event log, so the entries appear shortly after.
      const byRequest = (entries: OperationLogView[], requestId: string) => entries.find((e) => e.request_id === requestId);
      const { elements: posts } = await eventually(
        async () => (await t.send<ListResult<OperationLogView>>('operation_log', 'listOperationLog', '--method', 'POST')).result,
        ({ elements }) => [createAz, createCluster].every(({ requestId }) => byRequest(elements, requestId)),
        OPERATION_LOG_WAIT_MS,
      );
      expect(posts.map((e) => e.method)).toEqual(posts.map(() => 'POST'));
      const azEntry = byRequest(posts, createAz.requestId)!;
      expect(azEntry).toEqual({
        id: expect.any(Number),
        created_at: expect.stringMatching(/Z$/),
        method: 'POST',
        path: '/v1/az',
        input: '{"name":"cli-flow-az","description":"made by chimecli"}',
        ip: expect.stringMatching(/127\.0\.0\.1/),
        user_uuid: expect.stringMatching(UUID),
        user_name: 'admin',
        request_id: createAz.requestId,
        outcome: 'success',
      });
      expect(byRequest(posts, createCluster.requestId)).toMatchObject({
        path: `/v1/az/${az.uuid}/cluster`,
        input: '{"name":"c1","type":1,"hypervisor_type":"kvm"}',
        user_name: 'admin',
        outcome: 'success',
      });
      const one = await t.send('operation_log', 'getOperationLog', '--id', String(azEntry.id));
      expect(one.result).toEqual({ operation_log: azEntry });

      expect((await t.send('logout')).result).toBe('ok');
      expect(readFileSync(t.configFile, 'utf8')).not.toContain(token);
      const after = await t.cli('az', 'listAz');
      expect(after).toEqual({
        status: 1,
        stdout: '',
        stderr:
          'chimecli: not logged in; first run: chimecli login --api-endpoint <host:port> --name <user> --password <password>\n',
      });
      // The token is dead on the server too, not just forgotten.
      expect((await server.http.get('/v1/az').set('Authorization', `Bearer ${token}`)).status).toBe(401);
    },
    SUBPROCESS_TEST_MS,
  );

  it(
    'runs the examples of API.md §8 as typed in a shell',
    async () => {
      const t = processTerminal();
      // Only the endpoint differs from API.md: the test server's, not 127.0.0.1:8801.
      await t.shOk(`chimecli login --api-endpoint ${endpoint} --name admin --password admin`);
      expect(await t.shOk('chimecli az listAz --name foo --page 1')).toEqual({ elements: [], size: 0, total: 0 });
      const { az } = await t.shOk<{ az: AzView }>(
        "chimecli az createAz --createAzRequest.Name test-az --createAzRequest.Description 'an Az'",
      );
      expect(az).toMatchObject({ name: 'test-az', description: 'an Az', state: State.Enabled });
      const { cluster } = await t.shOk<{ cluster: ClusterView }>(
        `chimecli cluster createCluster --AzUuid ${az.uuid} --createClusterRequest.Name c1 --createClusterRequest.Type 1`,
      );
      expect(cluster).toMatchObject({ name: 'c1', type: 1, hypervisor_type: 'kvm', az_uuid: az.uuid, state: State.Enabled });
      expect(await t.shOk(`chimecli cluster getCluster --AzUuid ${az.uuid} --ClusterUuid ${cluster.uuid}`)).toEqual({ cluster });
      const users = await t.shOk<ListResult<UserView>>('chimecli user listUser');
      expect(users.elements).toContainEqual(expect.objectContaining({ name: 'admin' }));

      const posts = await eventually(
        () => t.shOk<ListResult<OperationLogView>>('chimecli operation_log listOperationLog --method POST'),
        ({ elements }) => elements.some((e) => e.path === `/v1/az/${az.uuid}/cluster`),
        OPERATION_LOG_WAIT_MS,
      );
      expect(posts.elements.map((e) => e.method)).toEqual(posts.elements.map(() => 'POST'));
      expect(posts.elements).toContainEqual(
        expect.objectContaining({ path: '/v1/az', input: '{"name":"test-az","description":"an Az"}' }),
      );

      // Entry 7 needs seven requests that changed something; this test alone made three, so four more.
      for (const n of [1, 2, 3, 4]) {
        await t.shOk(`chimecli az updateAz --AzUuid ${az.uuid} --updateAzRequest.Description 'an Az, edit ${n}'`);
      }
      const first7 = await eventually(
        () => t.shOk<ListResult<OperationLogView>>('chimecli operation_log listOperationLog --sort id --order asc --size 7'),
        ({ elements }) => elements.length === 7,
        OPERATION_LOG_WAIT_MS,
      );
      expect(await t.shOk('chimecli operation_log getOperationLog --id 7')).toEqual({ operation_log: first7.elements[6] });
      expect(first7.elements[6].id).toBe(7);
      await t.shOk('chimecli logout');
    },
    SUBPROCESS_TEST_MS,
  );

  it('manages users by flags and by --Body, and refuses after logout', async () => {
    const t = terminal();
    const signIn = await t.cli('login', '--api-endpoint', endpoint, '--name', ADMIN.name, '--password', ADMIN.password);
    expect(signIn.status).toBe(0);
    const token = JSON.parse(signIn.stdout).result.user.uuid;

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

    expect(await t.ok('logout')).toBe('ok');
    expect(readFileSync(t.configFile, 'utf8')).not.toContain(token);
    const after = await t.cli('user', 'listUser');
    expect(after).toEqual({ status: 1, stdout: '', stderr: expect.stringContaining('chimecli: not logged in') });
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

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
