import { Role, type ListResult } from '@chime/contracts';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { findPage, type ListSpec } from '../../../platform/http/list-query';
import type { Actor } from '../../../platform/http/request-context';
import type { ImageView } from '../image.contract';
import type { ImageListParams } from '../image.dto';
import { IMAGE_VIEW_ROWS, IMAGE_VISIBLE_ROWS } from '../image.store';
import { toImageView } from '../image.view';

const IMAGE_LIST: ListSpec = {
  sort: { name: 'name', state: 'state', format: 'format', os_type: 'osType', size: 'size', created_at: 'createdAt' },
  text: ['name', 'osType'],
  substring: { name: 'name' },
  exact: { state: 'state', format: 'format', os_type: 'osType', type: 'type', uuid: 'uuid', bucket_uuid: 'bucketUuid' },
  tiebreak: 'uuid',
};

export class ListImagesQuery extends Query<ListResult<ImageView>> {
  constructor(
    readonly actor: Actor,
    readonly params: ImageListParams,
  ) {
    super();
  }
}

/** The images the caller sees: every one for administrators; public, own and shared ones for a user. */
@QueryHandler(ListImagesQuery)
export class ListImagesHandler implements IQueryHandler<ListImagesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ actor, params }: ListImagesQuery): Promise<ListResult<ImageView>> {
    const manager = this.dataSource.manager;
    if (actor.role >= Role.ReadOnlyAdmin) return findPage(manager, IMAGE_VIEW_ROWS, {}, params, IMAGE_LIST, toImageView);
    return findPage(manager, IMAGE_VISIBLE_ROWS, { viewerUuid: actor.uuid }, params, IMAGE_LIST, toImageView);
  }
}
