import type { UserView } from '@chime/contracts';
import type { UserState } from './identity.events';
import type { UserEntity } from './user.entity';

export function toUserView(user: UserEntity): UserView {
  return {
    uuid: user.uuid,
    name: user.name,
    nick_name: user.nickName,
    avatar: user.avatar,
    role: user.role,
    created_at: user.createdAt.toISOString(),
  };
}

/** Events carry the same fields as the view. */
export const toUserState: (user: UserEntity) => UserState = toUserView;
