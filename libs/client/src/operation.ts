/**
 * An operation of the API as the OpenAPI document names it: a method and a path template whose
 * `{Name}` segments are path parameters. The typed methods are thin wrappers that name one of these;
 * the CLI builds them from the OpenAPI document instead.
 */
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface Operation {
  method: HttpMethod;
  path: string;
}

export type QueryValue = string | number | boolean | null | undefined;

export interface CallParams {
  pathParams?: Record<string, string | number>;
  /** Filters, paging and sorting; `undefined` and `null` values are left out of the URL. */
  query?: object;
  body?: unknown;
}

/** What a category's typed API needs from the client; keeps those files free of an import cycle. */
export interface OperationCaller {
  call<T>(operation: Operation, params?: CallParams): Promise<T>;
}

/** Fills `{Name}` segments of a path template; a missing parameter is a programming error. */
export function expandPath(template: string, pathParams: Record<string, string | number> = {}): string {
  return template.replace(/\{([^}]+)\}/g, (_, name: string) => {
    const value = pathParams[name];
    if (value === undefined || value === '') throw new TypeError(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(String(value));
  });
}

export function queryString(query: object = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query) as [string, QueryValue | QueryValue[]][]) {
    for (const item of Array.isArray(value) ? value : [value]) {
      if (item !== undefined && item !== null) params.append(name, String(item));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
