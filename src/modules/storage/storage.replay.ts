import { loadEntityPage, type StoredEvent, type StreamProjection } from '@chime/event-log';
import { In, type EntityManager } from 'typeorm';
import {
  ClusterVolumeSpecEntity,
  SNAPSHOT_STREAM,
  SnapshotEntity,
  STORAGE_POOL_STREAM,
  StoragePoolEntity,
  VOLUME_SPEC_STREAM,
  VOLUME_STREAM,
  VolumeEntity,
  VolumeSpecEntity,
} from './storage.entity';
import {
  SnapshotCreated,
  SnapshotDeleted,
  SnapshotOperationFailed,
  SnapshotOperationStarted,
  SnapshotOperationSucceeded,
  SnapshotUpdated,
  StoragePoolCreated,
  StoragePoolDeleted,
  StoragePoolUpdated,
  VolumeCreated,
  VolumeDeleted,
  VolumeOperationFailed,
  VolumeOperationStarted,
  VolumeOperationSucceeded,
  VolumeSpecCreated,
  VolumeSpecDeleted,
  VolumeSpecRegistered,
  VolumeSpecUnregistered,
  VolumeSpecUpdated,
  VolumeUpdated,
  type SnapshotState,
  type StoragePoolState,
  type VolumeSpecState,
  type VolumeState,
} from './storage.events';
import { toSnapshotState, toStoragePoolState, toVolumeSpecState, toVolumeState } from './storage.view';

type Keyed<T> = T & { key: string; version: number };

/**
 * The replay of a stream whose events are a creation (the whole state), changes (`changes`: only
 * the fields that changed) and a deletion: pools, volumes and snapshots.
 */
function changesReplay<S extends object>(
  streamType: string,
  created: string,
  changed: readonly string[],
  deleted: string,
  load: (manager: EntityManager, page: Parameters<StreamProjection<Keyed<S>>['load']>[1]) => Promise<Keyed<S>[]>,
): StreamProjection<Keyed<S>> {
  return {
    streamType,
    handles: [created, ...changed, deleted],
    apply(state: Keyed<S> | undefined, event: StoredEvent) {
      if (event.type === created) return { ...(event.data as unknown as S), key: event.streamId, version: event.version };
      if (event.type === deleted) return undefined;
      if (changed.includes(event.type)) {
        const changes = (event.data as { changes: Partial<S> }).changes;
        return state && { ...state, ...changes, version: event.version };
      }
      throw new Error(`unknown event ${event.type} on stream ${streamType}`);
    },
    load,
  };
}

/**
 * Pools rebuilt from their events, for `npm run verify:replay`. What volumes claim (used_size,
 * volume_count) is operational state, left out: it moves with every volume, in the volumes' events.
 */
export const STORAGE_POOL_REPLAY = changesReplay<StoragePoolState>(
  STORAGE_POOL_STREAM,
  StoragePoolCreated.type,
  [StoragePoolUpdated.type],
  StoragePoolDeleted.type,
  async (manager, page) =>
    (await loadEntityPage(manager, StoragePoolEntity, 'uuid', page)).map((pool) => ({
      ...toStoragePoolState(pool),
      key: pool.uuid,
      version: pool.version,
    })),
);

export const VOLUME_REPLAY = changesReplay<VolumeState>(
  VOLUME_STREAM,
  VolumeCreated.type,
  [VolumeUpdated.type, VolumeOperationStarted.type, VolumeOperationSucceeded.type, VolumeOperationFailed.type],
  VolumeDeleted.type,
  async (manager, page) =>
    (await loadEntityPage(manager, VolumeEntity, 'uuid', page)).map((volume) => ({
      ...toVolumeState(volume),
      key: volume.uuid,
      version: volume.version,
    })),
);

export const SNAPSHOT_REPLAY = changesReplay<SnapshotState>(
  SNAPSHOT_STREAM,
  SnapshotCreated.type,
  [SnapshotUpdated.type, SnapshotOperationStarted.type, SnapshotOperationSucceeded.type, SnapshotOperationFailed.type],
  SnapshotDeleted.type,
  async (manager, page) =>
    (await loadEntityPage(manager, SnapshotEntity, 'uuid', page)).map((snapshot) => ({
      ...toSnapshotState(snapshot),
      key: snapshot.uuid,
      version: snapshot.version,
    })),
);

type VolumeSpecRow = Keyed<VolumeSpecState> & { cluster_count: number; clusters: Record<string, string> };

function withClusters(state: VolumeSpecRow, clusters: Record<string, string>, version: number): VolumeSpecRow {
  return { ...state, clusters, cluster_count: Object.keys(clusters).length, version };
}

/** Volume specs and their registrations rebuilt from the specs' streams. */
export const VOLUME_SPEC_REPLAY: StreamProjection<VolumeSpecRow> = {
  streamType: VOLUME_SPEC_STREAM,
  handles: [
    VolumeSpecCreated.type,
    VolumeSpecUpdated.type,
    VolumeSpecDeleted.type,
    VolumeSpecRegistered.type,
    VolumeSpecUnregistered.type,
  ],
  apply(state, event) {
    switch (event.type) {
      case VolumeSpecCreated.type:
        return {
          ...(event.data as unknown as VolumeSpecState),
          key: event.streamId,
          version: event.version,
          cluster_count: 0,
          clusters: {},
        };
      case VolumeSpecUpdated.type:
        return state && { ...state, ...(event.data as VolumeSpecUpdated['data']).changes, version: event.version };
      case VolumeSpecDeleted.type:
        return undefined;
      case VolumeSpecRegistered.type: {
        const data = event.data as VolumeSpecRegistered['data'];
        return state && withClusters(state, { ...state.clusters, [data.cluster_uuid]: data.created_at }, event.version);
      }
      case VolumeSpecUnregistered.type: {
        if (!state) return state;
        const clusters = { ...state.clusters };
        delete clusters[(event.data as VolumeSpecUnregistered['data']).cluster_uuid];
        return withClusters(state, clusters, event.version);
      }
      default:
        throw new Error(`unknown event ${event.type} on stream ${VOLUME_SPEC_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    const specs = await loadEntityPage(manager, VolumeSpecEntity, 'uuid', page);
    if (specs.length === 0) return [];
    const clustersOf = new Map<string, Record<string, string>>();
    const relations = await manager.find(ClusterVolumeSpecEntity, { where: { volumeSpecUuid: In(specs.map((s) => s.uuid)) } });
    for (const relation of relations) {
      const clusters = clustersOf.get(relation.volumeSpecUuid) ?? {};
      clusters[relation.clusterUuid] = relation.createdAt.toISOString();
      clustersOf.set(relation.volumeSpecUuid, clusters);
    }
    return specs.map((spec) => ({
      ...toVolumeSpecState(spec),
      key: spec.uuid,
      version: spec.version,
      cluster_count: spec.clusterCount,
      clusters: clustersOf.get(spec.uuid) ?? {},
    }));
  },
};
