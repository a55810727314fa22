/**
 * Shared helpers of the benchmarks in bench/: where the databases come from (a scratch database on
 * the local PostgreSQL server, a temporary directory for the embedded one), the server built
 * in-process on a real socket, a small HTTP client, statistics and tables, and a watchdog so a
 * benchmark always ends by itself.
 *
 * Benchmarks only ever talk to 127.0.0.1: a PostgreSQL URL naming another host is refused.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import os, { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app';
import { AppConfig } from '../../src/platform/config/app-config';

// ---------------------------------------------------------------------------------------------
// Options

export type DatabaseKind = 'embedded' | 'postgres';

export interface CommonOptions {
  databases: DatabaseKind[];
  values: Record<string, string | undefined>;
}

/**
 * `--db=embedded|postgres|both` (or BENCH_DB=…, which also reaches the benchmarks run by `npm run
 * bench`; default both) plus the benchmark's own `--name=value` options.
 * Unknown options stop the run with a usage message.
 */
export function parseOptions(usage: string, names: string[]): CommonOptions {
  const options = Object.fromEntries([
    ['db', { type: 'string' as const }],
    ...names.map((n) => [n, { type: 'string' as const }]),
  ]);
  let values: Record<string, string | undefined>;
  try {
    values = parseArgs({ options, allowPositionals: false }).values as Record<string, string | undefined>;
  } catch (error) {
    fail(`${(error as Error).message}\n${usage}`);
  }
  const db = values.db ?? process.env.BENCH_DB ?? 'both';
  if (!['embedded', 'postgres', 'both'].includes(db)) fail(`--db must be embedded, postgres or both\n${usage}`);
  const databases: DatabaseKind[] = db === 'both' ? ['embedded', 'postgres'] : [db as DatabaseKind];
  return { databases, values };
}

export function intOption(values: Record<string, string | undefined>, name: string, fallback: number, min = 1): number {
  const raw = values[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) fail(`--${name} must be an integer ≥ ${min}`);
  return n;
}

export function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

// ---------------------------------------------------------------------------------------------
// Clean-up and the watchdog

const cleanups: (() => Promise<unknown> | unknown)[] = [];

/** Registers clean-up work (drop a scratch database, remove a directory); runs last-in first-out. */
export function onCleanup(fn: () => Promise<unknown> | unknown): void {
  cleanups.push(fn);
}

export async function runCleanups(): Promise<void> {
  while (cleanups.length > 0) {
    const fn = cleanups.pop()!;
    try {
      await withTimeout(Promise.resolve().then(fn), 15_000, 'clean-up');
    } catch (error) {
      console.error(`clean-up failed: ${(error as Error).message}`);
    }
  }
}

/**
 * Runs a benchmark's main function with a hard time limit: past it, or on Ctrl-C, the clean-ups run
 * and the process exits non-zero. Exits 0 when main resolves, 1 when it throws (could not run).
 */
export function runBenchmark(name: string, limitMs: number, main: () => Promise<void>): void {
  const abort = (why: string) => {
    console.error(`\n${name}: ${why}; cleaning up`);
    void runCleanups().finally(() => process.exit(3));
  };
  setTimeout(() => abort(`still running after ${Math.round(limitMs / 1000)} s (the limit)`), limitMs).unref();
  process.once('SIGINT', () => abort('interrupted'));
  process.once('SIGTERM', () => abort('terminated'));
  main().then(
    async () => {
      await runCleanups();
      process.exit(0);
    },
    async (error: unknown) => {
      console.error(`\n${name} could not run:`, error);
      await runCleanups();
      process.exit(1);
    },
  );
}

export function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------------------------------------
// Databases

/** The PostgreSQL server to make scratch databases on (trust auth on 127.0.0.1). */
export function postgresServerUrl(): string {
  const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
  const host = new URL(url).hostname;
  if (!['127.0.0.1', 'localhost', '[::1]', '::1'].includes(host)) {
    fail(`benchmarks only talk to 127.0.0.1; refusing the PostgreSQL server at ${host}`);
  }
  return url;
}

export interface ScratchDatabase {
  name: string;
  url: string;
}

