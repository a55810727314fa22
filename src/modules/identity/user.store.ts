import type { EntityManager } from 'typeorm';
import { NotFoundError } from '../../platform/errors/domain-error';
import { describeUniqueConstraint } from '../../platform/database/database-errors';
import { EntityRows } from '../../platform/database/entity-rows';
import { UserEntity } from './user.entity';

describeUniqueConstraint('users_name_key', 'a user with this name already exists');
describeUniqueConstraint('users_one_super_admin_key', 'there is exactly one super administrator');

export const USER_ROWS = new EntityRows(UserEntity);

/** Loads a user and locks its row for the rest of the transaction; 404 when there is none. */
export async function lockUser(manager: EntityManager, uuid: string): Promise<UserEntity> {
  const user = await USER_ROWS.findOne(manager, { uuid }, { lock: true });
  if (!user) throw NotFoundError.of('user', uuid);
  return user;
}

export async function findUser(manager: EntityManager, uuid: string): Promise<UserEntity> {
  const user = await USER_ROWS.findOne(manager, { uuid });
  if (!user) throw NotFoundError.of('user', uuid);
  return user;
}
