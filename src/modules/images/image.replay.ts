import { loadEntityPage, type StreamProjection } from '@chime/event-log';
import type { EntityManager } from 'typeorm';
import { ImageState } from './image.contract';
import { IMAGE_BUCKET_STREAM, IMAGE_STREAM, ImageBucketEntity, ImageEntity } from './image.entity';
import {
  ImageBucketCreated,
  ImageBucketDeleted,
  ImageCreated,
  ImageDeleted,
  ImageFetched,
  ImageFetchFailed,
  ImageUpdated,
  type ImageAggregate,
  type ImageBucketAggregate,
} from './image.events';
import { toImageAggregate, toImageBucketAggregate } from './image.view';

type Keyed<T> = T & { key: string; version: number };

const unknownEvent = (stream: string, type: string) => new Error(`unknown event ${type} on stream ${stream}`);

/** Images rebuilt from their streams, for `npm run verify:replay`. */
export const IMAGE_REPLAY: StreamProjection<Keyed<ImageAggregate>> = {
  streamType: IMAGE_STREAM,
  handles: [ImageCreated.type, ImageUpdated.type, ImageFetched.type, ImageFetchFailed.type, ImageDeleted.type],
  apply(state, event) {
    switch (event.type) {
      case ImageCreated.type:
        return { ...(event.data as unknown as ImageAggregate), key: event.streamId, version: event.version };
      case ImageUpdated.type:
        return state && { ...state, ...(event.data as ImageUpdated['data']).changes, version: event.version };
      case ImageFetched.type: {
        const { size, checksum } = event.data as ImageFetched['data'];
        return state && { ...state, state: ImageState.Available, operation: '', size, checksum, version: event.version };
      }
      case ImageFetchFailed.type:
        return state && { ...state, state: ImageState.Failed, operation: '', version: event.version };
      case ImageDeleted.type:
        return undefined;
      default:
        throw unknownEvent(IMAGE_STREAM, event.type);
    }
  },
  async load(manager: EntityManager, page) {
    const images = await loadEntityPage(manager, ImageEntity, 'uuid', page);
    return images.map((image) => ({ ...toImageAggregate(image), key: image.uuid, version: image.version }));
  },
};

/** Image buckets rebuilt from their streams (a user's bucket deleted and made again goes on on its stream). */
export const IMAGE_BUCKET_REPLAY: StreamProjection<Keyed<ImageBucketAggregate>> = {
  streamType: IMAGE_BUCKET_STREAM,
  handles: [ImageBucketCreated.type, ImageBucketDeleted.type],
  apply(_state, event) {
    switch (event.type) {
      case ImageBucketCreated.type:
        return { ...(event.data as unknown as ImageBucketAggregate), key: event.streamId, version: event.version };
      case ImageBucketDeleted.type:
        return undefined;
      default:
        throw unknownEvent(IMAGE_BUCKET_STREAM, event.type);
    }
  },
  async load(manager: EntityManager, page) {
    const buckets = await loadEntityPage(manager, ImageBucketEntity, 'uuid', page);
    return buckets.map((bucket) => ({ ...toImageBucketAggregate(bucket), key: bucket.uuid, version: bucket.version }));
  },
};