/** A fresh database `chime_bench_<random>` on the local server, dropped at clean-up. */
export async function createScratchDatabase(): Promise<ScratchDatabase> {
  const serverUrl = postgresServerUrl();
  const name = `chime_bench_${randomBytes(5).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  onCleanup(() => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { name, url: url.toString() };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new Client({ connectionString: serverUrl, connectionTimeoutMillis: 5000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** A temporary directory for the embedded database (as in production: on disk), removed at clean-up. */
export function createEmbeddedDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'chime-bench-'));
  onCleanup(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Server environment for a fresh database of the given kind. */
export async function freshDatabaseEnv(kind: DatabaseKind): Promise<Record<string, string>> {
  if (kind === 'embedded') return { CHIME_DATA_DIR: createEmbeddedDir() };
  return { DATABASE_URL: (await createScratchDatabase()).url };
}

// ---------------------------------------------------------------------------------------------
// The server

export interface BenchServer {
  app: NestExpressApplication;
  url: string;
  port: number;
  dataSource: DataSource;
  close(): Promise<void>;
}

/** The super administrator's password on the benchmarks' servers (not the default, which logs a warning). */
export const ADMIN_PASSWORD = 'chime-bench-admin';

/** The real server (createApp) listening on 127.0.0.1 on a free port. Logs only warnings and errors. */
export async function startServer(env: Record<string, string>): Promise<BenchServer> {
  const config = AppConfig.fromEnvironment({
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    CHIME_ADMIN_PASSWORD: ADMIN_PASSWORD,
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const port = (app.getHttpServer().address() as { port: number }).port;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await withTimeout(app.close(), 20_000, 'closing the server');
  };
  onCleanup(close);
  return { app, url: `http://127.0.0.1:${port}`, port, dataSource: app.get(DataSource), close };
}

// ---------------------------------------------------------------------------------------------
// HTTP

export interface HttpResult {
  status: number;
  body: unknown;
  /** Milliseconds (performance.now()) when the request was sent and when the response had fully arrived. */
  sentAt: number;
  doneAt: number;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

/** One request with keep-alive connections; rejects only on network errors and timeouts. */
export function request(
  baseUrl: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; requestId?: string; timeoutMs?: number } = {},
): Promise<HttpResult> {
  const url = new URL(path, baseUrl);
  const payload = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.requestId) headers['x-request-id'] = options.requestId;
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const sentAt = performance.now();
    const req = http.request(
      { host: url.hostname, port: url.port, path: url.pathname + url.search, method, headers, agent },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const doneAt = performance.now();
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: res.statusCode ?? 0, body, sentAt, doneAt });
        });
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

/** Logs in and returns the bearer token. */
export async function login(baseUrl: string, userName = 'admin', password = ADMIN_PASSWORD): Promise<string> {
  const res = await request(baseUrl, 'POST', '/v1/login', { body: { user_name: userName, password } });
  const token = (res.body as { result?: { user?: { uuid?: string } } })?.result?.user?.uuid;
  if (res.status !== 200 || !token) throw new Error(`login failed: ${res.status} ${JSON.stringify(res.body)}`);
  return token;
}

export function closeHttpAgent(): void {
  agent.destroy();
}

// ---------------------------------------------------------------------------------------------
// Statistics and output

/** Nearest-rank percentile (p in 0..100) of unsorted numbers; NaN for none. */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1];
}

export const median = (values: number[]) => {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export function fmt(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return '–';
  return value.toFixed(digits);
}

/** Prints rows as an aligned plain-text table (first column left-aligned, the rest right-aligned). */
export function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
}

/**
 * Order of the two variants in round `i`: A B, B A, A B, … so that neither always runs first
 * (tables that grow, caches that warm, a neighbour's test run starting).
 */
export function alternate<T>(a: T, b: T, round: number): [T, T] {
  return round % 2 === 0 ? [a, b] : [b, a];
}

export function machineLine(): string {
  return `${os.cpus().length} cores (${os.cpus()[0]?.model ?? 'unknown'}), load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}, node ${process.version}`;
}
