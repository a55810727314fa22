import { DurableConsumer, EventConsumer, StoredEvent, Transaction } from '@chime/event-log';
import { EntityRows } from '../../platform/database/entity-rows';
import { ClusterDeleted } from '../clusters/cluster.events';
import { ClusterInstanceSpecEntity } from './instance-spec.entity';
import { lockInstanceSpecIfPresent } from './instance-spec.store';
import { unregister } from './registrations';

/**
 * A deleted cluster's specs are unregistered from it: each registration goes with an
 * InstanceSpecUnregistered on its spec's stream, so the specs' cluster_count stays right and the
 * log still replays to the tables. The appended events carry the ClusterDeleted's request id and
 * position (causation). The cluster's row is already gone, so no new registration can come in
 * after this runs; one removed by a request meanwhile (and its spec, maybe) is skipped.
 */
const RELATION_ROWS = new EntityRows(ClusterInstanceSpecEntity);

@DurableConsumer('instance-specs-cluster-deleted', { reactsTo: [ClusterDeleted.type] })
export class ClusterDeletedConsumer implements EventConsumer {
  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    const clusterUuid = (event.data as ClusterDeleted['data']).uuid;
    // A prepared statement: every deleteCluster comes through here (TypeORM's find cost ~4 times more CPU).
    const { entities: relations } = await RELATION_ROWS.select(
      tx.manager,
      'of cluster by spec',
      // The specs are locked in one order.
      (e) => `SELECT ${e.select} FROM ${e.table} WHERE ${e.column('clusterUuid')} = $1 ORDER BY ${e.column('instanceSpecUuid')}`,
      [clusterUuid],
    );
    for (const relation of relations) {
      const spec = await lockInstanceSpecIfPresent(tx.manager, relation.instanceSpecUuid);
      if (spec) await unregister(tx, spec, clusterUuid);
    }
  }
}
