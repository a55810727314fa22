import type { Transaction } from '@chime/event-log';
import { ClusterInstanceSpecEntity, INSTANCE_SPEC_STREAM, InstanceSpecEntity } from './instance-spec.entity';
import { InstanceSpecRegistered, InstanceSpecUnregistered } from './instance-spec.events';

/**
 * Registrations change the spec's row (its cluster_count) and stream, so each one runs under the
 * spec's row lock: the caller has locked `spec` in this transaction.
 */
export async function register(
  tx: Transaction,
  spec: InstanceSpecEntity,
  clusterUuid: string,
): Promise<ClusterInstanceSpecEntity> {
  const relation: ClusterInstanceSpecEntity = { clusterUuid, instanceSpecUuid: spec.uuid, createdAt: new Date() };
  await tx.manager.insert(ClusterInstanceSpecEntity, relation);
  await tx.manager.update(
    InstanceSpecEntity,
    { uuid: spec.uuid },
    { clusterCount: spec.clusterCount + 1, version: spec.version + 1 },
  );
  await tx.append({ type: INSTANCE_SPEC_STREAM, id: spec.uuid }, spec.version, [
    new InstanceSpecRegistered({ uuid: spec.uuid, cluster_uuid: clusterUuid, created_at: relation.createdAt.toISOString() }),
  ]);
  return relation;
}

/** Removes the spec's registration in the cluster; false when there is none. */
export async function unregister(tx: Transaction, spec: InstanceSpecEntity, clusterUuid: string): Promise<boolean> {
  const { affected } = await tx.manager.delete(ClusterInstanceSpecEntity, { clusterUuid, instanceSpecUuid: spec.uuid });
  if (!affected) return false;
  await tx.manager.update(
    InstanceSpecEntity,
    { uuid: spec.uuid },
    { clusterCount: spec.clusterCount - 1, version: spec.version + 1 },
  );
  await tx.append({ type: INSTANCE_SPEC_STREAM, id: spec.uuid }, spec.version, [
    new InstanceSpecUnregistered({ uuid: spec.uuid, cluster_uuid: clusterUuid }),
  ]);
  return true;
}
