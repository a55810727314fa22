import type { EventStore, Transaction } from '@chime/event-log';
import { ImageBucketState, ImageBucketType, PUBLIC_BUCKET } from './image.contract';
import { IMAGE_BUCKET_STREAM, type ImageBucketEntity } from './image.entity';
import { ImageBucketCreated } from './image.events';
import { lockBucketIfPresent } from './image.store';
import { toImageBucketAggregate } from './image.view';

/** The public bucket as it is created (by PublicBucket at the first start). */
export function publicBucket(createdAt = new Date()): ImageBucketEntity {
  return {
    uuid: PUBLIC_BUCKET,
    name: PUBLIC_BUCKET,
    bucketName: PUBLIC_BUCKET,
    description: 'public image bucket',
    type: ImageBucketType.Public,
    state: ImageBucketState.Available,
    ownerUuid: null,
    version: 1,
    createdAt,
  };
}

/** A user's own bucket: its uuid and name are the user's uuid (as ChimeStack names them). */
export function userBucket(userUuid: string, fields: { bucketName?: string; description?: string } = {}): ImageBucketEntity {
  return {
    uuid: userUuid,
    name: userUuid,
    bucketName: fields.bucketName ?? userUuid,
    description: fields.description ?? '',
    type: ImageBucketType.Private,
    state: ImageBucketState.Available,
    ownerUuid: userUuid,
    version: 1,
    createdAt: new Date(),
  };
}

/**
 * Inserts the bucket with its ImageBucketCreated event unless a bucket of that uuid exists (then
 * nothing: false). Two transactions inserting the same bucket take turns on the key: the second
 * waits for the first to commit and then inserts nothing.
 */
export async function insertBucketIfAbsent(tx: Transaction, bucket: ImageBucketEntity): Promise<boolean> {
  const inserted: unknown[] = await tx.manager.query(
    `INSERT INTO image_buckets (uuid, name, bucket_name, description, type, state, owner_uuid, version, created_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (uuid) DO NOTHING RETURNING uuid`,
    [
      bucket.uuid,
      bucket.name,
      bucket.bucketName,
      bucket.description,
      bucket.type,
      bucket.state,
      bucket.ownerUuid,
      bucket.version,
      bucket.createdAt,
    ],
  );
  if (inserted.length === 0) return false;
  await tx.append({ type: IMAGE_BUCKET_STREAM, id: bucket.uuid }, bucket.version - 1, [
    new ImageBucketCreated(toImageBucketAggregate(bucket)),
  ]);
  return true;
}

/** The user's own bucket, created when it has none yet; its row locked until the commit. */
export async function lockOwnBucket(tx: Transaction, events: EventStore, userUuid: string): Promise<ImageBucketEntity> {
  const found = await lockBucketIfPresent(tx.manager, userUuid);
  if (found) return found;
  const bucket = await nextVersionOf(tx, events, userBucket(userUuid));
  await insertBucketIfAbsent(tx, bucket);
  return (await lockBucketIfPresent(tx.manager, userUuid))!;
}

/**
 * A bucket deleted before is created again on its stream (the uuid is its owner's): its version
 * goes on from the stream's last one.
 */
export async function nextVersionOf(tx: Transaction, events: EventStore, bucket: ImageBucketEntity): Promise<ImageBucketEntity> {
  const previous = (await events.readStream(IMAGE_BUCKET_STREAM, bucket.uuid, tx.manager)).at(-1)?.version ?? 0;
  return { ...bucket, version: previous + 1 };
}
