import { DurableConsumer, EventConsumer, StoredEvent, Transaction } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
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
  handle(event: StoredEvent, tx: Transaction): Promise<void> {
    return this.handleBatch([event], tx.manager, () => tx);
  }

  /** One query for the registrations of every cluster the batch deletes, each then as `handle` would. */
  async handleBatch(
    events: StoredEvent[],
    manager: EntityManager,
    reactingTo: (event: StoredEvent) => Transaction,
  ): Promise<void> {
    const order = new Map(events.map((event, i) => [(event.data as ClusterDeleted['data']).uuid, i]));
    // A prepared statement: every deleteCluster comes through here (TypeORM's find cost ~4 times more CPU).
    const { entities: relations } = await RELATION_ROWS.select(
      manager,
      'of clusters by spec',
      (e) =>
        `SELECT ${e.select} FROM ${e.table} WHERE ${e.column('clusterUuid')} = ANY($1::uuid[]) ORDER BY ${e.column('instanceSpecUuid')}`,
      [[...order.keys()]],
    );
    // In the log's order of the deletions; each cluster's specs locked in one order (by uuid).
    relations.sort((a, b) => order.get(a.clusterUuid)! - order.get(b.clusterUuid)!);
    for (const relation of relations) {
      const spec = await lockInstanceSpecIfPresent(manager, relation.instanceSpecUuid);
      if (spec) await unregister(reactingTo(events[order.get(relation.clusterUuid)!]), spec, relation.clusterUuid);
    }
  }
}
