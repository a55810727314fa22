import type { EntityManager } from 'typeorm';
import {
  passes,
  RESOURCE_COLUMNS,
  settleNames,
  sourceTime,
  sourceUuid,
  writeEach,
  type ImportContext,
  type Importer,
  type ImportWork,
  type SourceResourceRow,
} from '../../platform/import/importer';
import { insertBucketIfAbsent, publicBucket, userBucket } from './buckets';
import { ImageBucketType, ImageState, PUBLIC_BUCKET, type ImageFormat } from './image.contract';
import { CreateImageBucketDto, CreateImageDto } from './image.dto';
import { IMAGE_STREAM, ImageBucketEntity, ImageEntity } from './image.entity';
import { ImageCreated } from './image.events';
import { toImageAggregate } from './image.view';

const BUCKETS = 't_image_bucket';
const IMAGES = 't_image';
/** ChimeStack's deleted rows: chime.sql documents 4, its own rows show 5. */
const DELETED = new Set([4, 5]);
/** Image states kept as they are; 0 (being fetched there) comes in failed: no fetch runs here. */
const KEPT_STATES: Record<number, ImageState> = { 1: ImageState.Available, 2: ImageState.Suspended };

interface BucketSourceRow extends SourceResourceRow {
  type: number;
  owner: string;
  bucket_name: string;
}

interface ImageSourceRow extends SourceResourceRow {
  bucket_uuid: string;
  format: string;
  os_type: string;
  os_detail: string;
  os_arch: string;
  boot_type: string;
  shared: number;
  install_url: string;
}

/**
 * ChimeStack's `t_image_bucket` and `t_image` → image buckets and images, after the users. The
 * public bucket is kept as this server made it at its first start (or made now); a user's bucket
 * keeps its uuid, which must be its owner's. Images keep their uuid, bucket, state (1 available, 2
 * suspended) and fields, with no size or checksum (ChimeStack keeps none); one being fetched there
 * (0) comes in failed (10): no fetch runs here, delete it and register it again. Deleted rows (4, 5)
 * are skipped, and the images of a skipped bucket with them.
 */
export const IMAGES_IMPORTER: Importer = {
  name: 'images',
  after: ['identity'],
  async occupied(manager: EntityManager) {
    const images = await manager.count(ImageEntity);
    const buckets = await manager.count(ImageBucketEntity, { where: { type: ImageBucketType.Private } });
    return [...(images > 0 ? [`${images} images`] : []), ...(buckets > 0 ? [`${buckets} private image buckets`] : [])];
  },
  async plan(context: ImportContext): Promise<ImportWork> {
    const { publicAt, buckets } = await planBuckets(context);
    const images = await planImages(context);
    const bucketWork = writeEach(BUCKETS, [publicBucket(publicAt), ...buckets], (tx, bucket) => insertBucketIfAbsent(tx, bucket));
    const imageWork = writeEach(IMAGES, images, async (tx, image) => {
      await tx.manager.insert(ImageEntity, image);
      await tx.append({ type: IMAGE_STREAM, id: image.uuid }, 0, [new ImageCreated(toImageAggregate(image))]);
    });
    return {
      rows: bucketWork.rows + imageWork.rows,
      async write(tx, done) {
        await bucketWork.write(tx, done);
        await imageWork.write(tx, done);
      },
    };
  },
};

