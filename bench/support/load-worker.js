/**
 * HTTP load generated in a worker thread, so that the load generator does not share the server's
 * event loop. Every response time is kept as a float (autocannon's own histogram rounds to whole
 * milliseconds, too coarse for 1–5 ms requests). Two modes (see load.ts):
 *
 * - `autocannon`: `connections` keep-alive connections for `duration` seconds, each sending the
 *   next request as soon as the last one is answered (closed loop).
 * - `each`: one GET of `url` per entry of `tokens` (as `Authorization: Bearer <token>`), by
 *   `connections` keep-alive connections at once; every token is used exactly once.
 *
 * Posts back `{ latencies, ok, bad, durationMs }` or `{ error }`.
 */
const http = require('node:http');
const { parentPort, workerData } = require('node:worker_threads');

if (workerData.mode === 'autocannon') runAutocannon(workerData);
else if (workerData.mode === 'each') void runEach(workerData);
else parentPort.postMessage({ error: `unknown mode ${workerData.mode}` });

function runAutocannon({ url, headers, connections, duration }) {
  const autocannon = require('autocannon');
  const latencies = [];
  const started = performance.now();
  const instance = autocannon({ url, headers, connections, duration, timeout: 10 }, (error, result) => {
    if (error) {
      parentPort.postMessage({ error: String((error && error.stack) || error) });
      return;
    }
    parentPort.postMessage({
      latencies,
      ok: latencies.length,
      bad: result.non2xx + result.errors + result.timeouts,
      durationMs: performance.now() - started,
    });
  });
  instance.on('response', (_client, statusCode, _bytes, responseTime) => {
    if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
  });
}

async function runEach({ url, tokens, connections }) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const target = new URL(url);
  const latencies = [];
  let bad = 0;
  let next = 0;
  const get = (token) =>
    new Promise((resolve) => {
      const sentAt = performance.now();
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname + target.search,
          method: 'GET',
          agent,
          headers: { authorization: `Bearer ${token}` },
        },
        (res) => {
          res.resume();
          res.on('end', () => resolve({ status: res.statusCode, ms: performance.now() - sentAt }));
          res.on('error', () => resolve({ status: 0, ms: 0 }));
        },
      );
      req.setTimeout(10_000, () => req.destroy(new Error('timeout')));
      req.on('error', () => resolve({ status: 0, ms: 0 }));
      req.end();
    });
  // One request per connection first, unmeasured, so connection set-up is not in the numbers.
  // (These requests carry no token and are answered 401 without a database query.)
  await Promise.all(Array.from({ length: connections }, () => get('')));
  const started = performance.now();
  const loop = async () => {
    while (next < tokens.length) {
      const { status, ms } = await get(tokens[next++]);
      if (status >= 200 && status < 300) latencies.push(ms);
      else bad++;
    }
  };
  await Promise.all(Array.from({ length: connections }, loop));
  const durationMs = performance.now() - started;
  agent.destroy();
  parentPort.postMessage({ latencies, ok: latencies.length, bad, durationMs });
}
