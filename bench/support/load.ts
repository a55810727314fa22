import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { percentile } from './bench-kit';

export interface LoadResult {
  /** Successful (2xx) responses per second over the whole run. */
  rps: number;
  /** Latency percentiles of the successful responses, in milliseconds. */
  p50: number;
  p99: number;
  ok: number;
  /** Responses that were not 2xx, network errors, timeouts: any of them makes the run invalid. */
  bad: number;
}

/**
 * Closed-loop load with autocannon in a worker thread: `connections` keep-alive connections, each
 * sending the next request as soon as the last one is answered, for `durationSec` seconds.
 */
export function runLoad(options: {
  url: string;
  headers?: Record<string, string>;
  connections: number;
  durationSec: number;
}): Promise<LoadResult> {
  return inWorker(
    {
      mode: 'autocannon',
      url: options.url,
      headers: options.headers ?? {},
      connections: options.connections,
      duration: options.durationSec,
    },
    (options.durationSec + 30) * 1000,
  );
}

/** One authenticated GET per token (each token used once), `connections` at a time, in a worker thread. */
export function runEachToken(options: { url: string; tokens: string[]; connections: number }): Promise<LoadResult> {
  return inWorker({ mode: 'each', url: options.url, tokens: options.tokens, connections: options.connections }, 120_000);
}

interface WorkerReply {
  error?: string;
  latencies: number[];
  ok: number;
  bad: number;
  durationMs: number;
}

function inWorker(workerData: Record<string, unknown>, timeoutMs: number): Promise<LoadResult> {
  const worker = new Worker(join(__dirname, 'load-worker.js'), { workerData });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new Error(`the load worker did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    worker.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    worker.once('message', (message: WorkerReply) => {
      clearTimeout(timer);
      void worker.terminate();
      if (message.error) {
        reject(new Error(message.error));
        return;
      }
      resolve({
        rps: message.ok / (message.durationMs / 1000),
        p50: percentile(message.latencies, 50),
        p99: percentile(message.latencies, 99),
        ok: message.ok,
        bad: message.bad,
      });
    });
  });
}
