import { Role } from '@chime/contracts';
import { changeableImage, seesBucket, seesImage, visibleImage } from './image.policy';

const ALICE = '11111111-0000-4000-8000-000000000001';
const BOB = '11111111-0000-4000-8000-000000000002';
const actor = (uuid: string, role: Role) => ({ uuid, name: uuid.slice(-1), role });
const image = (bucketUuid: string, shared = 0) => ({ uuid: 'i', bucketUuid, shared });

describe('image policy', () => {
  it('shows a user public, own and shared images; administrators every one', () => {
    const bob = actor(BOB, Role.User);
    expect(seesImage(bob, image('public'))).toBe(true);
    expect(seesImage(bob, image(BOB))).toBe(true);
    expect(seesImage(bob, image(ALICE, 1))).toBe(true);
    expect(seesImage(bob, image(ALICE, 0))).toBe(false);
    for (const role of [Role.ReadOnlyAdmin, Role.Admin, Role.SuperAdmin])
      expect(seesImage(actor(BOB, role), image(ALICE))).toBe(true);
  });

  it('lets a user change its own only: 404 for what it does not see, 403 for what it sees', () => {
    const bob = actor(BOB, Role.User);
    expect(changeableImage(bob, image(BOB), 'i')).toEqual(image(BOB));
    expect(() => changeableImage(bob, image(ALICE), 'i')).toThrow(expect.objectContaining({ status: 'NOT_FOUND' }));
    expect(() => changeableImage(bob, image(ALICE, 1), 'i')).toThrow(expect.objectContaining({ status: 'PERMISSION_DENIED' }));
    expect(() => changeableImage(bob, image('public'), 'i')).toThrow(expect.objectContaining({ status: 'PERMISSION_DENIED' }));
    expect(() => changeableImage(bob, undefined, 'i')).toThrow(expect.objectContaining({ status: 'NOT_FOUND' }));
  });

  it('lets read-only administrators read all and change nothing, administrators change all', () => {
    expect(visibleImage(actor(BOB, Role.ReadOnlyAdmin), image(ALICE), 'i')).toEqual(image(ALICE));
    expect(() => changeableImage(actor(BOB, Role.ReadOnlyAdmin), image(BOB), 'i')).toThrow(
      expect.objectContaining({ status: 'PERMISSION_DENIED' }),
    );
    expect(changeableImage(actor(BOB, Role.Admin), image(ALICE), 'i')).toEqual(image(ALICE));
  });

  it('shows a user the public bucket and its own', () => {
    expect(seesBucket(actor(BOB, Role.User), 'public')).toBe(true);
    expect(seesBucket(actor(BOB, Role.User), BOB)).toBe(true);
    expect(seesBucket(actor(BOB, Role.User), ALICE)).toBe(false);
    expect(seesBucket(actor(BOB, Role.ReadOnlyAdmin), ALICE)).toBe(true);
  });
});
