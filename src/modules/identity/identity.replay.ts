import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import {
  type UserState,
  TokenIssued,
  TokenRevoked,
  UserCreated,
  UserDefaultChanged,
  UserDeleted,
  UserPasswordChanged,
  UserPasswordRehashed,
  UserUpdated,
} from './identity.events';
import { TOKEN_STREAM, TokenEntity } from './token.entity';
import { USER_STREAM, UserEntity } from './user.entity';
import { toUserState } from './user.view';

/** Everything of a user but its password hash, which no event carries. */
type UserRow = UserState & { key: string; version: number; default_az_uuid: string | null; default_clusters_uuid: string | null };

/** Users rebuilt from their events, for `npm run verify:replay`. */
export const USER_REPLAY: StreamProjection<UserRow> = {
  streamType: USER_STREAM,
  handles: [
    UserCreated.type,
    UserUpdated.type,
    UserPasswordChanged.type,
    UserPasswordRehashed.type,
    UserDefaultChanged.type,
    UserDeleted.type,
  ],
  apply(state, event) {
    const data = event.data as Record<string, unknown>;
    switch (event.type) {
      case UserCreated.type:
        return {
          ...(data as unknown as UserState),
          key: event.streamId,
          version: event.version,
          default_az_uuid: null,
          default_clusters_uuid: null,
        };
      case UserUpdated.type:
        return state && { ...state, ...(data.changes as Partial<UserState>), version: event.version };
      case UserPasswordChanged.type:
      case UserPasswordRehashed.type:
        return state && { ...state, version: event.version };
      case UserDefaultChanged.type:
        return (
          state && {
            ...state,
            default_az_uuid: data.az_uuid as string | null,
            default_clusters_uuid: data.clusters_uuid as string | null,
            version: event.version,
          }
        );
      case UserDeleted.type:
        return undefined;
      default:
        throw new Error(`unknown event ${event.type} on stream ${USER_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, UserEntity, 'uuid', page)).map((u) => ({
      ...toUserState(u),
      key: u.uuid,
      version: u.version,
      default_az_uuid: u.defaultAzUuid,
      default_clusters_uuid: u.defaultClustersUuid,
    }));
  },
};

interface TokenRow {
  key: string;
  user_uuid: string;
  created_at: string;
  expired_at: string;
  revoked: boolean;
  version: number;
}

/** Sessions rebuilt from their events. Dead ones (revoked or expired) may have been swept from the table. */
export const TOKEN_REPLAY: StreamProjection<TokenRow> = {
  streamType: TOKEN_STREAM,
  handles: [TokenIssued.type, TokenRevoked.type],
  apply(state, event) {
    const data = event.data as Record<string, string>;
    switch (event.type) {
      case TokenIssued.type:
        return {
          key: event.streamId,
          user_uuid: data.user_uuid,
          created_at: data.created_at,
          expired_at: data.expired_at,
          revoked: false,
          version: event.version,
        };
      case TokenRevoked.type:
        return state && { ...state, revoked: true, version: event.version };
      default:
        throw new Error(`unknown event ${event.type} on stream ${TOKEN_STREAM}`);
    }
  },
  async load(manager: EntityManager, page) {
    return (await loadEntityPage(manager, TokenEntity, 'id', page)).map((t) => ({
      key: t.id,
      user_uuid: t.userUuid,
      created_at: t.createdAt.toISOString(),
      expired_at: t.expiresAt.toISOString(),
      revoked: t.revokedAt !== null,
      version: t.version,
    }));
  },
  mayBeAbsent: (row) => row.revoked || Date.parse(row.expired_at) <= Date.now(),
};
