import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from './cli';
import type { OpenApiDocument } from './command-tree';
import { configPath, readConfig, writeConfig } from './config-file';

const FIXTURE: OpenApiDocument = JSON.parse(readFileSync(join(__dirname, '__fixtures__/openapi.json'), 'utf8'));

/** What the CLI does offline: help, usage errors and "not logged in", from a fixed document. */
describe('chimecli without a server', () => {
  let home: string;
  beforeEach(() => (home = mkdtempSync(join(tmpdir(), 'chimecli-'))));
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  async function cli(argv: string[], openApi: () => OpenApiDocument = () => FIXTURE) {
    let stdout = '';
    let stderr = '';
    const status = await run(argv, {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text) },
      env: { HOME: home },
      openApi,
    });
    return { status, stdout, stderr };
  }

  it('lists the categories and their operations', async () => {
    for (const argv of [[], ['--help'], ['help']]) {
      const { status, stdout } = await cli(argv);
      expect(status).toBe(0);
      expect(stdout).toContain('chimecli login --api-endpoint <host:port> --name <user> --password <password>');
      expect(stdout).toMatch(/^ {2}user {5}listUser, createUser, getUser, updateUserDefault$/m);
      expect(stdout).toMatch(/^ {2}cluster {2}createCluster$/m);
    }
  });

  it("lists a category's operations", async () => {
    expect(await cli(['user', '--help'])).toMatchObject({
      status: 0,
      stdout: expect.stringMatching(/^ {2}getUser +GET +\/v1\/user\/\{UserUuid\}$/m),
    });
    expect(await cli(['user'])).toMatchObject({ status: 2, stderr: expect.stringContaining('Operations of user:') });
  });

  it("shows an operation's flags with their types", async () => {
    const { status, stdout } = await cli(['cluster', 'createCluster', '--help']);
    expect(status).toBe(0);
    expect(stdout).toContain('chimecli cluster createCluster: POST /v1/az/{AzUuid}/cluster');
    expect(stdout).toMatch(/^ {2}--AzUuid +string$/m);
    expect(stdout).toMatch(/^ {2}--createClusterRequest\.Name +string +required; 1 to 64 characters$/m);
    expect(stdout).toMatch(/^ {2}--createClusterRequest\.HypervisorType +string +default "kvm"; field hypervisor_type$/m);
    expect(stdout).toMatch(/^ {2}--createClusterRequest\.Type +integer +one of 0, 1, 2; default 0$/m);
    expect(stdout).toMatch(/^ {2}--Body +json +the whole body/m);
  });

  it.each([
    [['zone', 'listAz'], 'unknown category zone (see chimecli --help)'],
    [['usr', 'listUser'], 'unknown category usr; did you mean user?'],
    [['getUser'], 'getUser is an operation of user: chimecli user getUser'],
    [['user', 'listusers'], 'user has no operation listusers; did you mean listUser?'],
    [['user', 'listUser', 'extra'], 'unexpected argument "extra"'],
    [['user', 'getUser', '--UserUuid', 'u', '--name', 'x'], 'unknown flag --name for user getUser'],
    [['login', '--user', 'admin'], 'unknown flag --user for login'],
    [['login', '--name', 'admin'], 'login needs --api-endpoint, --name and --password'],
  ])('refuses %j with exit status 2', async (argv, message) => {
    const { status, stdout, stderr } = await cli(argv);
    expect({ status, stdout }).toEqual({ status: 2, stdout: '' });
    expect(stderr).toMatch(/^chimecli: /);
    expect(stderr).toContain(message);
  });

  it('says how to log in when not logged in', async () => {
    const { status, stderr } = await cli(['user', 'listUser']);
    expect(status).toBe(1);
    expect(stderr).toBe(
      'chimecli: not logged in; first run: chimecli login --api-endpoint <host:port> --name <user> --password <password>\n',
    );
    expect(await cli(['logout'])).toEqual({ status: 0, stdout: '', stderr: 'not logged in; nothing to do\n' });
  });

  it('says when the server is unreachable, and keeps a token it could not revoke', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(probe.address() as AddressInfo).port}`;
    await new Promise((resolve) => probe.close(resolve));
    const file = configPath({ HOME: home });
    writeConfig(file, { api_endpoint: endpoint, token: 'tok-1' });

    expect(await cli(['user', 'listUser'])).toEqual({
      status: 1,
      stdout: '',
      stderr: `chimecli: cannot reach the ChimeStack API at ${endpoint}: ECONNREFUSED; is the server running, and is the endpoint right?\n`,
    });
    const logout = await cli(['logout']);
    expect(logout).toMatchObject({
      status: 1,
      stderr: `chimecli: logout failed, the token is still in ${file}: cannot reach the ChimeStack API at ${endpoint}: ECONNREFUSED; is the server running, and is the endpoint right?\n`,
    });
    expect(readConfig(file)).toEqual({ api_endpoint: endpoint, token: 'tok-1' });
  });

  it('takes the commands from $CHIMECLI_OPENAPI_FILE when that is set', async () => {
    const file = join(home, 'openapi.json');
    writeFileSync(file, JSON.stringify(FIXTURE));
    const io = (env: Record<string, string>) => {
      const out = { stdout: '', stderr: '' };
      const write = (key: keyof typeof out) => ({ write: (text: string) => (out[key] += text) });
      return { out, io: { stdout: write('stdout'), stderr: write('stderr'), env: { HOME: home, ...env } } };
    };
    const given = io({ CHIMECLI_OPENAPI_FILE: file });
    expect(await run(['cluster', '--help'], given.io)).toBe(0);
    expect(given.out.stdout).toMatch(/^ {2}createCluster +POST +\/v1\/az\/\{AzUuid\}\/cluster/m);
    const missing = io({ CHIMECLI_OPENAPI_FILE: join(home, 'nowhere.json') });
    expect(await run(['user', 'listUser'], missing.io)).toBe(1);
    expect(missing.out.stderr).toBe(
      `chimecli: the command list ${join(home, 'nowhere.json')} is missing; check CHIMECLI_OPENAPI_FILE\n`,
    );
  });

  it('says how to get the command list when the snapshot is missing', async () => {
    const missing = () => {
      throw new Error('the command list /x/openapi.snapshot.json is missing; build it with: npm run build');
    };
    expect(await cli(['user', 'listUser'], missing)).toMatchObject({
      status: 1,
      stderr: expect.stringContaining('build it with: npm run build'),
    });
    expect(await cli(['--help'], missing)).toMatchObject({
      status: 0,
      stdout: expect.stringContaining('(no categories: the command list'),
    });
  });
});
