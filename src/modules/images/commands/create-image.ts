import { createHash, randomUUID } from 'node:crypto';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore, UnitOfWork, type Origin } from '@chime/event-log';
import { FailedPreconditionError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { HostPort } from '../../hosts/host.port';
import { TaskPort } from '../../hosts/task.port';
import { lockOwnBucket } from '../buckets';
import { ImageState, PUBLIC_BUCKET, type CreateImageRequest, type ImageView } from '../image.contract';
import { IMAGE_DEFAULTS } from '../image.dto';
import { IMAGE_STREAM, type ImageEntity } from '../image.entity';
import { ImageCreated } from '../image.events';
import { refuseReadOnly } from '../image.policy';
import { findImageRow, IMAGE_ROWS, lockBucketIfPresent } from '../image.store';
import { toImageAggregate, toImageView } from '../image.view';

/** createPublicImage (`bucket` public, administrators) and createUserImage (the caller's own bucket). */
export class CreateImageCommand extends Command<ImageView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly bucket: 'public' | 'user',
    readonly request: CreateImageRequest,
  ) {
    super();
  }
}

/** The host of `hosts` (sorted by uuid) that fetches an image: spread by a hash of the image's uuid. */
export function pickHost<T>(hosts: readonly T[], imageUuid: string): T {
  return hosts[createHash('sha256').update(imageUuid).digest().readUInt32BE(0) % hosts.length];
}

/**
 * Registers an image, unavailable (`state` 0) until a node's agent has fetched it: the image, its
 * ImageCreated and an `image`/`fetch` task for one host that takes work commit together. A user's
 * first image creates the user's bucket in the same transaction. The bucket's row stays locked
 * until the commit, so a racing deleteImageBucket either finds the image or has deleted the
 * bucket first (then it is made again).
 */
@CommandHandler(CreateImageCommand)
export class CreateImageHandler implements ICommandHandler<CreateImageCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly hosts: HostPort,
    private readonly tasks: TaskPort,
    private readonly events: EventStore,
  ) {}

  async execute({ origin, actor, bucket, request }: CreateImageCommand): Promise<ImageView> {
    refuseReadOnly(actor, 'registers no image');
    return this.uow.run(origin, async (tx) => {
      const bucketUuid =
        bucket === 'public'
          ? (await lockBucketIfPresent(tx.manager, PUBLIC_BUCKET))?.uuid
          : (await lockOwnBucket(tx, this.events, actor.uuid)).uuid;
      if (!bucketUuid) throw new FailedPreconditionError('the public image bucket is missing: restart the server to create it');
      const hosts = await this.hosts.takingWork(tx.manager);
      const uuid = randomUUID();
      if (hosts.length === 0) {
        throw new FailedPreconditionError('no enabled, reachable host can fetch the image; adopt a host first');
      }
      const host = pickHost(hosts, uuid);
      const format = request.format ?? IMAGE_DEFAULTS.format;
      const task = await this.tasks.create(tx, {
        clientUuid: host.uuid,
        resourceType: 'image',
        resourceUuid: uuid,
        operation: 'fetch',
        description: `fetch-image-${uuid}`,
        payload: { install_url: request.install_url, format },
      });
      const image: ImageEntity = {
        uuid,
        name: request.name,
        description: request.description ?? IMAGE_DEFAULTS.description,
        state: ImageState.Fetching,
        operation: task.uuid,
        bucketUuid,
        format,
        osType: request.os_type ?? IMAGE_DEFAULTS.label,
        osDetail: request.os_detail ?? IMAGE_DEFAULTS.label,
        osArch: request.os_arch ?? IMAGE_DEFAULTS.label,
        bootType: request.boot_type ?? IMAGE_DEFAULTS.label,
        shared: request.shared ?? IMAGE_DEFAULTS.shared,
        installUrl: request.install_url,
        size: 0,
        checksum: '',
        version: 1,
        createdAt: new Date(),
      };
      // A name taken in the bucket (whatever its case) fails on the unique index: ALREADY_EXISTS.
      await IMAGE_ROWS.insert(tx.manager, image);
      await tx.append({ type: IMAGE_STREAM, id: uuid }, 0, [new ImageCreated(toImageAggregate(image))]);
      return toImageView(await findImageRow(tx.manager, uuid));
    });
  }
}
