import { Role } from '@chime/contracts';
import { PermissionDeniedError, type NotFoundError } from '../errors/domain-error';
import type { Actor } from '../http/request-context';

/**
 * Who may see and change what users own (volumes, snapshots, VMs, NICs, security groups; README,
 * "Who may do what"): a user (role 0) sees and changes only their own, and someone else's is "not
 * found" to them; read-only administrators see all and change nothing; administrators see and
 * change all.
 */
export const Ownership = {
  /** The owner a list is limited to: the caller, for a user; nobody's in particular for administrators. */
  ownerScope(actor: Actor): string | undefined {
    return actor.role === Role.User ? actor.uuid : undefined;
  },

  assertVisible(actor: Actor, ownerUuid: string, notFound: () => NotFoundError): void {
    if (actor.role === Role.User && ownerUuid !== actor.uuid) throw notFound();
  },

  /** Creating one's own: anyone but a read-only administrator. */
  assertMayCreate(actor: Actor): void {
    if (actor.role === Role.ReadOnlyAdmin) throw new PermissionDeniedError('read-only administrators change nothing');
  },

  assertMayChange(actor: Actor, ownerUuid: string, notFound: () => NotFoundError): void {
    Ownership.assertVisible(actor, ownerUuid, notFound);
    if (actor.role === Role.ReadOnlyAdmin) throw new PermissionDeniedError('read-only administrators change nothing');
  },
};
