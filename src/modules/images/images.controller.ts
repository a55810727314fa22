import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiTags } from '@nestjs/swagger';
import { Role, type ListResult } from '@chime/contracts';
import { ApiDoc, listOf } from '../../platform/http/api-docs';
import { CurrentActor } from '../../platform/http/current-actor.decorator';
import { describeApiTag } from '../../platform/http/openapi';
import type { Actor } from '../../platform/http/request-context';
import { MinRole } from '../../platform/http/roles';
import { UuidParam } from '../../platform/http/validation';
import { BucketUuidParam } from './bucket-param';
import { CreateImageCommand } from './commands/create-image';
import { CreateImageBucketCommand } from './commands/create-image-bucket';
import { DeleteImageCommand } from './commands/delete-image';
import { DeleteImageBucketCommand } from './commands/delete-image-bucket';
import { UpdateImageCommand } from './commands/update-image';
import type { ImageBucketView, ImageStatisticView, ImageView } from './image.contract';
import { CreateImageBucketDto, CreateImageDto, ImageBucketListParams, ImageListParams, UpdateImageDto } from './image.dto';
import { ImageBucketViewSchema, ImageStatisticSchema, ImageViewSchema } from './image.view';
import { GetImageQuery } from './queries/get-image';
import { GetImageBucketQuery } from './queries/get-image-bucket';
import { GetImageStatisticQuery } from './queries/get-image-statistic';
import { ListImageBucketsQuery } from './queries/list-image-buckets';
import { ListImagesQuery } from './queries/list-images';
import type { Origin } from '@chime/event-log';
import { RequestOrigin } from '../../platform/http/request-origin.decorator';

describeApiTag(
  'image',
  'Images and image buckets. A user (role 0) sees public images, its own and those other users share, and ' +
    'changes only its own; read-only administrators read everything and change nothing; administrators see ' +
    "and change all. An image is registered by its install_url and fetched by a node's agent: state 0 while " +
    'it is fetched, 1 available, 10 when the fetch failed (2 suspended comes only from an import).',
);

const EXAMPLE_IMAGE = {
  uuid: 'fb11078f-8af8-4247-adfe-295459f29646',
  name: 'centos',
  description: 'centos image',
  state: 0,
  operation: '0d6ad2bd-3be5-4b0c-a2a4-5d5cbf1ebc0b',
  bucket_uuid: 'public',
  bucket_name: 'public',
  format: 'qcow2',
  os_type: 'Linux',
  os_detail: 'CentOS 8.5',
  os_arch: 'x86_64',
  boot_type: 'bios',
  shared: 0,
  install_url: 'file:///root/images/centos7_cloudinit.qcow2',
  size: 0,
  checksum: '',
  created_at: '2024-04-18T08:44:42.000Z',
};

const EXAMPLE_BUCKET = {
  uuid: '9c15f4cb-5f6d-4e45-818f-a4315c54240c',
  name: '9c15f4cb-5f6d-4e45-818f-a4315c54240c',
  bucket_name: '9c15f4cb-5f6d-4e45-818f-a4315c54240c',
  description: '',
  type: 1,
  state: 1,
  user_name: 'alice',
  image_count: 0,
  created_at: '2024-04-18T08:31:40.361Z',
};

const REGISTER =
  'The image is fetched by the agent of one enabled, reachable host (a `fetch` task; `operation` is its uuid): ' +
  '`state` 0 until then, 1 with `size` (bytes) and `checksum` once fetched, 10 when the fetch failed. ' +
  '`install_url` (required): a `file://` (a path on the node), `http://` or `https://` URL of at most 1024 printable ' +
  'ASCII characters, without credentials (the URL is stored in events and shown to every reader: 400). `format` ' +
  'iso, qcow2 (the default) or raw; `name` 1–255 characters, unique in its bucket regardless of case; `os_type`, ' +
  '`os_detail`, `os_arch`, `boot_type` at most 32 characters; `shared` 0 (the default) or 1 (every user sees it). ' +
  'No host that takes work: 400 FAILED_PRECONDITION.';

