import { DomainEvent } from '@chime/event-log';
import type { ImageBucketView, ImageView } from './image.contract';

/** An image's own state: the view without its bucket's name (stream `image`). */
export type ImageAggregate = Omit<ImageView, 'bucket_name'>;

/** A bucket's own state (stream `image_bucket`): the view without what is derived, with its owner. */
export type ImageBucketAggregate = Omit<ImageBucketView, 'user_name' | 'image_count'> & { owner_uuid: string | null };

/** Registered: `state` 0 with `operation` the fetch task's uuid (or as imported). */
export class ImageCreated extends DomainEvent<ImageAggregate> {
  static override readonly type = 'ImageCreated';
}
/** Only the fields that changed. */
export class ImageUpdated extends DomainEvent<{
  uuid: string;
  changes: Partial<
    Pick<ImageAggregate, 'name' | 'description' | 'format' | 'os_type' | 'os_detail' | 'os_arch' | 'boot_type' | 'shared'>
  >;
}> {
  static override readonly type = 'ImageUpdated';
}
/** The node's agent fetched it: available (`state` 1). Appended by the fetch-outcome consumer. */
export class ImageFetched extends DomainEvent<{ uuid: string; task_uuid: string; size: number; checksum: string }> {
  static override readonly type = 'ImageFetched';
}
/** The fetch failed (`state` 10): the agent's message, or the task's timeout. */
export class ImageFetchFailed extends DomainEvent<{ uuid: string; task_uuid: string; message: string }> {
  static override readonly type = 'ImageFetchFailed';
}
export class ImageDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'ImageDeleted';
}

export class ImageBucketCreated extends DomainEvent<ImageBucketAggregate> {
  static override readonly type = 'ImageBucketCreated';
}
export class ImageBucketDeleted extends DomainEvent<{ uuid: string }> {
  static override readonly type = 'ImageBucketDeleted';
}
