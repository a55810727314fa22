/** Paging, sorting and the result shape shared by every list operation (API.md §1.2). */
export type SortOrder = 'asc' | 'desc';

export interface ListQuery<Sort extends string = string> {
  page?: number;
  size?: number;
  sort?: Sort;
  order?: SortOrder;
}

export interface ListResult<T> {
  elements: T[];
  /** Number of elements on this page. */
  size: number;
  /** Number of elements matching the filters, on all pages. */
  total: number;
}

export const LIST_DEFAULTS = { page: 1, size: 10, maxSize: 1000, sort: 'created_at', order: 'desc' } as const;