/** Images (`/v1/image`, `/v1/image_statistic`) and image buckets (`/v1/imagebucket`). */
@ApiTags('image')
@Controller('v1')
export class ImagesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get('image')
  @ApiDoc({
    summary: 'list images',
    description:
      'The images the caller sees (a user: public, its own and shared ones; administrators: all). Filters: `name` ' +
      "(substring), `state`, `format`, `os_type`, `type` (the bucket's: 0 public, 1 a user's), `uuid`, `bucket_uuid` " +
      '(`public` or a UUID).',
    result: listOf(ImageViewSchema),
  })
  listImage(@CurrentActor() actor: Actor, @Query() query: ImageListParams): Promise<ListResult<ImageView>> {
    return this.queries.execute(new ListImagesQuery(actor, query));
  }

  @Post('image/public')
  @HttpCode(HttpStatus.OK)
  @MinRole(Role.Admin)
  @ApiDoc({
    summary: 'create a public image',
    description: `Administrators register an image in the public bucket, which every user sees. ${REGISTER}`,
    result: { image: ImageViewSchema },
    example: { requestId: 'a25c2320-7a41-44f8-a782-2f062ba41b6b', result: { image: EXAMPLE_IMAGE } },
  })
  async createPublicImage(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @Body() body: CreateImageDto,
  ): Promise<{ image: ImageView }> {
    return { image: await this.commands.execute(new CreateImageCommand(origin, actor, 'public', body)) };
  }

  @Post('image/user')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: "create a user's private image",
    description:
      "Registers an image in the caller's own bucket (uuid and name the caller's uuid), made with the caller's first " +
      `image. Read-only administrators: 403. ${REGISTER}`,
    result: { image: ImageViewSchema },
    example: {
      requestId: '2054dce8-aa03-4734-8989-547ca6d4d2a5',
      result: {
        image: {
          ...EXAMPLE_IMAGE,
          bucket_uuid: '9c15f4cb-5f6d-4e45-818f-a4315c54240c',
          bucket_name: '9c15f4cb-5f6d-4e45-818f-a4315c54240c',
        },
      },
    },
  })
  async createUserImage(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @Body() body: CreateImageDto,
  ): Promise<{ image: ImageView }> {
    return { image: await this.commands.execute(new CreateImageCommand(origin, actor, 'user', body)) };
  }

  @Get('image/:ImageUuid')
  @ApiDoc({
    summary: "get an image's detailed information",
    description: 'An image the caller does not see is 404, as one that does not exist.',
    result: { image: ImageViewSchema },
  })
  async getImage(@CurrentActor() actor: Actor, @UuidParam('ImageUuid') uuid: string): Promise<{ image: ImageView }> {
    return { image: await this.queries.execute(new GetImageQuery(actor, uuid)) };
  }

  @Patch('image/:ImageUuid')
  @ApiDoc({
    summary: "update an image's information",
    description:
      'Any of `name`, `description`, `format`, `os_type`, `os_detail`, `os_arch`, `boot_type`, `shared` (the rules of ' +
      'createUserImage); fields left out or `null` stay as they are, resent values are no change. A user changes only ' +
      'its own images (403 for one it sees but does not own, 404 for one it does not see); read-only administrators ' +
      'nothing. The format cannot change while the image is fetched (400 FAILED_PRECONDITION).',
    result: { image: 'ok' },
  })
  async updateImage(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @UuidParam('ImageUuid') uuid: string,
    @Body() body: UpdateImageDto,
  ): Promise<{ image: 'ok' }> {
    return { image: await this.commands.execute(new UpdateImageCommand(origin, actor, uuid, body)) };
  }

  @Delete('image/:ImageUuid')
  @ApiDoc({
    summary: 'delete an image',
    description:
      'Answers `0`, as ChimeStack does. Who may: as updateImage. An image being fetched (`state` 0) or one volumes ' +
      'were made from is not deleted (400 FAILED_PRECONDITION).',
    result: 0,
  })
  deleteImage(@RequestOrigin() origin: Origin, @CurrentActor() actor: Actor, @UuidParam('ImageUuid') uuid: string): Promise<0> {
    return this.commands.execute(new DeleteImageCommand(origin, actor, uuid));
  }

  @Get('image_statistic')
  @ApiDoc({
    summary: "get images' statistical information",
    description:
      'Counts over the images the caller sees: `images`; by state `fetching` (0), `available` (1), `suspended` (2), ' +
      "`failed` (10); `public` (in the public bucket), `private` (in users' buckets), `shared` (users' images shared " +
      'with every user); `available_bytes`, the bytes of the available images.',
    result: { image_statistic: ImageStatisticSchema },
  })
  async getImageStatistic(@CurrentActor() actor: Actor): Promise<{ image_statistic: ImageStatisticView }> {
    return { image_statistic: await this.queries.execute(new GetImageStatisticQuery(actor)) };
  }

  @Get('imagebucket')
  @ApiDoc({
    summary: 'list image buckets',
    description:
      'A user sees the public bucket and its own; administrators every bucket. Filters: `name` (substring), `state`, ' +
      '`type` (0 public, 1 private).',
    result: listOf(ImageBucketViewSchema),
  })
  listImageBucket(@CurrentActor() actor: Actor, @Query() query: ImageBucketListParams): Promise<ListResult<ImageBucketView>> {
    return this.queries.execute(new ListImageBucketsQuery(actor, query));
  }

  @Post('imagebucket')
  @HttpCode(HttpStatus.OK)
  @ApiDoc({
    summary: 'create an image bucket',
    description:
      'There is exactly one public bucket (uuid and name `public`), there from the first start, and one private ' +
      "bucket per user whose uuid and name are the user's uuid (made by the user's first createUserImage, or here). " +
      "`type` 1 (the default) makes the caller's own bucket: 400 ALREADY_EXISTS when it has one. `type` 0: " +
      'administrators only (else 403), and it exists: 400 ALREADY_EXISTS. `name`, when given, must be the fixed ' +
      "name (`public`, or the caller's uuid); `bucket_name` (the name in the object store) defaults to it. " +
      'Read-only administrators: 403.',
    result: { imagebucket: ImageBucketViewSchema },
    example: { requestId: '30d27042-5db8-45a6-9a9e-3122627e348f', result: { imagebucket: EXAMPLE_BUCKET } },
  })
  async createImageBucket(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @Body() body: CreateImageBucketDto,
  ): Promise<{ imagebucket: ImageBucketView }> {
    return { imagebucket: await this.commands.execute(new CreateImageBucketCommand(origin, actor, body)) };
  }

  @Get('imagebucket/:ImageBucketUuid')
  @ApiDoc({
    summary: "get an image bucket's detailed information",
    description: "`ImageBucketUuid` is `public` or a UUID (else 400 INVALID_ARGUMENT). Another user's bucket is 404 for a user.",
    result: { imagebucket: ImageBucketViewSchema },
  })
  async getImageBucket(
    @CurrentActor() actor: Actor,
    @BucketUuidParam('ImageBucketUuid') uuid: string,
  ): Promise<{ imagebucket: ImageBucketView }> {
    return { imagebucket: await this.queries.execute(new GetImageBucketQuery(actor, uuid)) };
  }

  @Delete('imagebucket/:ImageBucketUuid')
  @ApiDoc({
    summary: 'delete an image bucket',
    description:
      'A user deletes its own bucket, administrators any private one; read-only administrators none (403). The public ' +
      'bucket is never deleted, nor a bucket holding images (400 FAILED_PRECONDITION, naming how many). Answers `1`.',
    result: 1,
  })
  deleteImageBucket(
    @RequestOrigin() origin: Origin,
    @CurrentActor() actor: Actor,
    @BucketUuidParam('ImageBucketUuid') uuid: string,
  ): Promise<1> {
    return this.commands.execute(new DeleteImageBucketCommand(origin, actor, uuid));
  }
}
