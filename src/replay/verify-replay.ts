import { diffAgainstReplay, EventStore, StoredEvent, StreamProjection } from '@chime/event-log';
import { DataSource, EntityManager } from 'typeorm';
import { CLUSTER_REPLAY } from '../modules/clusters/cluster.replay';
import { TOKEN_REPLAY, USER_REPLAY } from '../modules/identity/identity.replay';
import { OPERATION_LOG_CONSUMER, projectOperationLog } from '../modules/operation-log/operation-log.projection';
import { AZ_REPLAY } from '../modules/zones/az.replay';

/** Every aggregate kind whose table must equal the replay of its events. A new module adds its own. */
export const PROJECTIONS = [USER_REPLAY, TOKEN_REPLAY, AZ_REPLAY, CLUSTER_REPLAY] as StreamProjection<{ key: string }>[];

/**
 * Rebuilds every aggregate table and the operation log from the event log and compares them row by
 * row with the live ones, all in one snapshot. Returns the differences; none means the state is
 * exactly what the events say. The operation log is rebuilt into a scratch table up to its
 * consumer's checkpoint (the projection may lag behind the log by design).
 */
export async function verifyReplay(dataSource: DataSource): Promise<string[]> {
  return dataSource.transaction('REPEATABLE READ', async (manager) => {
    const events = await new EventStore(dataSource).readAll(manager);
    const differences = await diffAgainstReplay(manager, events, PROJECTIONS);
    return [...differences, ...(await diffOperationLog(manager, events))];
  });
}

async function diffOperationLog(manager: EntityManager, events: StoredEvent[]): Promise<string[]> {
  const checkpoint: { last_transaction_id: string; last_position: string }[] = await manager.query(
    'SELECT last_transaction_id::text, last_position FROM event_subscriptions WHERE name = $1',
    [OPERATION_LOG_CONSUMER],
  );
  if (checkpoint.length === 0) return [];
  const [txid, position] = [BigInt(checkpoint[0].last_transaction_id), Number(checkpoint[0].last_position)];
  await manager.query('CREATE TEMP TABLE operation_log_replay (LIKE operation_log INCLUDING ALL) ON COMMIT DROP');
  const upToCheckpoint = events.filter((event) => {
    const tx = BigInt(event.transactionId);
    return tx < txid || (tx === txid && event.position <= position);
  });
  await projectOperationLog(upToCheckpoint, manager, 'operation_log_replay');
  const missing: { id: string }[] = await manager.query(
    'SELECT * FROM operation_log_replay EXCEPT ALL SELECT * FROM operation_log',
  );
  const extra: { id: string }[] = await manager.query(
    'SELECT * FROM operation_log EXCEPT ALL SELECT * FROM operation_log_replay',
  );
  return [
    ...missing.map((row) => `operation_log: replayed entry ${JSON.stringify(row)} differs from or is missing in the live table`),
    ...extra.map((row) => `operation_log: live entry ${JSON.stringify(row)} is not what the replay gives`),
  ];
}
