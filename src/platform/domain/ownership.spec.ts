import { Role } from '@chime/contracts';
import { NotFoundError, PermissionDeniedError } from '../errors/domain-error';
import { Ownership } from './ownership';

describe('who may see and change what users own', () => {
  const owner = 'u-1';
  const notFound = () => new NotFoundError('volume v not found');
  const actor = (role: Role, uuid = 'someone') => ({ uuid, name: 'n', role });

  it('limits a user to their own, and hides the others as not found', () => {
    expect(Ownership.ownerScope(actor(Role.User, owner))).toBe(owner);
    expect(() => Ownership.assertVisible(actor(Role.User, owner), owner, notFound)).not.toThrow();
    expect(() => Ownership.assertVisible(actor(Role.User), owner, notFound)).toThrow(NotFoundError);
    expect(() => Ownership.assertMayChange(actor(Role.User), owner, notFound)).toThrow(NotFoundError);
    expect(() => Ownership.assertMayCreate(actor(Role.User))).not.toThrow();
  });

  it('lets read-only administrators read everything and change nothing', () => {
    const reader = actor(Role.ReadOnlyAdmin);
    expect(Ownership.ownerScope(reader)).toBeUndefined();
    expect(() => Ownership.assertVisible(reader, owner, notFound)).not.toThrow();
    expect(() => Ownership.assertMayChange(reader, owner, notFound)).toThrow(PermissionDeniedError);
    expect(() => Ownership.assertMayCreate(reader)).toThrow(PermissionDeniedError);
  });

  it('lets administrators see and change all', () => {
    for (const role of [Role.Admin, Role.SuperAdmin]) {
      expect(Ownership.ownerScope(actor(role))).toBeUndefined();
      expect(() => Ownership.assertMayChange(actor(role), owner, notFound)).not.toThrow();
    }
  });
});
