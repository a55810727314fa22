/**
 * Images and image buckets (ChimeStack's Image family): the wire types of this module, shared by
 * its DTOs, views and events. Field names follow ChimeStack's published API.
 */

/**
 * `state` of an image: chime.sql's 0 unavailable (here: being fetched by a node's agent), 1
 * available, 2 suspended (kept from an import), and 10 failed (the fetch failed, as volumes and
 * snapshots use it). ChimeStack's deleted rows (4, 5) are not kept.
 */
export enum ImageState {
  Fetching = 0,
  Available = 1,
  Suspended = 2,
  Failed = 10,
}

export const IMAGE_STATES = [ImageState.Fetching, ImageState.Available, ImageState.Suspended, ImageState.Failed];

export const IMAGE_FORMATS = ['iso', 'qcow2', 'raw'] as const;
export type ImageFormat = (typeof IMAGE_FORMATS)[number];

/** `0` public (the one `public` bucket), `1` private (a user's own bucket). */
export enum ImageBucketType {
  Public = 0,
  Private = 1,
}

/** `1` available: every bucket is. */
export enum ImageBucketState {
  Available = 1,
}

/** The one public bucket's uuid and name. */
export const PUBLIC_BUCKET = 'public';

export interface ImageView {
  uuid: string;
  name: string;
  description: string;
  state: ImageState;
  /** The uuid of the task fetching the image while it is fetched; "" otherwise. */
  operation: string;
  bucket_uuid: string;
  bucket_name: string;
  format: ImageFormat;
  os_type: string;
  os_detail: string;
  os_arch: string;
  boot_type: string;
  /** 1: users other than the owner see the image too (a private image's owner decides). */
  shared: 0 | 1;
  install_url: string;
  /** Bytes, as the fetching node reported them; 0 until fetched. */
  size: number;
  /** What the fetching node reported (e.g. `sha256:…`); "" until fetched. */
  checksum: string;
  created_at: string;
}

export interface CreateImageRequest {
  name: string;
  description?: string;
  format?: ImageFormat;
  install_url: string;
  os_type?: string;
  os_detail?: string;
  os_arch?: string;
  boot_type?: string;
  shared?: 0 | 1;
}

export type UpdateImageRequest = Partial<Omit<CreateImageRequest, 'install_url'>>;

export const IMAGE_SORTABLE = ['name', 'state', 'format', 'os_type', 'size', 'created_at'] as const;

export interface ImageBucketView {
  uuid: string;
  name: string;
  /** The bucket's name in the object store. */
  bucket_name: string;
  description: string;
  type: ImageBucketType;
  state: ImageBucketState;
  /** The owner's user name ("" for the public bucket, or when the owner was deleted). */
  user_name: string;
  image_count: number;
  created_at: string;
}

export interface CreateImageBucketRequest {
  name?: string;
  bucket_name?: string;
  description?: string;
  type?: ImageBucketType;
}

export const IMAGE_BUCKET_SORTABLE = ['name', 'type', 'image_count', 'created_at'] as const;

/** getImageStatistic: over the images the caller sees. */
export interface ImageStatisticView {
  images: number;
  fetching: number;
  available: number;
  suspended: number;
  failed: number;
  public: number;
  private: number;
  shared: number;
  /** Bytes of the available images. */
  available_bytes: number;
}

export const IMAGE_LIMITS = {
  nameLength: 255,
  urlLength: 1024,
  /** os_type, os_detail, os_arch, boot_type (chime.sql's varchar(32)). */
  labelLength: 32,
} as const;
