import { SetMetadata } from '@nestjs/common';
import { Role } from '@chime/contracts';

export const MIN_ROLE = 'chime:min-role';

/** The least role that may call a route (API.md §3); finer rules live in the handlers' policies. */
export const MinRole = (role: Role) => SetMetadata(MIN_ROLE, role);

export const ROLE_NAMES: Readonly<Record<Role, string>> = {
  [Role.User]: 'user',
  [Role.ReadOnlyAdmin]: 'read-only administrator',
  [Role.Admin]: 'administrator',
  [Role.SuperAdmin]: 'super administrator',
};
