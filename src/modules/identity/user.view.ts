import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { Role, type AuthResult, type LoginResult, type UserDefaultView, type UserView } from '@chime/contracts';
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

const ROLES = {
  enum: [Role.User, Role.ReadOnlyAdmin, Role.Admin, Role.SuperAdmin],
  description: '0 user, 1 read-only administrator, 2 administrator, 3 super administrator',
};

/** The wire shape of a user, for the OpenAPI document. A password is never part of it. */
@ApiSchema({ name: 'User' })
export class UserViewSchema implements UserView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })
  name!: string;

  @ApiProperty({ maxLength: 64 })
  nick_name!: string;

  @ApiProperty({ maxLength: 1024 })
  avatar!: string;

  @ApiProperty(ROLES)
  role!: Role;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

/** A new session: `uuid` is the API token. */
@ApiSchema({ name: 'Session' })
export class SessionSchema implements Readonly<LoginResult['user']> {
  @ApiProperty({ format: 'uuid', description: 'the API token, for `Authorization: Bearer <token>`' })
  uuid!: string;

  @ApiProperty({ format: 'uuid' })
  user_uuid!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;

  @ApiProperty({ format: 'date-time', description: 'the token stops working then' })
  expired_at!: string;
}

/** A valid token's session, with who it belongs to. */
@ApiSchema({ name: 'SessionOwner' })
export class SessionOwnerSchema extends SessionSchema implements Readonly<AuthResult['user']> {
  @ApiProperty({ pattern: '^[A-Za-z0-9_.-]{1,64}$' })
  name!: string;

  @ApiProperty(ROLES)
  role!: Role;
}

@ApiSchema({ name: 'UserDefault' })
export class UserDefaultSchema implements UserDefaultView {
  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when unset or deleted since' })
  az_uuid!: string | null;

  @ApiProperty({ type: String, format: 'uuid', nullable: true, description: 'null when unset or deleted since' })
  clusters_uuid!: string | null;
}
