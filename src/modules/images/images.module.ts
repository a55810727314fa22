import { streamReplay } from '@chime/event-log';
import { Global } from '@nestjs/common';
import { FeatureModule } from '../../platform/feature-module';
import { CreateImageHandler } from './commands/create-image';
import { CreateImageBucketHandler } from './commands/create-image-bucket';
import { DeleteImageHandler } from './commands/delete-image';
import { DeleteImageBucketHandler } from './commands/delete-image-bucket';
import { UpdateImageHandler } from './commands/update-image';
import { FetchOutcomes } from './fetch-outcome';
import {
  ImageBucketEntity,
  ImageBucketRowEntity,
  ImageBucketVisibleRowEntity,
  ImageEntity,
  ImageRowEntity,
  ImageVisibleRowEntity,
} from './image.entity';
import { ImagePort } from './image.port';
import { IMAGE_BUCKET_REPLAY, IMAGE_REPLAY } from './image.replay';
import { ImagesController } from './images.controller';
import { IMAGES_IMPORTER } from './images.importer';
import { CreateImages1764300008000 } from './images.migration';
import { PublicBucket } from './public-bucket';
import { GetImageHandler } from './queries/get-image';
import { GetImageBucketHandler } from './queries/get-image-bucket';
import { GetImageStatisticHandler } from './queries/get-image-statistic';
import { ListImageBucketsHandler } from './queries/list-image-buckets';
import { ListImagesHandler } from './queries/list-images';

/**
 * Images and image buckets (ChimeStack's Image family). An image is fetched by a node's agent: a
 * task through the hosts module's TaskPort on a host HostPort finds, its outcome taken back by
 * FetchOutcomes. Global: the storage module makes volumes from images through ImagePort.
 */
@Global()
@FeatureModule({
  entities: [
    ImageBucketEntity,
    ImageEntity,
    ImageRowEntity,
    ImageVisibleRowEntity,
    ImageBucketRowEntity,
    ImageBucketVisibleRowEntity,
  ],
  migrations: [CreateImages1764300008000],
  replay: [streamReplay(IMAGE_BUCKET_REPLAY), streamReplay(IMAGE_REPLAY)],
  importers: [IMAGES_IMPORTER],
  controllers: [ImagesController],
  providers: [
    ImagePort,
    PublicBucket,
    FetchOutcomes,
    CreateImageHandler,
    UpdateImageHandler,
    DeleteImageHandler,
    CreateImageBucketHandler,
    DeleteImageBucketHandler,
    ListImagesHandler,
    GetImageHandler,
    GetImageStatisticHandler,
    ListImageBucketsHandler,
    GetImageBucketHandler,
  ],
  exports: [ImagePort],
})
export class ImagesModule {}
