/**
 * Helper processes of the benchmarks (the baseline and floor apps of bench:http and bench:compare):
 * started from the repository root, ready once a path answers 200, killed at clean-up.
 */
import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { resolve } from 'node:path';
import { onCleanup, request, sleep, withTimeout } from './bench-kit';

const ROOT = resolve(__dirname, '..', '..');

/** A TCP port free on 127.0.0.1 right now. */
export const freePort = () =>
  new Promise<number>((done, reject) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => done(port));
    });
    probe.on('error', reject);
  });

/** Starts a process and resolves once `readyPath` answers 200 (asked with `readyToken`, if any); it is killed at clean-up. */
export async function startProcess(
  name: string,
  args: string[],
  env: Record<string, string>,
  port: number,
  readyPath: string,
  readyToken?: string,
) {
  const child: ChildProcess = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withTimeout(exited, 20_000, `stopping ${name}`).catch(() => child.kill('SIGKILL'));
  };
  onCleanup(stop);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}: ${stderr}`);
    const answer = await request(url, 'GET', readyPath, { timeoutMs: 2000, token: readyToken }).catch(() => undefined);
    if (answer?.status === 200) break;
    if (Date.now() > deadline) throw new Error(`${name} did not start within 120 s: ${stderr}`);
    await sleep(200);
  }
  return { url, stop, pid: child.pid! };
}
