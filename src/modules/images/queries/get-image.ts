import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../platform/http/request-context';
import type { ImageView } from '../image.contract';
import { visibleImage } from '../image.policy';
import { IMAGE_VIEW_ROWS } from '../image.store';
import { toImageView } from '../image.view';

export class GetImageQuery extends Query<ImageView> {
  constructor(
    readonly actor: Actor,
    readonly uuid: string,
  ) {
    super();
  }
}

/** 404 for an image the caller does not see, as for one that does not exist. */
@QueryHandler(GetImageQuery)
export class GetImageHandler implements IQueryHandler<GetImageQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor, uuid }: GetImageQuery): Promise<ImageView> {
    return toImageView(visibleImage(actor, await IMAGE_VIEW_ROWS.findOne(this.dataSource.manager, { uuid }), uuid));
  }
}
