import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import {
  IMAGE_FORMATS,
  IMAGE_LIMITS,
  IMAGE_STATES,
  ImageBucketState,
  ImageBucketType,
  type ImageBucketView,
  type ImageFormat,
  type ImageState,
  type ImageStatisticView,
  type ImageView,
} from './image.contract';
import type { ImageBucketEntity, ImageBucketRowEntity, ImageEntity, ImageRowEntity } from './image.entity';
import type { ImageAggregate, ImageBucketAggregate } from './image.events';

export function toImageAggregate(image: ImageEntity | ImageRowEntity): ImageAggregate {
  return {
    uuid: image.uuid,
    name: image.name,
    description: image.description,
    state: image.state,
    operation: image.operation,
    bucket_uuid: image.bucketUuid,
    format: image.format,
    os_type: image.osType,
    os_detail: image.osDetail,
    os_arch: image.osArch,
    boot_type: image.bootType,
    shared: image.shared,
    install_url: image.installUrl,
    size: image.size,
    checksum: image.checksum,
    created_at: image.createdAt.toISOString(),
  };
}

export function toImageView(row: ImageRowEntity): ImageView {
  return Object.assign(toImageAggregate(row), { bucket_name: row.bucketName }); // not a spread: see toClusterView
}

export function toImageBucketAggregate(bucket: ImageBucketEntity): ImageBucketAggregate {
  return {
    uuid: bucket.uuid,
    name: bucket.name,
    bucket_name: bucket.bucketName,
    description: bucket.description,
    type: bucket.type,
    state: bucket.state,
    owner_uuid: bucket.ownerUuid,
    created_at: bucket.createdAt.toISOString(),
  };
}

export function toImageBucketView(row: ImageBucketRowEntity): ImageBucketView {
  return {
    uuid: row.uuid,
    name: row.name,
    bucket_name: row.bucketName,
    description: row.description,
    type: row.type,
    state: row.state,
    user_name: row.userName,
    image_count: row.imageCount,
    created_at: row.createdAt.toISOString(),
  };
}

const BUCKET_UUID = {
  description: "`public`, or the owning user's uuid",
  pattern: '^(public|[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$',
};
const LABEL = { maxLength: IMAGE_LIMITS.labelLength } as const;

/** The wire shape of an image, for the OpenAPI document. */
@ApiSchema({ name: 'Image' })
export class ImageViewSchema implements ImageView {
  @ApiProperty({ format: 'uuid' })
  uuid!: string;

  @ApiProperty({ minLength: 1, maxLength: IMAGE_LIMITS.nameLength })
  name!: string;

  @ApiProperty({ maxLength: 256 })
  description!: string;

  @ApiProperty({
    enum: IMAGE_STATES,
    description: '0 being fetched by a node, 1 available, 2 suspended, 10 failed (the fetch failed)',
  })
  state!: ImageState;

  @ApiProperty({ description: 'the uuid of the task fetching the image while it is fetched, "" otherwise' })
  operation!: string;

  @ApiProperty(BUCKET_UUID)
  bucket_uuid!: string;

  @ApiProperty({ description: "the bucket's name" })
  bucket_name!: string;

  @ApiProperty({ enum: [...IMAGE_FORMATS] })
  format!: ImageFormat;

  @ApiProperty(LABEL)
  os_type!: string;

  @ApiProperty(LABEL)
  os_detail!: string;

  @ApiProperty(LABEL)
  os_arch!: string;

  @ApiProperty(LABEL)
  boot_type!: string;

  @ApiProperty({ enum: [0, 1], description: '1: every user sees it' })
  shared!: 0 | 1;

  @ApiProperty({ maxLength: IMAGE_LIMITS.urlLength })
  install_url!: string;

  @ApiProperty({
    type: 'integer',
    format: 'int64',
    minimum: 0,
    description: 'bytes, as the fetching node reported; 0 until fetched',
  })
  size!: number;

  @ApiProperty({ description: 'as the fetching node reported it (e.g. `sha256:…`); "" until fetched' })
  checksum!: string;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

/** The wire shape of an image bucket, for the OpenAPI document. */
@ApiSchema({ name: 'ImageBucket' })
export class ImageBucketViewSchema implements ImageBucketView {
  @ApiProperty(BUCKET_UUID)
  uuid!: string;

  @ApiProperty({ minLength: 1, maxLength: IMAGE_LIMITS.nameLength })
  name!: string;

  @ApiProperty({ maxLength: IMAGE_LIMITS.nameLength, description: "the bucket's name in the object store" })
  bucket_name!: string;

  @ApiProperty({ maxLength: 256 })
  description!: string;

  @ApiProperty({ enum: [ImageBucketType.Public, ImageBucketType.Private], description: '0 public, 1 private' })
  type!: ImageBucketType;

  @ApiProperty({ enum: [ImageBucketState.Available], description: '1 available' })
  state!: ImageBucketState;

  @ApiProperty({ description: 'the owner\'s user name; "" for the public bucket or a deleted owner' })
  user_name!: string;

  @ApiProperty({ type: 'integer', minimum: 0 })
  image_count!: number;

  @ApiProperty({ format: 'date-time' })
  created_at!: string;
}

const COUNT = { type: 'integer', minimum: 0 } as const;

/** getImageStatistic's result, for the OpenAPI document. */
@ApiSchema({ name: 'ImageStatistic' })
export class ImageStatisticSchema implements ImageStatisticView {
  @ApiProperty({ ...COUNT, description: 'images the caller sees' })
  images!: number;

  @ApiProperty({ ...COUNT, description: 'of them being fetched (state 0)' })
  fetching!: number;

  @ApiProperty({ ...COUNT, description: 'available (state 1)' })
  available!: number;

  @ApiProperty({ ...COUNT, description: 'suspended (state 2)' })
  suspended!: number;

  @ApiProperty({ ...COUNT, description: 'failed to fetch (state 10)' })
  failed!: number;

  @ApiProperty({ ...COUNT, description: 'in the public bucket' })
  public!: number;

  @ApiProperty({ ...COUNT, description: "in users' buckets" })
  private!: number;

  @ApiProperty({ ...COUNT, description: "users' images shared with every user" })
  shared!: number;

  @ApiProperty({ ...COUNT, format: 'int64', description: 'bytes of the available images' })
  available_bytes!: number;
}
