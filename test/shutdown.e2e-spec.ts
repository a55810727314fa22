import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMA } from '../src/schema';
import { ADMIN } from './support/users';

/**
 * The server as a real process: signals, exit codes, the data directory's lock. It runs from source
 * (test/support/ts-register.js), so no build is needed. Always on the embedded database, whatever
 * DATABASE_URL says: the lock file and the data kept across restarts are the embedded database's.
 */
const ROOT = join(__dirname, '..');
const SHUTDOWN_LIMIT_MS = 5000;

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

interface Process {
  pid: number;
  output(): string;
  exited: Promise<Exit>;
  kill(signal: NodeJS.Signals): void;
}

function run(script: 'src/main.ts' | 'src/migrate.ts', env: Record<string, string>): Process {
  const { DATABASE_URL: _ignored, ...inherited } = process.env;
  const child = spawn(process.execPath, ['--require', './test/support/ts-register.js', script], {
    cwd: ROOT,
    env: { ...inherited, LOG_LEVEL: 'info', HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<Exit>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return { pid: child.pid!, output: () => output, exited, kill: (signal) => child.kill(signal) };
}

/** Waits for the "listening" log line and returns the server's base URL. */
async function listening(server: Process, timeoutMs = 60_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let exit: Exit | undefined;
  void server.exited.then((e) => (exit = e));
  while (Date.now() < deadline && !exit) {
    const port = /listening on [\d.]+:(\d+)/.exec(server.output())?.[1];
    if (port) return `http://127.0.0.1:${port}`;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`the server did not start (${exit ? `exit ${JSON.stringify(exit)}` : 'timed out'}):\n${server.output()}`);
}

/** Sends SIGTERM and waits for the exit, failing if it takes longer than the limit. */
async function terminate(server: Process): Promise<{ exit: Exit; ms: number }> {
  const started = Date.now();
  server.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const exit = await Promise.race([
    server.exited,
    new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no exit ${SHUTDOWN_LIMIT_MS} ms after SIGTERM:\n${server.output()}`)),
        SHUTDOWN_LIMIT_MS,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  return { exit, ms: Date.now() - started };
}

describe('the server process: shutdown, data-directory lock, configuration errors, migrate', () => {
  const dirs: string[] = [];
  const running: Process[] = [];
  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'chime-shutdown-'));
    dirs.push(dir);
    return dir;
  };
  const start = (env: Record<string, string>) => {
    const server = run('src/main.ts', env);
    running.push(server);
    return server;
  };

  afterAll(async () => {
    // A failed test may leave a server behind; it must not outlive the run.
    for (const server of running) server.kill('SIGKILL');
    await Promise.all(running.map((server) => server.exited));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('exits 0 on SIGTERM and frees the lock; a second server on the same directory is refused; a restart keeps the data', async () => {
    const dir = dataDir();
    const lock = join(dir, 'chime.lock');
    const first = start({ CHIME_DATA_DIR: dir });
    const url = await listening(first);
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(first.pid));
    const login = await fetch(`${url}/v1/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ user_name: ADMIN.name, password: ADMIN.password }),
    });
    expect(login.status).toBe(200);
    const token = ((await login.json()) as { result: { user: { uuid: string } } }).result.user.uuid;

    // Two processes on one embedded database would lose writes: the second must not start.
    const second = run('src/main.ts', { CHIME_DATA_DIR: dir });
    const refused = await second.exited;
    expect(refused.code).not.toBe(0);
    expect(second.output()).toContain(`is in use by process ${first.pid}`);
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(first.pid));
    expect((await fetch(`${url}/healthz`)).status).toBe(200);

    const { exit, ms } = await terminate(first);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(ms).toBeLessThan(SHUTDOWN_LIMIT_MS);
    expect(existsSync(lock)).toBe(false);
    // One JSON line per request, flushed by the exit at the latest, under the request's id.
    const lines = first
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        msg: 'request completed',
        reqId: login.headers.get('x-request-id'),
        req: expect.objectContaining({ method: 'POST', url: '/v1/login' }),
        res: { statusCode: 200 },
      }),
    );

    // Started again, it has the same database: the token issued before the restart still works.
    const third = start({ CHIME_DATA_DIR: dir });
    const url3 = await listening(third);
    const auth = await fetch(`${url3}/v1/auth`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token }),
    });
    expect(auth.status).toBe(200);
    expect((await terminate(third)).exit).toEqual({ code: 0, signal: null });
  }, 180_000);

  it('refuses a bad configuration value with a message naming it, and a non-zero exit', async () => {
    const server = start({ CHIME_DATA_DIR: dataDir(), PORT: 'abc' });
    const exit = await server.exited;
    expect(exit.code).not.toBe(0);
    expect(server.output()).toContain('invalid configuration');
    expect(server.output()).toContain('PORT="abc"');
    expect(server.output()).not.toMatch(/\n\s+at /); // a message, not a stack trace
  }, 60_000);

  it('npm run migrate (src/migrate.ts) applies the migrations once and says what it did', async () => {
    const dir = dataDir();
    const names = SCHEMA.migrations.map((migration) => migration.name);

    const first = run('src/migrate.ts', { CHIME_DATA_DIR: dir });
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(first.output()).toContain(`applied ${names.length} migration(s)`);
    for (const name of names) expect(first.output()).toContain(name);

    const again = run('src/migrate.ts', { CHIME_DATA_DIR: dir });
    expect(await again.exited).toEqual({ code: 0, signal: null });
    expect(again.output()).toContain(`up to date (${names.length} migrations)`);
    expect(existsSync(join(dir, 'chime.lock'))).toBe(false);
  }, 120_000);
});
