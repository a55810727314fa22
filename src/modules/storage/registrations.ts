import type { Transaction } from '@chime/event-log';
import { InvalidArgumentError } from '../../platform/errors/domain-error';
import { ClusterVolumeSpecEntity, VOLUME_SPEC_STREAM, VolumeSpecEntity } from './storage.entity';
import { VolumeSpecRegistered, VolumeSpecUnregistered, type VolumeSpecState } from './storage.events';

/** A spec's bounds must hold: each minimum at most its maximum. */
export function checkSpecBounds(spec: Pick<VolumeSpecState, 'min_iops' | 'max_iops' | 'min_throughput' | 'max_throughput'>): void {
  if (spec.min_iops > spec.max_iops) {
    throw new InvalidArgumentError(`min_iops ${spec.min_iops} is more than max_iops ${spec.max_iops}`);
  }
  if (spec.min_throughput > spec.max_throughput) {
    throw new InvalidArgumentError(`min_throughput ${spec.min_throughput} is more than max_throughput ${spec.max_throughput}`);
  }
}

/** Registers the spec (its row locked by the caller) in the cluster: the relation, its count, its event. */
export async function register(tx: Transaction, spec: VolumeSpecEntity, clusterUuid: string): Promise<ClusterVolumeSpecEntity> {
  const relation: ClusterVolumeSpecEntity = { clusterUuid, volumeSpecUuid: spec.uuid, createdAt: new Date() };
  await tx.manager.insert(ClusterVolumeSpecEntity, relation);
  await tx.manager.update(VolumeSpecEntity, { uuid: spec.uuid }, { clusterCount: spec.clusterCount + 1, version: spec.version + 1 });
  await tx.append({ type: VOLUME_SPEC_STREAM, id: spec.uuid }, spec.version, [
    new VolumeSpecRegistered({ uuid: spec.uuid, cluster_uuid: clusterUuid, created_at: relation.createdAt.toISOString() }),
  ]);
  return relation;
}

/** Removes the spec's registration in the cluster (the spec's row locked by the caller); false when there is none. */
export async function unregister(tx: Transaction, spec: VolumeSpecEntity, clusterUuid: string): Promise<boolean> {
  const { affected } = await tx.manager.delete(ClusterVolumeSpecEntity, { clusterUuid, volumeSpecUuid: spec.uuid });
  if (!affected) return false;
  await tx.manager.update(VolumeSpecEntity, { uuid: spec.uuid }, { clusterCount: spec.clusterCount - 1, version: spec.version + 1 });
  await tx.append({ type: VOLUME_SPEC_STREAM, id: spec.uuid }, spec.version, [
    new VolumeSpecUnregistered({ uuid: spec.uuid, cluster_uuid: clusterUuid }),
  ]);
  return true;
}
