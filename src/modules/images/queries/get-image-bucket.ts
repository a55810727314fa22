import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { NotFoundError } from '../../../platform/errors/domain-error';
import type { Actor } from '../../../platform/http/request-context';
import type { ImageBucketView } from '../image.contract';
import { seesBucket } from '../image.policy';
import { findBucketRow } from '../image.store';
import { toImageBucketView } from '../image.view';

export class GetImageBucketQuery extends Query<ImageBucketView> {
  constructor(
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/** 404 for another user's bucket, as for one that does not exist. */
@QueryHandler(GetImageBucketQuery)
export class GetImageBucketHandler implements IQueryHandler<GetImageBucketQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, uuid }: GetImageBucketQuery): Promise<ImageBucketView> {
    if (!seesBucket(actor, uuid)) throw NotFoundError.of('image bucket', uuid);
    return toImageBucketView(await findBucketRow(this.dataSource.manager, uuid));
  }
}
