import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { NIC_STREAM, NicEntity } from './nic.entity';
import { NicCreated, NicDeleted, NicUpdated, type NicState } from './nic.events';
import { toNicState } from './nic.view';

type NicRow = NicState & { key: string; version: number };

/** NICs rebuilt from their events, for `npm run verify:replay`. */
export const NIC_REPLAY: StreamProjection<NicRow> = {
  streamType: NIC_STREAM,
  handles: [NicCreated.type, NicUpdated.type, NicDeleted.type],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case NicCreated.type:
        return { ...(data as unknown as NicState), key: event.streamId, version: event.version };
      case NicUpdated.type:
        return state && { ...state, ...(data.changes as Partial<NicState>), version: event.version };
      case NicDeleted.type:
        return undefined;
      default:
        throw new Error(`unknown event ${event.type} on stream ${NIC_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, NicEntity, 'uuid', page)).map((nic) => ({ ...toNicState(nic), key: nic.uuid, version: nic.version }));
  },
};
