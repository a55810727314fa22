import { ApiPropertyOptional } from '@nestjs/swagger';
import { LIST_DEFAULTS, type ListResult, type SortOrder } from '@chime/contracts';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import type { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { QueryInt } from './validation';

export interface ListQueryBase<Sort extends string = string> {
  page: number;
  size: number;
  sort: Sort;
  order: SortOrder;
}

/**
 * The base class of a resource's list query: `page`, `size`, `sort` (one of `sortable`) and
 * `order`, validated and defaulted (API.md §1.2). A resource extends it with its filters:
 *
 *   class ListAzQuery extends ListQuery(AZ_SORTABLE) { @IsOptional() @IsString() name?: string }
 */
export function ListQuery<Sort extends string>(sortable: readonly Sort[]) {
  class Query implements ListQueryBase<Sort> {
    @ApiPropertyOptional({ minimum: 1, default: LIST_DEFAULTS.page })
    @QueryInt()
    @IsInt()
    @Min(1)
    page: number = LIST_DEFAULTS.page;

    @ApiPropertyOptional({ minimum: 1, maximum: LIST_DEFAULTS.maxSize, default: LIST_DEFAULTS.size })
    @QueryInt()
    @IsInt()
    @Min(1)
    @Max(LIST_DEFAULTS.maxSize)
    size: number = LIST_DEFAULTS.size;

    @ApiPropertyOptional({ enum: sortable, default: LIST_DEFAULTS.sort })
    @IsIn(sortable as readonly string[], { message: `sort must be one of: ${sortable.join(', ')}` })
    sort: Sort = LIST_DEFAULTS.sort as Sort;

    @ApiPropertyOptional({ enum: ['asc', 'desc'], default: LIST_DEFAULTS.order })
    @IsIn(['asc', 'desc'], { message: 'order must be asc or desc' })
    order: SortOrder = LIST_DEFAULTS.order;
  }
  return Query;
}

/** How a resource's wire names map to its entity's columns, for sorting and filtering. */
export interface ListSpec {
  /** Sortable wire field → entity property. Text properties sort regardless of case (`lower()`). */
  sort: Record<string, string>;
  /** Which of the sortable properties are text. */
  text?: string[];
  /** `name`-style filters: case-insensitive substring. */
  substring?: Record<string, string>;
  /** Filters that match exactly. */
  exact?: Record<string, string>;
  /** Filters on the start of a text, case-sensitive (`path_prefix=/v1/az`). */
  prefix?: Record<string, string>;
  /** Lower bounds, inclusive (`created_after`), and upper bounds, exclusive (`created_before`). */
  from?: Record<string, string>;
  until?: Record<string, string>;
  /** Entity property that breaks ties, so that paging is stable. */
  tiebreak: string;
  /**
   * For lists that grow without bound (the operation log): `total` counts at most this many matches
   * and then reports `countCap + 1`, meaning "more than countCap", so that no page counts the whole
   * table. Without it `total` is exact.
   */
  countCap?: number;
}

/** Alias of the window count that findPage adds to a page's query. */
const PAGE_TOTAL = 'chime_page_total';

function escapeLike(value: string): string {
  return value.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Applies a validated list query to a query builder (filters, sort, page) and returns the page
 * as `{elements,size,total}` with each entity turned into its view.
 */
export async function findPage<E extends ObjectLiteral, V>(
  qb: SelectQueryBuilder<E>,
  query: ListQueryBase & object,
  spec: ListSpec,
  view: (entity: E) => V,
): Promise<ListResult<V>> {
  const alias = qb.alias;
  const values = query as unknown as Record<string, unknown>;
  for (const [field, property] of Object.entries(spec.substring ?? {})) {
    const value = values[field];
    if (value !== undefined)
      qb.andWhere(`${alias}.${property} ILIKE :${field} ESCAPE '\\'`, { [field]: `%${escapeLike(String(value))}%` });
  }
  for (const [field, property] of Object.entries(spec.exact ?? {})) {
    const value = values[field];
    if (value !== undefined) qb.andWhere(`${alias}.${property} = :${field}`, { [field]: value });
  }
  for (const [field, property] of Object.entries(spec.prefix ?? {})) {
    const value = values[field];
    if (value !== undefined)
      qb.andWhere(`${alias}.${property} LIKE :${field} ESCAPE '\\'`, { [field]: `${escapeLike(String(value))}%` });
  }
  for (const [bounds, operator] of [
    [spec.from, '>='],
    [spec.until, '<'],
  ] as const) {
    for (const [field, property] of Object.entries(bounds ?? {})) {
      const value = values[field];
      if (value !== undefined) qb.andWhere(`${alias}.${property} ${operator} :${field}`, { [field]: value });
    }
  }
  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const property = spec.sort[query.sort];
  const column = `${alias}.${property}`;
  qb.orderBy(spec.text?.includes(property) ? `lower(${column})` : column, direction).addOrderBy(
    `${alias}.${spec.tiebreak}`,
    direction,
  );
  if (spec.countCap === undefined) {
    // One query for the page and the total: the count comes with every row. Only a page past the
    // end, which has no rows to carry it, needs a count of its own.
    qb.addSelect('count(*) OVER ()', PAGE_TOTAL)
      .offset((query.page - 1) * query.size)
      .limit(query.size);
    const { entities, raw } = await qb.getRawAndEntities<Record<string, unknown>>();
    const total = raw.length > 0 ? Number(raw[0][PAGE_TOTAL]) : query.page === 1 ? 0 : await qb.getCount();
    return { elements: entities.map(view), size: entities.length, total };
  }
  qb.skip((query.page - 1) * query.size).take(query.size);
  const [entities, total] = await Promise.all([qb.getMany(), cappedCount(qb, spec.countCap)]);
  return { elements: entities.map(view), size: entities.length, total };
}

/** The number of rows the query matches, counting no further than `cap + 1`. */
async function cappedCount(qb: SelectQueryBuilder<ObjectLiteral>, cap: number): Promise<number> {
  const matches = qb
    .clone()
    .select('1')
    .orderBy()
    .skip(undefined)
    .take(undefined)
    .offset(undefined)
    .limit(cap + 1);
  const row: { total: string | number } | undefined = await qb.connection
    .createQueryBuilder()
    .select('count(*)', 'total')
    .from(`(${matches.getQuery()})`, 'capped')
    .setParameters(matches.getParameters())
    .getRawOne();
  return Number(row?.total ?? 0);
}
