/**
 * The write load of operation-log-lag.bench.ts, in a worker thread so that the clients do not
 * share the server's event loop. `clients` loops, each cycling through one AZ of its own:
 * createAz, 3 × updateAz, disableAz, enableAz, deleteAz, until `deadline`. Every request carries a
 * client-chosen X-Request-Id. Times are epoch milliseconds with sub-millisecond precision
 * (performance.timeOrigin + performance.now()), comparable with the main thread's.
 *
 * Posts back `{ writes: [{ requestId, op, sentAt, doneAt }] }` or `{ error }`.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');

const { url, token, clients, deadline } = workerData;
const base = new URL(url);
const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
const now = () => performance.timeOrigin + performance.now();

function send(method, path, body, requestId) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { accept: 'application/json', authorization: `Bearer ${token}`, 'x-request-id': requestId };
  if (payload !== undefined) {
    headers['content-type'] = 'application/json';
    headers['content-length'] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolve, reject) => {
    const sentAt = now();
    const req = http.request({ host: base.hostname, port: base.port, path, method, headers, agent }, (res) => {
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const doneAt = now();
        let parsed;
        try {
          parsed = JSON.parse(Buffer.concat(chunks).toString('utf8'));
        } catch {
          parsed = undefined;
        }
        resolve({ status: res.statusCode, body: parsed, sentAt, doneAt });
      });
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

async function client(index) {
  const writes = [];
  const write = async (op, method, path, body) => {
    const requestId = randomUUID();
    const res = await send(method, path, body, requestId);
    if (res.status !== 200 || !res.body || res.body.requestId !== requestId) {
      throw new Error(`${op} (${method} ${path}) answered ${res.status}: ${JSON.stringify(res.body)}`);
    }
    writes.push({ requestId, op, sentAt: res.sentAt, doneAt: res.doneAt });
    return res.body.result;
  };
  for (let cycle = 0; now() < deadline; cycle++) {
    const created = await write('createAz', 'POST', '/v1/az', { name: `lag-${index}-${cycle}`, description: 'lag benchmark' });
    const path = `/v1/az/${created.az.uuid}`;
    for (let u = 0; u < 3 && now() < deadline; u++)
      await write('updateAz', 'PATCH', path, { description: `update ${cycle}.${u}` });
    if (now() < deadline) await write('disableAz', 'PUT', `${path}/disable`);
    if (now() < deadline) await write('enableAz', 'PUT', `${path}/enable`);
    await write('deleteAz', 'DELETE', path);
  }
  return writes;
}

Promise.all(Array.from({ length: clients }, (_, i) => client(i))).then(
  (perClient) => {
    agent.destroy();
    parentPort.postMessage({ writes: perClient.flat() });
  },
  (error) => {
    agent.destroy();
    parentPort.postMessage({ error: String((error && error.stack) || error) });
  },
);
