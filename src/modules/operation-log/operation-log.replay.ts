import type { ReplayCheck, ReplayPass, StoredEvent } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { OPERATION_LOG_CONSUMER, projectOperationLog } from './operation-log.projection';
import { AccessDenied, LoginFailed, RequestFailed } from './security.events';

/**
 * The operation log rebuilt from the event log into a scratch table, up to its consumer's checkpoint
 * (the projection may lag behind the log by design), and compared row by row with the live table.
 * Every event makes its request's entry; the security events are the ones no other module replays.
 * Pages are projected as they come, as the consumer does with its batches.
 */
export const OPERATION_LOG_REPLAY: ReplayCheck = {
  name: 'operation_log',
  handles: [LoginFailed.type, AccessDenied.type, RequestFailed.type],
  async begin(manager: EntityManager): Promise<ReplayPass> {
    const checkpoint: { last_transaction_id: string; last_position: string }[] = await manager.query(
      'SELECT last_transaction_id::text, last_position FROM event_subscriptions WHERE name = $1',
      [OPERATION_LOG_CONSUMER],
    );
    if (checkpoint.length === 0) return { apply: () => undefined, finish: async () => [] };
    const [txid, position] = [BigInt(checkpoint[0].last_transaction_id), Number(checkpoint[0].last_position)];
    await manager.query('CREATE TEMP TABLE operation_log_replay (LIKE operation_log INCLUDING ALL) ON COMMIT DROP');
    const upToCheckpoint = (event: StoredEvent) => {
      const tx = BigInt(event.transactionId);
      return tx < txid || (tx === txid && event.position <= position);
    };
    return {
      apply: (events) => projectOperationLog(events.filter(upToCheckpoint), manager, 'operation_log_replay'),
      finish: () => compare(manager),
    };
  },
};

async function compare(manager: EntityManager): Promise<string[]> {
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
