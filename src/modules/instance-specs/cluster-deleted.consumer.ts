import { DurableConsumer, EventConsumer, StoredEvent, Transaction } from '@chime/event-log';
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
@DurableConsumer('instance-specs-cluster-deleted')
export class ClusterDeletedConsumer implements EventConsumer {
  async handle(event: StoredEvent, tx: Transaction): Promise<void> {
    if (event.type !== ClusterDeleted.type) return;
    const clusterUuid = (event.data as ClusterDeleted['data']).uuid;
    const relations = await tx.manager.find(ClusterInstanceSpecEntity, {
      where: { clusterUuid },
      order: { instanceSpecUuid: 'ASC' }, // the specs are locked in one order
    });
    for (const relation of relations) {
      const spec = await lockInstanceSpecIfPresent(tx.manager, relation.instanceSpecUuid);
      if (spec) await unregister(tx, spec, clusterUuid);
    }
  }
}
