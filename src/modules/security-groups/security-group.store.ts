import type { EntityManager } from 'typeorm';
import { describeUniqueConstraint } from '../../platform/database/database-errors';
import { Ownership } from '../../platform/domain/ownership';
import { NotFoundError } from '../../platform/errors/domain-error';
import type { Actor } from '../../platform/http/request-context';
import { SecurityGroupEntity } from './security-group.entity';

describeUniqueConstraint('security_groups_name_key', 'you have a security group with this name already');

export const securityGroupNotFound = (uuid: string) => NotFoundError.of('security group', uuid);

/** The group the actor may see (role 0: its own; someone else's is 404), its row locked FOR UPDATE when `lock`. */
export async function visibleSecurityGroup(
  manager: EntityManager,
  actor: Actor,
  uuid: string,
  lock = false,
): Promise<SecurityGroupEntity> {
  const group = await manager.findOne(SecurityGroupEntity, {
    where: { uuid },
    ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
  });
  if (!group) throw securityGroupNotFound(uuid);
  Ownership.assertVisible(actor, group.userUuid, () => securityGroupNotFound(uuid));
  return group;
}

/** The group the actor may change, locked: 404 as above, 403 for read-only administrators. */
export async function changeableSecurityGroup(manager: EntityManager, actor: Actor, uuid: string): Promise<SecurityGroupEntity> {
  const group = await visibleSecurityGroup(manager, actor, uuid, true);
  Ownership.assertMayChange(actor, group.userUuid, () => securityGroupNotFound(uuid));
  return group;
}
