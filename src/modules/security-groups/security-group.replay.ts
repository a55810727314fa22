import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { SECURITY_GROUP_STREAM, SecurityGroupEntity } from './security-group.entity';
import { SecurityGroupCreated, SecurityGroupDeleted, SecurityGroupUpdated, type SecurityGroupState } from './security-group.events';
import { toSecurityGroupView } from './security-group.view';

type SecurityGroupRow = SecurityGroupState & { key: string; version: number };

/** Security groups rebuilt from their streams, for `npm run verify:replay`. */
export const SECURITY_GROUP_REPLAY: StreamProjection<SecurityGroupRow> = {
  streamType: SECURITY_GROUP_STREAM,
  handles: [SecurityGroupCreated.type, SecurityGroupUpdated.type, SecurityGroupDeleted.type],
  apply(state, event) {
    switch (event.type) {
      case SecurityGroupCreated.type:
        return { ...(event.data as unknown as SecurityGroupState), key: event.streamId, version: event.version };
      case SecurityGroupUpdated.type: {
        const { changes, updated_at } = event.data as SecurityGroupUpdated['data'];
        return state && { ...state, ...changes, updated_at, version: event.version };
      }
      case SecurityGroupDeleted.type:
        return undefined;
      default:
        throw new Error(`unknown event ${event.type} on stream ${SECURITY_GROUP_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    const groups = await loadEntityPage(manager, SecurityGroupEntity, 'uuid', page);
    return groups.map((group) => ({ ...toSecurityGroupView(group), key: group.uuid, version: group.version }));
  },
};
