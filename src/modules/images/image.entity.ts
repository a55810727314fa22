import { Column, Entity, PrimaryColumn, ViewColumn, ViewEntity, type ValueTransformer } from 'typeorm';
import type { ImageBucketState, ImageBucketType, ImageFormat, ImageState } from './image.contract';

export const IMAGE_STREAM = 'image';
export const IMAGE_BUCKET_STREAM = 'image_bucket';

/** A bigint read as a number: image sizes stay far below 2^53. */
const BYTES: ValueTransformer = {
  to: (value: number) => value,
  from: (value: string | number | null) => (value === null ? value : Number(value)),
};

/**
 * An image bucket (ChimeStack's `t_image_bucket`): the one public bucket (uuid and name `public`)
 * and one private bucket per user (uuid and name the user's uuid). The uuid is text because of `public`.
 */
@Entity({ name: 'image_buckets' })
export class ImageBucketEntity {
  @PrimaryColumn('text')
  uuid!: string;

  @Column('text')
  name!: string;

  @Column('text', { name: 'bucket_name' })
  bucketName!: string;

  @Column('text')
  description!: string;

  @Column('smallint')
  type!: ImageBucketType;

  @Column('smallint')
  state!: ImageBucketState;

  /** The user a private bucket belongs to; null for the public bucket. */
  @Column('uuid', { name: 'owner_uuid', nullable: true })
  ownerUuid!: string | null;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** An image (ChimeStack's `t_image`), in a bucket; its owner is its bucket's. */
@Entity({ name: 'images' })
export class ImageEntity {
  @PrimaryColumn('uuid')
  uuid!: string;

  @Column('text')
  name!: string;

  @Column('text')
  description!: string;

  @Column('smallint')
  state!: ImageState;

  /** The running fetch task's uuid, "" when none. */
  @Column('text')
  operation!: string;

  @Column('text', { name: 'bucket_uuid' })
  bucketUuid!: string;

  @Column('text')
  format!: ImageFormat;

  @Column('text', { name: 'os_type' })
  osType!: string;

  @Column('text', { name: 'os_detail' })
  osDetail!: string;

  @Column('text', { name: 'os_arch' })
  osArch!: string;

  @Column('text', { name: 'boot_type' })
  bootType!: string;

  @Column('smallint')
  shared!: 0 | 1;

  @Column('text', { name: 'install_url' })
  installUrl!: string;

  @Column('bigint', { transformer: BYTES })
  size!: number;

  @Column('text')
  checksum!: string;

  @Column('integer')
  version!: number;

  @Column('timestamptz', { name: 'created_at' })
  createdAt!: Date;
}

/** An image with its bucket's name and type, as views show it (the view `image_rows`). */
@ViewEntity({ name: 'image_rows', synchronize: false })
export class ImageRowEntity {
  @ViewColumn()
  uuid!: string;

  @ViewColumn()
  name!: string;

  @ViewColumn()
  description!: string;

  @ViewColumn()
  state!: ImageState;

  @ViewColumn()
  operation!: string;

  @ViewColumn({ name: 'bucket_uuid' })
  bucketUuid!: string;

  @ViewColumn({ name: 'bucket_name' })
  bucketName!: string;

  /** The bucket's type: 0 a public image, 1 a user's. */
  @ViewColumn()
  type!: ImageBucketType;

  @ViewColumn()
  format!: ImageFormat;

  @ViewColumn({ name: 'os_type' })
  osType!: string;

  @ViewColumn({ name: 'os_detail' })
  osDetail!: string;

  @ViewColumn({ name: 'os_arch' })
  osArch!: string;

  @ViewColumn({ name: 'boot_type' })
  bootType!: string;

  @ViewColumn()
  shared!: 0 | 1;

  @ViewColumn({ name: 'install_url' })
  installUrl!: string;

  @ViewColumn({ transformer: BYTES })
  size!: number;

  @ViewColumn()
  checksum!: string;

  @ViewColumn({ name: 'created_at' })
  createdAt!: Date;
}

/**
 * The images each user (`viewer_uuid`) sees as a user (role 0): public ones, its own and those
 * others share (the view `image_visible_rows`), so that one list query pages through them.
 */
@ViewEntity({ name: 'image_visible_rows', synchronize: false })
export class ImageVisibleRowEntity extends ImageRowEntity {
  @ViewColumn({ name: 'viewer_uuid' })
  viewerUuid!: string;
}

/** A bucket with its owner's name and how many images it holds (the view `image_bucket_rows`). */
@ViewEntity({ name: 'image_bucket_rows', synchronize: false })
export class ImageBucketRowEntity {
  @ViewColumn()
  uuid!: string;

  @ViewColumn()
  name!: string;

  @ViewColumn({ name: 'bucket_name' })
  bucketName!: string;

  @ViewColumn()
  description!: string;

  @ViewColumn()
  type!: ImageBucketType;

  @ViewColumn()
  state!: ImageBucketState;

  @ViewColumn({ name: 'user_name' })
  userName!: string;

  @ViewColumn({ name: 'image_count', transformer: BYTES })
  imageCount!: number;

  @ViewColumn({ name: 'created_at' })
  createdAt!: Date;
}

/** The buckets each user (`viewer_uuid`) sees as a user: the public one and its own (the view `image_bucket_visible_rows`). */
@ViewEntity({ name: 'image_bucket_visible_rows', synchronize: false })
export class ImageBucketVisibleRowEntity extends ImageBucketRowEntity {
  @ViewColumn({ name: 'viewer_uuid' })
  viewerUuid!: string;
}
