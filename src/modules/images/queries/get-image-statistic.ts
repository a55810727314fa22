import { Role } from '@chime/contracts';
import { IQueryHandler, Query, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { Actor } from '../../../platform/http/request-context';
import { ImageState, PUBLIC_BUCKET, type ImageStatisticView } from '../image.contract';

export class GetImageStatisticQuery extends Query<ImageStatisticView> {
  constructor(readonly actor: Actor) {
    super();
  }
}

/** Counted over the images the caller sees ($1: the user, or null for administrators, who see all). */
const STATISTIC = `
  SELECT count(*)::int AS images,
         count(*) FILTER (WHERE state = ${ImageState.Fetching})::int AS fetching,
         count(*) FILTER (WHERE state = ${ImageState.Available})::int AS available,
         count(*) FILTER (WHERE state = ${ImageState.Suspended})::int AS suspended,
         count(*) FILTER (WHERE state = ${ImageState.Failed})::int AS failed,
         count(*) FILTER (WHERE bucket_uuid = '${PUBLIC_BUCKET}')::int AS public,
         count(*) FILTER (WHERE bucket_uuid <> '${PUBLIC_BUCKET}')::int AS private,
         count(*) FILTER (WHERE bucket_uuid <> '${PUBLIC_BUCKET}' AND shared = 1)::int AS shared,
         coalesce(sum(size) FILTER (WHERE state = ${ImageState.Available}), 0)::text AS available_bytes
    FROM images
   WHERE $1::text IS NULL OR bucket_uuid = '${PUBLIC_BUCKET}' OR shared = 1 OR bucket_uuid = $1::text`;

@QueryHandler(GetImageStatisticQuery)
export class GetImageStatisticHandler implements IQueryHandler<GetImageStatisticQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ actor }: GetImageStatisticQuery): Promise<ImageStatisticView> {
    const viewer = actor.role >= Role.ReadOnlyAdmin ? null : actor.uuid;
    const [row]: (Omit<ImageStatisticView, 'available_bytes'> & { available_bytes: string })[] = await this.dataSource.query(
      STATISTIC,
      [viewer],
    );
    return { ...row, available_bytes: Number(row.available_bytes) };
  }
}
