/**
 * createCluster and deleteCluster as two transactions written by hand with node-postgres: lock the
 * AZ row, insert the cluster unless the AZ holds 32, append one event; then delete the cluster row
 * (which locks it) and append one event. The same statements the server runs, minus the server.
 * Used by the raw variant of bench:http's write pairs (pair-worker.js, in a worker thread) and by
 * the floor app's write routes (floor-app.ts).
 *
 *   const { create, remove } = pairTransactions(pool);
 *   const cluster = await create(azUuid, 'name'); // the cluster's fields, as the event holds them
 *   await remove(azUuid, cluster.uuid);
 */
const { randomUUID } = require('node:crypto');

function pairTransactions(pool) {
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
        const uuid = randomUUID();
        const createdAt = new Date();
        // The limit's count in the insert, as the server does it (EntityRows.insertWithin).
        const { rows: inserted } = await c.query(
          `INSERT INTO clusters (uuid, az_uuid, name, description, arch, hypervisor_type, type, state, version, created_at)
           SELECT $1, $2, $3, 'bench', 'x86_64', 'kvm', 0, 1, 1, $4
           WHERE (SELECT count(*) FROM clusters WHERE az_uuid = $2) < 32 RETURNING 1`,
          [uuid, az, name, createdAt],
        );
        if (inserted.length !== 1) throw new Error('limit');
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
        return data;
      }),
    remove: (az, uuid) =>
      inTransaction(async (c) => {
        // Deleted and locked in one statement, as the server does it (EntityRows.deleteOne).
        const { rows } = await c.query('DELETE FROM clusters WHERE uuid = $1 AND az_uuid = $2 RETURNING version', [uuid, az]);
        if (rows.length !== 1) throw new Error('no such cluster');
        await c.query(
          `INSERT INTO event_log (stream_type, stream_id, version, type, data, metadata) VALUES ('cluster', $1, $2, 'BenchClusterDeleted', $3, $4)`,
          [uuid, rows[0].version + 1, JSON.stringify({ uuid }), metadata],
        );
      }),
  };
}

module.exports = { pairTransactions };
