import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { UnitOfWork, SERVER_ORIGIN } from '@chime/event-log';
import { publicBucket, insertBucketIfAbsent } from './buckets';

/**
 * The one public image bucket (uuid and name `public`) exists from the first start: created here,
 * with its ImageBucketCreated event, when the database has none (several processes starting at
 * once create it once). No request can create or delete it.
 */
@Injectable()
export class PublicBucket implements OnApplicationBootstrap {
  private readonly logger = new Logger('Images');

  constructor(private readonly uow: UnitOfWork) {}

  async onApplicationBootstrap(): Promise<void> {
    const created = await this.uow.run(SERVER_ORIGIN, (tx) => insertBucketIfAbsent(tx, publicBucket()));
    if (created) this.logger.log('created the public image bucket');
  }
}
