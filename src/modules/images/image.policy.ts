import { Role } from '@chime/contracts';
import { NotFoundError, PermissionDeniedError } from '../../platform/errors/domain-error';
import type { Actor } from '../../platform/http/request-context';
import { PUBLIC_BUCKET } from './image.contract';

/** What the rules need of an image: its bucket (its owner) and whether it is shared. */
export interface ImageAccess {
  uuid: string;
  bucketUuid: string;
  shared: number;
}

/**
 * Who sees an image: administrators (read-only ones too) every image; a user (role 0) public
 * images, its own (in its bucket, whose uuid is the user's) and those other users share.
 */
export function seesImage(actor: Actor, image: ImageAccess): boolean {
  return (
    actor.role >= Role.ReadOnlyAdmin ||
    image.bucketUuid === PUBLIC_BUCKET ||
    image.shared === 1 ||
    image.bucketUuid === actor.uuid
  );
}

/** The image if the actor sees it; 404 when there is none or the actor does not see it. */
export function visibleImage<T extends ImageAccess>(actor: Actor, image: T | undefined | null, uuid: string): T {
  if (!image || !seesImage(actor, image)) throw NotFoundError.of('image', uuid);
  return image;
}

/**
 * Who changes or deletes an image: administrators every image, users their own. A read-only
 * administrator changes nothing; a user gets 403 for an image it sees but does not own, and 404
 * for one it does not see (it must not learn that it exists).
 */
export function changeableImage<T extends ImageAccess>(actor: Actor, image: T | undefined | null, uuid: string): T {
  const seen = visibleImage(actor, image, uuid);
  if (actor.role === Role.ReadOnlyAdmin) throw new PermissionDeniedError('a read-only administrator changes no image');
  if (actor.role === Role.User && seen.bucketUuid !== actor.uuid) {
    throw new PermissionDeniedError(`image ${uuid} is not yours: a user changes only the images of its own bucket`);
  }
  return seen;
}

/** Who sees a bucket: administrators every one, a user the public bucket and its own. */
export function seesBucket(actor: Actor, bucketUuid: string): boolean {
  return actor.role >= Role.ReadOnlyAdmin || bucketUuid === PUBLIC_BUCKET || bucketUuid === actor.uuid;
}

/** A read-only administrator writes nothing, even what a user may write. */
export function refuseReadOnly(actor: Actor, what: string): void {
  if (actor.role === Role.ReadOnlyAdmin) throw new PermissionDeniedError(`a read-only administrator ${what}`);
}
