import { Role, type UpdateUserRequest } from '@chime/contracts';
import { FailedPreconditionError, PermissionDeniedError } from '../../platform/errors/domain-error';
import type { Actor } from '../../platform/http/request-context';

/** Fields anyone may change on their own account, whatever their role. */
const SELF_SERVICE: ReadonlySet<keyof UpdateUserRequest> = new Set(['nick_name', 'avatar', 'password']);

interface Target {
  uuid: string;
  role: Role;
}

/**
 * Who may do what to users (API.md §3). An administrator manages users below its own role: an
 * administrator roles 0–1, the super administrator roles 0–2. Everyone may change their own
 * nick name, avatar and password (our reading of the matrix: a read-only administrator, too, must be
 * able to change its own password). The super administrator is never created, deleted or demoted.
 */
export const UserPolicy = {
  mayReadAll(actor: Actor): boolean {
    return actor.role >= Role.ReadOnlyAdmin;
  },

  assertMayRead(actor: Actor, userUuid: string): void {
    if (!UserPolicy.mayReadAll(actor) && actor.uuid !== userUuid) {
      throw new PermissionDeniedError('a user may only read its own account');
    }
  },

  assertMayCreate(actor: Actor, role: Role): void {
    if (role === Role.SuperAdmin) {
      if (actor.role === Role.SuperAdmin) throw new FailedPreconditionError('there is exactly one super administrator');
      throw new PermissionDeniedError('only administrators may create users, with roles below their own');
    }
    assertManages(actor, role, 'create');
  },

  assertMayUpdate(actor: Actor, target: Target, changes: UpdateUserRequest): void {
    const changed = (Object.keys(changes) as (keyof UpdateUserRequest)[]).filter((k) => changes[k] !== undefined);
    if (target.role === Role.SuperAdmin && changes.role !== undefined && changes.role !== Role.SuperAdmin) {
      if (actor.role === Role.SuperAdmin) throw new FailedPreconditionError('the super administrator cannot be demoted');
    }
    if (target.role === Role.SuperAdmin && changes.name !== undefined && actor.role === Role.SuperAdmin) {
      throw new FailedPreconditionError('the super administrator keeps its name');
    }
    if (actor.uuid === target.uuid && changed.every((field) => SELF_SERVICE.has(field))) return;
    assertManages(actor, target.role, 'update');
    if (changes.role !== undefined) {
      if (changes.role === Role.SuperAdmin && actor.role === Role.SuperAdmin) {
        throw new FailedPreconditionError('there is exactly one super administrator');
      }
      assertManages(actor, changes.role, 'grant');
    }
  },

  assertMayDelete(actor: Actor, target: Target): void {
    if (target.role === Role.SuperAdmin && actor.role === Role.SuperAdmin) {
      throw new FailedPreconditionError('the super administrator cannot be deleted');
    }
    assertManages(actor, target.role, 'delete');
  },

  /** Defaults: one's own, or anyone's for administrators. */
  assertMayUseDefaults(actor: Actor, userUuid: string): void {
    if (actor.uuid !== userUuid && actor.role < Role.Admin) {
      throw new PermissionDeniedError("only administrators may read or change another user's defaults");
    }
  },
};

function assertManages(actor: Actor, role: Role, what: 'create' | 'update' | 'delete' | 'grant'): void {
  if (actor.role < Role.Admin || role >= actor.role) {
    const subject = what === 'grant' ? 'grant that role' : `${what} users with that role`;
    throw new PermissionDeniedError(`your role may not ${subject}`);
  }
}
