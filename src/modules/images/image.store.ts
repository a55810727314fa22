import type { EntityManager } from 'typeorm';
import { EntityRows } from '../../platform/database/entity-rows';
import { describeForeignKey, describeUniqueConstraint } from '../../platform/database/database-errors';
import { NotFoundError } from '../../platform/errors/domain-error';
import {
  ImageBucketEntity,
  ImageBucketRowEntity,
  ImageBucketVisibleRowEntity,
  ImageEntity,
  ImageRowEntity,
  ImageVisibleRowEntity,
} from './image.entity';

describeUniqueConstraint('images_bucket_name_key', 'an image with this name is already in the bucket');
describeUniqueConstraint('image_buckets_pkey', 'the image bucket already exists');
describeForeignKey('images_bucket_uuid_fkey', 'the image bucket still holds images; delete them first');
// volumes_image_uuid_fkey (volumes made from an image keep it) is the storage module's, and described there.

export const IMAGE_ROWS = new EntityRows(ImageEntity);
export const IMAGE_VIEW_ROWS = new EntityRows(ImageRowEntity);
export const IMAGE_VISIBLE_ROWS = new EntityRows(ImageVisibleRowEntity);
export const BUCKET_ROWS = new EntityRows(ImageBucketEntity);
export const BUCKET_VIEW_ROWS = new EntityRows(ImageBucketRowEntity);
export const BUCKET_VISIBLE_ROWS = new EntityRows(ImageBucketVisibleRowEntity);

/** The image, its row locked until the commit, or undefined. */
export function lockImageIfPresent(manager: EntityManager, uuid: string): Promise<ImageEntity | undefined> {
  return IMAGE_ROWS.findOne(manager, { uuid }, { lock: true });
}

/** The image as views show it; 404 when there is none. */
export async function findImageRow(manager: EntityManager, uuid: string): Promise<ImageRowEntity> {
  const row = await IMAGE_VIEW_ROWS.findOne(manager, { uuid });
  if (!row) throw NotFoundError.of('image', uuid);
  return row;
}

/** The bucket, its row locked until the commit, or undefined. */
export function lockBucketIfPresent(manager: EntityManager, uuid: string): Promise<ImageBucketEntity | undefined> {
  return BUCKET_ROWS.findOne(manager, { uuid }, { lock: true });
}

/** The bucket as views show it; 404 when there is none. */
export async function findBucketRow(manager: EntityManager, uuid: string): Promise<ImageBucketRowEntity> {
  const row = await BUCKET_VIEW_ROWS.findOne(manager, { uuid });
  if (!row) throw NotFoundError.of('image bucket', uuid);
  return row;
}
