import { Role } from '@chime/contracts';
import { NotFoundError, PermissionDeniedError } from '../../platform/errors/domain-error';
import { assertIdle, bytes, ended, operationFields, operationLabel, perGib, started } from './operations';
import { Ownership } from '../../platform/domain/ownership';

const GIB = 2 ** 30;

describe('storage operations', () => {
  it("gives a volume its spec's IOPS and throughput per GiB, within the spec's bounds (ChimeStack's rule)", () => {
    // ChimeStack's "Standard" spec: 500–5000 IOPS, 50 per GiB; 10–100 MiB/s, 1 MiB/s per GiB.
    expect(perGib(50, 500, 5000, 20 * GIB)).toBe(1000);
    expect(perGib(1048576, 10485760, 104857600, 20 * GIB)).toBe(20 * 1048576);
    expect(perGib(50, 500, 5000, GIB)).toBe(500);
    expect(perGib(50, 500, 5000, 1000 * GIB)).toBe(5000);
    expect(perGib(0, 0, 0, GIB)).toBe(0);
  });

  it('names running operations as ChimeStack does, and says when they started and ended', () => {
    expect(operationLabel('create', 'r-1')).toBe('Creating#r-1');
    expect(operationLabel('restore', null)).toBe('Restoring');
    const now = new Date('2026-12-04T00:00:00.000Z');
    const running = started('delete', 'r-2', now);
    expect(operationFields(running)).toEqual({
      operation: 'Deleting#r-2',
      last_operation_name: 'delete',
      last_operation_state: 0,
      last_operation_created_at: '2026-12-04T00:00:00.000Z',
      last_operation_finished_at: null,
    });
    expect(ended(false, now)).toEqual({ operation: '', lastOperationState: 2, lastOperationFinishedAt: now });
    expect(() => assertIdle('volume', 'v-1', 'Deleting#r-2')).toThrow(/volume v-1 is busy \(Deleting#r-2\)/);
    expect(() => assertIdle('volume', 'v-1', '')).not.toThrow();
  });

  it('writes bytes with GiB beside them', () => {
    expect(bytes(10 * GIB)).toBe(`${10 * GIB} bytes (10 GiB)`);
    expect(bytes(GIB / 2)).toBe(`${GIB / 2} bytes (0.50 GiB)`);
  });
});

describe('who may see and change volumes', () => {
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
