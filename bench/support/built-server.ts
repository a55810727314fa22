import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADMIN_PASSWORD, DatabaseKind, freshDatabaseEnv, onCleanup, sleep, withTimeout } from './bench-kit';

/**
 * The built server (`node <dist>/src/main.js`, run `npm run build` first) as a child process, as
 * in production, and what the benchmarks read of it from Linux's /proc: CPU time and memory.
 */

/**
 * The Node options the server runs with in production: those of `npm start` (package.json's `start`
 * script, the one place they are written), so that a benchmark measures the server as it is run.
 */
export function serverNodeFlags(): string[] {
  const start: string = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')).scripts.start;
  const words = start.split(/\s+/);
  if (words[0] !== 'node' || words.at(-1) !== 'dist/src/main.js') throw new Error(`unexpected start script: ${start}`);
  return words.slice(1, -1);
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_S = 100;

/** utime + stime of a process, in seconds. */
export function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces: count the fields after its closing parenthesis.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_S; // fields 14 and 15 of the line
}

export function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/**
 * Starts `node [nodeArgs] <dist>/src/main.js` with `npm start`'s options on a fresh database (`env`
 * adds settings, e.g. `--cpu-prof` in `nodeArgs`); resolves with its pid and URL once it listens.
 */
export async function startBuilt(
  dist: string,
  kind: DatabaseKind,
  env: Record<string, string> = {},
  nodeArgs: string[] = [],
): Promise<{ pid: number; url: string; env: Record<string, string>; stop(): Promise<void> }> {
  const main = join(dist, 'src', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} does not exist: run \`npm run build\` first`);
  const database = await freshDatabaseEnv(kind);
  const child = spawn(process.execPath, [...nodeArgs, ...serverNodeFlags(), main], {
    cwd: join(dist, '..'),
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      CHIME_ADMIN_PASSWORD: ADMIN_PASSWORD,
      ...database,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output = (output + chunk).slice(-20_000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withTimeout(exited, 20_000, 'stopping the server').catch(() => child.kill('SIGKILL'));
  };
  onCleanup(stop);
  const started = Date.now();
  for (;;) {
    const match = /listening on [\d.]+:(\d+)/.exec(output);
    if (match) return { pid: child.pid!, url: `http://127.0.0.1:${match[1]}`, env: database, stop };
    if (child.exitCode !== null) throw new Error(`the server exited before listening:\n${output}`);
    if (Date.now() - started > 90_000) throw new Error(`the server did not listen within 90 s:\n${output}`);
    await sleep(100);
  }
}