async function planBuckets(context: ImportContext): Promise<{ publicAt: Date; buckets: ImageBucketEntity[] }> {
  const rows = await context.source.select<BucketSourceRow>(BUCKETS, [...RESOURCE_COLUMNS, 'type', 'owner', 'bucket_name']);
  let publicAt = context.startedAt;
  const buckets: ImageBucketEntity[] = [];
  context.ids.add('image_bucket', PUBLIC_BUCKET);
  context.report.count(BUCKETS, 0);
  for (const row of rows) {
    if (row.uuid === PUBLIC_BUCKET) {
      publicAt = sourceTime(row.created_at, context);
      context.report.count(BUCKETS);
      continue;
    }
    const uuid = sourceUuid(context, BUCKETS, row.uuid);
    if (!uuid) continue;
    if (DELETED.has(row.state)) {
      context.report.skip(BUCKETS, uuid, `deleted in ChimeStack (state ${row.state})`);
      context.ids.skipped('image_bucket', uuid);
      continue;
    }
    if (row.type !== ImageBucketType.Private) {
      context.report.problem(BUCKETS, uuid, `type ${row.type}: the only public bucket here is "public"`);
      continue;
    }
    const owner = (row.owner ?? '').toLowerCase();
    if (owner !== uuid) {
      context.report.problem(BUCKETS, uuid, `owner ${row.owner}: a user's bucket here has its owner's uuid`);
      continue;
    }
    if (!context.ids.get('user', owner)) {
      // Its owner was deleted in ChimeStack (or is not imported): the bucket and its images go with it.
      context.report.skip(BUCKETS, uuid, `its user ${owner} is not imported`);
      context.ids.skipped('image_bucket', uuid);
      continue;
    }
    const bucket = userBucket(uuid, { bucketName: row.bucket_name || uuid, description: row.description ?? '' });
    const fields = { name: uuid, bucket_name: bucket.bucketName, description: bucket.description, type: ImageBucketType.Private };
    if (!passes(context, BUCKETS, uuid, CreateImageBucketDto, fields)) continue;
    buckets.push({ ...bucket, createdAt: sourceTime(row.created_at, context) });
    context.ids.add('image_bucket', uuid);
    context.report.count(BUCKETS);
  }
  return { publicAt, buckets };
}

async function planImages(context: ImportContext): Promise<ImageEntity[]> {
  const rows = await context.source.select<ImageSourceRow>(IMAGES, [
    ...RESOURCE_COLUMNS,
    'bucket_uuid',
    'format',
    'os_type',
    'os_detail',
    'os_arch',
    'boot_type',
    'shared',
    'install_url',
  ]);
  const live: { row: ImageSourceRow; uuid: string; bucketUuid: string; state: ImageState; createdAt: Date }[] = [];
  for (const row of rows) {
    const uuid = sourceUuid(context, IMAGES, row.uuid);
    if (!uuid) continue;
    if (DELETED.has(row.state)) {
      context.report.skip(IMAGES, uuid, `deleted in ChimeStack (state ${row.state})`);
      continue;
    }
    let state = KEPT_STATES[row.state];
    if (row.state === 0) {
      state = ImageState.Failed;
      context.report.notes.push(
        `${IMAGES} ${uuid}: being fetched in ChimeStack (state 0); no fetch runs here, so it comes in failed (10): delete it and register it again`,
      );
    }
    if (state === undefined) {
      context.report.problem(IMAGES, uuid, `unknown state ${row.state}`);
      continue;
    }
    const bucketUuid = (row.bucket_uuid ?? '').toLowerCase();
    if (!context.ids.parent(context, { table: IMAGES, uuid }, 'image_bucket', bucketUuid)) continue;
    live.push({ row, uuid, bucketUuid, state, createdAt: sourceTime(row.created_at, context) });
  }
  const names = settleNames(
    context,
    IMAGES,
    live.map(({ row, uuid, bucketUuid, createdAt }) => ({ uuid, name: row.name, createdAt, bucketUuid })),
    (row) => row.bucketUuid,
  );
  const images: ImageEntity[] = [];
  for (const { row, uuid, bucketUuid, state, createdAt } of live) {
    const image: ImageEntity = {
      uuid,
      name: names.get(uuid)!,
      description: row.description ?? '',
      state,
      operation: '',
      bucketUuid,
      format: row.format as ImageFormat,
      osType: row.os_type ?? '',
      osDetail: row.os_detail ?? '',
      osArch: row.os_arch ?? '',
      bootType: row.boot_type ?? '',
      shared: row.shared === 1 ? 1 : 0,
      installUrl: row.install_url ?? '',
      size: 0,
      checksum: '',
      version: 1,
      createdAt,
    };
    const fields = {
      name: image.name,
      description: image.description,
      format: row.format,
      install_url: image.installUrl,
      os_type: image.osType,
      os_detail: image.osDetail,
      os_arch: image.osArch,
      boot_type: image.bootType,
      shared: row.shared,
    };
    if (!passes(context, IMAGES, uuid, CreateImageDto, fields)) continue;
    images.push(image);
    // Volumes made from it refer to it (the storage importer).
    context.ids.add('image', uuid);
  }
  context.report.count(IMAGES, images.length);
  return images;
}
