import { Role } from '@chime/contracts';
import { Command, CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { EventStore, UnitOfWork, type Origin } from '@chime/event-log';
import { AlreadyExistsError, InvalidArgumentError, PermissionDeniedError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import { insertBucketIfAbsent, nextVersionOf, userBucket } from '../buckets';
import { ImageBucketType, PUBLIC_BUCKET, type CreateImageBucketRequest, type ImageBucketView } from '../image.contract';
import { refuseReadOnly } from '../image.policy';
import { findBucketRow } from '../image.store';
import { toImageBucketView } from '../image.view';

export class CreateImageBucketCommand extends Command<ImageBucketView> {
  constructor(
    readonly origin: Origin,
    readonly actor: Actor,
    readonly request: CreateImageBucketRequest,
  ) {
    super();
  }
}

/**
 * There is one public bucket, made at the first start, and one private bucket per user: type 0
 * (administrators) is always ALREADY_EXISTS; type 1 (the default) makes the caller's own bucket,
 * uuid and name the caller's uuid, unless it has one (ALREADY_EXISTS). A `name` other than the
 * bucket's fixed one is refused rather than dropped.
 */
@CommandHandler(CreateImageBucketCommand)
export class CreateImageBucketHandler implements ICommandHandler<CreateImageBucketCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly events: EventStore,
  ) {}

  async execute({ origin, actor, request }: CreateImageBucketCommand): Promise<ImageBucketView> {
    refuseReadOnly(actor, 'creates no image bucket');
    const type = request.type ?? ImageBucketType.Private;
    const uuid = type === ImageBucketType.Public ? PUBLIC_BUCKET : actor.uuid;
    if (type === ImageBucketType.Public && actor.role < Role.Admin) {
      throw new PermissionDeniedError('only administrators manage the public image bucket');
    }
    if (request.name !== undefined && request.name !== uuid) {
      throw new InvalidArgumentError(
        type === ImageBucketType.Public
          ? 'name of the public bucket is public'
          : `name of your bucket is your user uuid ${uuid} (a user has one bucket)`,
      );
    }
    if (type === ImageBucketType.Public) throw new AlreadyExistsError('the public image bucket already exists (there is one)');
    return this.uow.run(origin, async (tx) => {
      const bucket = await nextVersionOf(
        tx,
        this.events,
        userBucket(uuid, { bucketName: request.bucket_name, description: request.description }),
      );
      if (!(await insertBucketIfAbsent(tx, bucket))) {
        throw new AlreadyExistsError(`you have an image bucket already (${uuid}): a user has one`);
      }
      return toImageBucketView(await findBucketRow(tx.manager, uuid));
    });
  }
}
