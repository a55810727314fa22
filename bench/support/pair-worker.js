/**
 * The write load of http.bench.ts, in a worker thread: `connections` loops, each creating a
 * cluster and deleting it again (so the 32-clusters-per-AZ limit is never reached), until
 * `durationSec` has passed. Loop i works in AZ `azUuids[i % azUuids.length]`. Two ways to do it:
 *
 * - `http`: createCluster and deleteCluster through the server's API, over `connections` keep-alive
 *   sockets written and read by hand (one request at a time each, the answer read by its
 *   Content-Length). Node's http client cost this worker about 460 µs of CPU per pair, on the same
 *   two cores as the server and PostgreSQL; this one about 200 µs: the client is not what is measured;
 * - `pg`: the same two transactions written by hand with node-postgres (raw-pairs.js), a pool of
 *   `poolSize` connections. What the server does, minus the server.
 *
 * Posts back `{ create: number[], remove: number[], durationMs, bad }` (latencies in ms) or `{ error }`.
 */
const net = require('node:net');
const { parentPort, workerData } = require('node:worker_threads');
const { pairTransactions } = require('./raw-pairs');

const { mode, connections, durationSec, azUuids } = workerData;

async function main() {
  const ops = mode === 'http' ? httpOps(workerData) : await pgOps(workerData);
  const create = [];
  const remove = [];
  let bad = 0;
  // One unmeasured pair per loop first: connections opened, plans and caches warm.
  await Promise.all(
    Array.from({ length: connections }, async (_, i) =>
      ops.remove(azUuids[i % azUuids.length], await ops.create(azUuids[i % azUuids.length], `warm-${i}`)),
    ),
  );
  const started = performance.now();
  const deadline = started + durationSec * 1000;
  const loop = async (i) => {
    const az = azUuids[i % azUuids.length];
    for (let n = 0; performance.now() < deadline; n++) {
      let t0 = performance.now();
      let uuid;
      try {
        uuid = await ops.create(az, `pair-${i}-${n}`);
        create.push(performance.now() - t0);
      } catch {
        bad++;
        continue;
      }
      t0 = performance.now();
      try {
        await ops.remove(az, uuid);
        remove.push(performance.now() - t0);
      } catch {
        bad++;
      }
    }
  };
  await Promise.all(Array.from({ length: connections }, (_, i) => loop(i)));
  const durationMs = performance.now() - started;
  await ops.close();
  parentPort.postMessage({ create, remove, durationMs, bad });
}

function httpOps({ url, token }) {
  const base = new URL(url);
  const idle = [];
  const head = (method, path, length) =>
    `${method} ${path} HTTP/1.1\r\nHost: ${base.host}\r\nAccept: application/json\r\nAuthorization: Bearer ${token}\r\n` +
    (length === undefined ? '\r\n' : `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`);
  const open = () =>
    new Promise((resolve, reject) => {
      const socket = net.connect({ host: base.hostname, port: Number(base.port) }, () => resolve(socket));
      socket.setNoDelay(true);
      socket.once('error', reject);
    });
  // One request at a time per connection; the answer is read by its Content-Length.
  const exchange = (socket, text) =>
    new Promise((resolve, reject) => {
      let buffer = Buffer.alloc(0);
      const fail = (error) => {
        cleanup();
        socket.destroy();
        reject(error);
      };
      const onData = (chunk) => {
        buffer = buffer.length === 0 ? chunk : Buffer.concat([buffer, chunk]);
        const end = buffer.indexOf('\r\n\r\n');
        if (end < 0) return;
        const headers = buffer.toString('latin1', 0, end);
        const length = /\r\ncontent-length: *(\d+)/i.exec(headers);
        if (!length) return fail(new Error(`an answer without Content-Length: ${headers}`));
        if (buffer.length < end + 4 + Number(length[1])) return;
        cleanup();
        resolve({
          status: Number(headers.slice(9, 12)),
          text: buffer.toString('utf8', end + 4, end + 4 + Number(length[1])),
          reusable: !/\r\nconnection: *close/i.test(headers),
        });
      };
      const timer = setTimeout(() => fail(new Error('timed out')), 30_000);
      const cleanup = () => {
        clearTimeout(timer);
        socket.off('data', onData);
        socket.off('error', fail);
        socket.off('close', onClose);
      };
      const onClose = () => fail(new Error('connection closed'));
      socket.on('data', onData);
      socket.once('error', fail);
      socket.once('close', onClose);
      socket.write(text);
    });
  const send = async (method, path, body) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const socket = idle.pop() ?? (await open());
    const { status, text, reusable } = await exchange(
      socket,
      head(method, path, payload && Buffer.byteLength(payload)) + (payload ?? ''),
    );
    if (reusable) idle.push(socket);
    else socket.destroy();
    if (status !== 200) throw new Error(`${method} ${path}: ${status} ${text}`);
    return JSON.parse(text).result;
  };
  return {
    create: async (az, name) => (await send('POST', `/v1/az/${az}/cluster`, { name, description: 'bench' })).cluster.uuid,
    remove: (az, uuid) => send('DELETE', `/v1/az/${az}/cluster/${uuid}`),
    close: async () => idle.splice(0).forEach((socket) => socket.destroy()),
  };
}

async function pgOps({ databaseUrl, poolSize }) {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const { create, remove } = pairTransactions(pool);
  return { create: async (az, name) => (await create(az, name)).uuid, remove, close: () => pool.end() };
}

main().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
