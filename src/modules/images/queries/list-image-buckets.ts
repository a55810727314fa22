import { Role, type ListResult } from '@chime/contracts';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import type { Actor } from '../../../platform/http/request-context';
import type { ImageBucketView } from '../image.contract';
import type { ImageBucketListParams } from '../image.dto';
import { BUCKET_VIEW_ROWS, BUCKET_VISIBLE_ROWS } from '../image.store';
import { toImageBucketView } from '../image.view';

const BUCKET_LIST: ListSpec = {
  sort: { name: 'name', type: 'type', image_count: 'imageCount', created_at: 'createdAt' },
  text: ['name'],
  substring: { name: 'name' },
  exact: { state: 'state', type: 'type' },
  tiebreak: 'uuid',
};

export class ListImageBucketsQuery extends Query<ListResult<ImageBucketView>> {
  constructor(
    readonly actor: Actor,
    readonly params: ImageBucketListParams,
  ) {
    super();
  }
}

/** Every bucket for administrators; the public one and its own for a user. */
@QueryHandler(ListImageBucketsQuery)
export class ListImageBucketsHandler implements IQueryHandler<ListImageBucketsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ actor, params }: ListImageBucketsQuery): Promise<ListResult<ImageBucketView>> {
    const manager = this.dataSource.manager;
    if (actor.role >= Role.ReadOnlyAdmin) return findPage(manager, BUCKET_VIEW_ROWS, {}, params, BUCKET_LIST, toImageBucketView);
    return findPage(manager, BUCKET_VISIBLE_ROWS, { viewerUuid: actor.uuid }, params, BUCKET_LIST, toImageBucketView);
  }
}
