import { ApiPropertyOptional } from '@nestjs/swagger';
import { LIST_DEFAULTS, type ListResult, type SortOrder } from '@chime/contracts';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import type { EntityManager, ObjectLiteral } from 'typeorm';
import { EntityRows, type EntitySql, type Where } from '../database/entity-rows';
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

interface Condition {
  property: string;
  /** The test, as SQL on the property's column and the value's placeholder. */
  test: (column: string, placeholder: string) => string;
  /** What shapes the SQL (the property and the test), never the value. */
  key: string;
  value: unknown;
}

const TESTS = {
  equals: (column: string, p: string) => `${column} = ${p}`,
  contains: (column: string, p: string) => `${column} ILIKE ${p} ESCAPE '\\'`,
  startsWith: (column: string, p: string) => `${column} LIKE ${p} ESCAPE '\\'`,
  atLeast: (column: string, p: string) => `${column} >= ${p}`,
  before: (column: string, p: string) => `${column} < ${p}`,
};

/**
 * One page of a list: `scope` (equality on entity properties: the AZ whose clusters these are, the
 * caller's own entries) and the validated list query's filters, sort and page, as
 * `{elements,size,total}` with each entity turned into its view. One prepared statement per shape
 * (which filters, which sort) carries the page and its total (a window count); only a page past
 * the end, which has no row to carry it, counts on its own. With `spec.countCap` the total is
 * counted up to the cap instead, by a second statement.
 */
export async function findPage<E extends ObjectLiteral, V>(
  manager: EntityManager,
  rows: EntityRows<E>,
  scope: Where<E>,
  query: ListQueryBase & object,
  spec: ListSpec,
  view: (entity: E) => V,
): Promise<ListResult<V>> {
  const values = query as unknown as Record<string, unknown>;
  const conditions: Condition[] = Object.entries(scope).map(([property, value]) => ({
    property,
    test: TESTS.equals,
    key: `${property} equals`,
    value,
  }));
  const filter = (fields: Record<string, string> | undefined, test: keyof typeof TESTS, wrap = (v: unknown) => v) => {
    for (const [field, property] of Object.entries(fields ?? {})) {
      const value = values[field];
      if (value !== undefined) conditions.push({ property, test: TESTS[test], key: `${property} ${test}`, value: wrap(value) });
    }
  };
  filter(spec.substring, 'contains', (v) => `%${escapeLike(String(v))}%`);
  filter(spec.exact, 'equals');
  filter(spec.prefix, 'startsWith', (v) => `${escapeLike(String(v))}%`);
  filter(spec.from, 'atLeast');
  filter(spec.until, 'before');

  const direction = query.order === 'asc' ? 'ASC' : 'DESC';
  const property = spec.sort[query.sort];
  const where = (e: EntitySql) =>
    conditions.length === 0 ? '' : `WHERE ${conditions.map((c, i) => c.test(e.column(c.property), `$${i + 1}`)).join(' AND ')}`;
  const orderBy = (e: EntitySql) => {
    const column = e.column(property);
    return `ORDER BY ${spec.text?.includes(property) ? `lower(${column})` : column} ${direction}, ${e.column(spec.tiebreak)} ${direction}`;
  };
  const key = `${conditions.map((c) => c.key).join(',')}|${property} ${direction}`;
  const params = conditions.map((c) => c.value);
  const n = params.length;
  const offset = (query.page - 1) * query.size;

  if (spec.countCap === undefined) {
    const page = await rows.select(
      manager,
      `page ${key}`,
      (e) =>
        `SELECT ${e.select}, count(*) OVER () AS ${PAGE_TOTAL} FROM ${e.table} ${where(e)} ${orderBy(e)} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, query.size, offset],
    );
    const total =
      page.extras.length > 0
        ? Number(page.extras[0][0])
        : query.page === 1
          ? 0
          : await countRows(manager, rows, key, where, params);
    return { elements: page.entities.map(view), size: page.entities.length, total };
  }
  const [page, capped] = await Promise.all([
    rows.select(
      manager,
      `capped page ${key}`,
      (e) => `SELECT ${e.select} FROM ${e.table} ${where(e)} ${orderBy(e)} LIMIT $${n + 1} OFFSET $${n + 2}`,
      [...params, query.size, offset],
    ),
    rows.rawRows(
      manager,
      `capped count ${key}`,
      (e) => `SELECT count(*)::int AS n FROM (SELECT 1 FROM ${e.table} ${where(e)} LIMIT $${n + 1}) AS capped`,
      [...params, spec.countCap + 1],
    ),
  ]);
  return { elements: page.entities.map(view), size: page.entities.length, total: capped[0].n as number };
}

async function countRows<E extends ObjectLiteral>(
  manager: EntityManager,
  rows: EntityRows<E>,
  key: string,
  where: (e: EntitySql) => string,
  params: unknown[],
): Promise<number> {
  const [row] = await rows.rawRows(
    manager,
    `count ${key}`,
    (e) => `SELECT count(*)::int AS n FROM ${e.table} ${where(e)}`,
    params,
  );
  return row.n as number;
}
