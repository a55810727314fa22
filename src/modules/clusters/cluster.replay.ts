import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { CLUSTER_STREAM, ClusterEntity } from './cluster.entity';
import {
  type ClusterState,
  ClusterCreated,
  ClusterDeleted,
  ClusterDisabled,
  ClusterEnabled,
  ClusterUpdated,
} from './cluster.events';
import { toClusterState } from './cluster.view';

type ClusterRow = ClusterState & { key: string; version: number };

/** Clusters rebuilt from their events, for `npm run verify:replay`. */
export const CLUSTER_REPLAY: StreamProjection<ClusterRow> = {
  streamType: CLUSTER_STREAM,
  handles: [ClusterCreated.type, ClusterUpdated.type, ClusterEnabled.type, ClusterDisabled.type, ClusterDeleted.type],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case ClusterCreated.type:
        return { ...(data as unknown as ClusterState), key: event.streamId, version: event.version };
      case ClusterUpdated.type:
        return state && { ...state, ...(data.changes as Partial<ClusterState>), version: event.version };
      case ClusterEnabled.type:
        return state && { ...state, state: 1, version: event.version };
      case ClusterDisabled.type:
        return state && { ...state, state: 0, version: event.version };
      case ClusterDeleted.type:
        return undefined;
      default:
        throw new Error(`unknown event ${event.type} on stream ${CLUSTER_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, ClusterEntity, 'uuid', page)).map((c) => ({
      ...toClusterState(c),
      key: c.uuid,
      version: c.version,
    }));
  },
};
