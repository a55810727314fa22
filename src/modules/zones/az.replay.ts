import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { AZ_STREAM, AzEntity } from './az.entity';
import { type AzState, AzCreated, AzDeleted, AzDisabled, AzEnabled, AzUpdated } from './az.events';
import { toAzView } from './az.view';

type AzRow = AzState & { key: string; version: number };

/** AZs rebuilt from their events, for `npm run verify:replay`. */
export const AZ_REPLAY: StreamProjection<AzRow> = {
  streamType: AZ_STREAM,
  handles: [AzCreated.type, AzUpdated.type, AzEnabled.type, AzDisabled.type, AzDeleted.type],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case AzCreated.type:
        return { ...(data as unknown as AzState), key: event.streamId, version: event.version };
      case AzUpdated.type:
        return state && { ...state, ...(data.changes as Partial<AzState>), version: event.version };
      case AzEnabled.type:
        return state && { ...state, state: 1, version: event.version };
      case AzDisabled.type:
        return state && { ...state, state: 0, version: event.version };
      case AzDeleted.type:
        return undefined;
      default:
        throw new Error(`unknown event ${event.type} on stream ${AZ_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, AzEntity, 'uuid', page)).map((az) => ({
      ...toAzView(az),
      key: az.uuid,
      version: az.version,
    }));
  },
};
