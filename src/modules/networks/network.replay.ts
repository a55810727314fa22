import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { NETWORK_STREAM, NetworkEntity } from './network.entity';
import {
  type NetworkState,
  type SubnetState,
  NetworkCreated,
  NetworkDeleted,
  NetworkUpdated,
  SubnetCreated,
  SubnetDeleted,
  SubnetUpdated,
} from './network.events';
import { toNetworkState } from './network.view';
import { SUBNET_STREAM, SubnetEntity } from './subnet.entity';
import { toSubnetState } from './subnet.view';

type NetworkRow = NetworkState & { key: string; version: number };
type SubnetRow = SubnetState & { key: string; version: number };

/** Networks rebuilt from their events, for `npm run verify:replay`. */
export const NETWORK_REPLAY: StreamProjection<NetworkRow> = {
  streamType: NETWORK_STREAM,
  handles: [NetworkCreated.type, NetworkUpdated.type, NetworkDeleted.type],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case NetworkCreated.type:
        return { ...(data as unknown as NetworkState), key: event.streamId, version: event.version };
      case NetworkUpdated.type:
        return state && { ...state, ...(data.changes as Partial<NetworkState>), version: event.version };
      case NetworkDeleted.type:
        return undefined;
      default:
        throw new Error(`unknown event ${event.type} on stream ${NETWORK_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, NetworkEntity, 'uuid', page)).map((n) => ({
      ...toNetworkState(n),
      key: n.uuid,
      version: n.version,
    }));
  },
};

/** Subnets rebuilt from their events, for `npm run verify:replay`. */
export const SUBNET_REPLAY: StreamProjection<SubnetRow> = {
  streamType: SUBNET_STREAM,
  handles: [SubnetCreated.type, SubnetUpdated.type, SubnetDeleted.type],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case SubnetCreated.type:
        return { ...(data as unknown as SubnetState), key: event.streamId, version: event.version };
      case SubnetUpdated.type:
        return state && { ...state, ...(data.changes as Partial<SubnetState>), version: event.version };
      case SubnetDeleted.type:
        return undefined;
      default:
        throw new Error(`unknown event ${event.type} on stream ${SUBNET_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, SubnetEntity, 'uuid', page)).map((s) => ({
      ...toSubnetState(s),
      key: s.uuid,
      version: s.version,
    }));
  },
};
