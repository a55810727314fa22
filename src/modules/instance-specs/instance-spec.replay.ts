import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import { In, type EntityManager } from 'typeorm';
import { ClusterInstanceSpecEntity, INSTANCE_SPEC_STREAM, InstanceSpecEntity } from './instance-spec.entity';
import {
  type InstanceSpecState,
  InstanceSpecCreated,
  InstanceSpecDeleted,
  InstanceSpecRegistered,
  InstanceSpecUnregistered,
  InstanceSpecUpdated,
} from './instance-spec.events';
import { toInstanceSpecState } from './instance-spec.view';

/**
 * A spec with its registrations: the instance_specs row, and its cluster_instance_specs rows as
 * cluster uuid → registration time. (The foreign key keeps every registration under a spec.)
 */
type InstanceSpecRow = InstanceSpecState & {
  key: string;
  version: number;
  cluster_count: number;
  clusters: Record<string, string>;
};

function withClusters(state: InstanceSpecRow, clusters: Record<string, string>, version: number): InstanceSpecRow {
  return { ...state, clusters, cluster_count: Object.keys(clusters).length, version };
}

/** Specs and their registrations rebuilt from the specs' streams, for `npm run verify:replay`. */
export const INSTANCE_SPEC_REPLAY: StreamProjection<InstanceSpecRow> = {
  streamType: INSTANCE_SPEC_STREAM,
  handles: [
    InstanceSpecCreated.type,
    InstanceSpecUpdated.type,
    InstanceSpecDeleted.type,
    InstanceSpecRegistered.type,
    InstanceSpecUnregistered.type,
  ],
  apply(state, event) {
    switch (event.type) {
      case InstanceSpecCreated.type:
        return {
          ...(event.data as unknown as InstanceSpecState),
          key: event.streamId,
          version: event.version,
          cluster_count: 0,
          clusters: {},
        };
      case InstanceSpecUpdated.type: {
        const { changes } = event.data as InstanceSpecUpdated['data'];
        return state && { ...state, ...changes, version: event.version };
      }
      case InstanceSpecDeleted.type:
        return undefined;
      case InstanceSpecRegistered.type: {
        const data = event.data as InstanceSpecRegistered['data'];
        return state && withClusters(state, { ...state.clusters, [data.cluster_uuid]: data.created_at }, event.version);
      }
      case InstanceSpecUnregistered.type: {
        if (!state) return state;
        const clusters = { ...state.clusters };
        delete clusters[(event.data as InstanceSpecUnregistered['data']).cluster_uuid];
        return withClusters(state, clusters, event.version);
      }
      default:
        throw new Error(`unknown event ${event.type} on stream ${INSTANCE_SPEC_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    const specs = await loadEntityPage(manager, InstanceSpecEntity, 'uuid', page);
    if (specs.length === 0) return [];
    const clustersOf = new Map<string, Record<string, string>>();
    const relations = await manager.find(ClusterInstanceSpecEntity, {
      where: { instanceSpecUuid: In(specs.map((s) => s.uuid)) },
    });
    for (const relation of relations) {
      const clusters = clustersOf.get(relation.instanceSpecUuid) ?? {};
      clusters[relation.clusterUuid] = relation.createdAt.toISOString();
      clustersOf.set(relation.instanceSpecUuid, clusters);
    }
    return specs.map((spec) => ({
      ...toInstanceSpecState(spec),
      key: spec.uuid,
      version: spec.version,
      cluster_count: spec.clusterCount,
      clusters: clustersOf.get(spec.uuid) ?? {},
    }));
  },
};
