/**
 * The write load of http.bench.ts, in a worker thread: `connections` loops, each creating a
 * cluster and deleting it again (so the 32-clusters-per-AZ limit is never reached), until
 * `durationSec` has passed. Loop i works in AZ `azUuids[i % azUuids.length]`. Two ways to do it:
 *
 * - `http`: createCluster and deleteCluster through the server's API (keep-alive connections);
 * - `pg`: the same two transactions written by hand with node-postgres, a pool of `poolSize`
 *   connections: lock the AZ row, count its clusters, insert the row, append one event; then lock
 *   the cluster row, delete it, append one event. What the server does, minus the server.
 *
 * Posts back `{ create: number[], remove: number[], durationMs, bad }` (latencies in ms) or `{ error }`.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { parentPort, workerData } = require('node:worker_threads');

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
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const send = (method, path, body) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const headers = { accept: 'application/json', authorization: `Bearer ${token}` };
      if (payload !== undefined) {
        headers['content-type'] = 'application/json';
        headers['content-length'] = String(Buffer.byteLength(payload));
      }
      const req = http.request({ host: base.hostname, port: base.port, path, method, headers, agent }, (res) => {
        const chunks = [];
        res.on('data', (chunk) => chunks.push(chunk));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if (res.statusCode !== 200) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text).result);
        });
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error(`${method} ${path} timed out`)));
      req.on('error', reject);
      if (payload !== undefined) req.write(payload);
      req.end();
    });
  return {
    create: async (az, name) => (await send('POST', `/v1/az/${az}/cluster`, { name, description: 'bench' })).cluster.uuid,
    remove: (az, uuid) => send('DELETE', `/v1/az/${az}/cluster/${uuid}`),
    close: async () => agent.destroy(),
  };
}

async function pgOps({ databaseUrl, poolSize }) {
  const { Pool } = require('pg');
  const pool = new Pool({ connectionString: databaseUrl, max: poolSize });
  const inTransaction = async (fn) => {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  };
  const metadata = JSON.stringify({
    request_id: null,
    user_uuid: null,
    user_name: 'bench',
    ip: '127.0.0.1',
    method: 'POST',
    path: '/bench',
    input: '',
  });
  return {
    create: (az, name) =>
      inTransaction(async (c) => {
        const { rows } = await c.query('SELECT uuid, name, state FROM availability_zones WHERE uuid = $1 FOR UPDATE', [az]);
        if (rows.length !== 1 || rows[0].state !== 1) throw new Error('no enabled AZ');
        const { rows: counted } = await c.query('SELECT count(*)::int AS n FROM clusters WHERE az_uuid = $1', [az]);
        if (counted[0].n >= 32) throw new Error('limit');
        const uuid = randomUUID();
        const createdAt = new Date();
        await c.query(
          `INSERT INTO clusters (uuid, az_uuid, name, description, arch, hypervisor_type, type, state, version, created_at)
           VALUES ($1, $2, $3, 'bench', 'x86_64', 'kvm', 0, 1, 1, $4)`,
          [uuid, az, name, createdAt],
        );
        const data = {
          uuid,
          az_uuid: az,
          name,
          description: 'bench',
          arch: 'x86_64',
          hypervisor_type: 'kvm',
          type: 0,
          state: 1,
          created_at: createdAt,
        };
        await c.query(
          `INSERT INTO event_log (stream_type, stream_id, version, type, data, metadata) VALUES ('cluster', $1, 1, 'BenchClusterCreated', $2, $3)`,
          [uuid, JSON.stringify(data), metadata],
        );
        return uuid;
      }),
    remove: (az, uuid) =>
      inTransaction(async (c) => {
        const { rows } = await c.query('SELECT version FROM clusters WHERE uuid = $1 AND az_uuid = $2 FOR UPDATE', [uuid, az]);
        if (rows.length !== 1) throw new Error('no such cluster');
        await c.query('DELETE FROM clusters WHERE uuid = $1', [uuid]);
        await c.query(
          `INSERT INTO event_log (stream_type, stream_id, version, type, data, metadata) VALUES ('cluster', $1, $2, 'BenchClusterDeleted', $3, $4)`,
          [uuid, rows[0].version + 1, JSON.stringify({ uuid }), metadata],
        );
      }),
    close: () => pool.end(),
  };
}

main().catch((error) => parentPort.postMessage({ error: String((error && error.stack) || error) }));
