/**
 * The operations of an OpenAPI 3 document, flattened for the fuzzer: every path and method, its
 * parameters and its JSON request body with `$ref`s resolved. Driven by the served document, so
 * an operation added to the server is fuzzed without a change here.
 */

/** The subset of JSON Schema that the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  example?: unknown;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
}

export interface ApiParameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required: boolean;
  schema: Schema;
  /** For a path parameter, the static segment before it (`az` in `/v1/az/{AzUuid}`): what it names. */
  resource?: string;
}

export interface ApiOperation {
  operationId: string;
  method: string;
  path: string;
  parameters: ApiParameter[];
  /** The `application/json` request body's schema, resolved; absent when the operation takes none. */
  body?: Schema;
  /** The security scheme it needs when that is not the user's bearer token (e.g. `agentCredential`). */
  securedBy?: string;
}

interface OpenApiDocument {
  paths: Record<string, Record<string, RawOperation>>;
  components?: { schemas?: Record<string, Schema> };
}

interface RawOperation {
  operationId?: string;
  security?: Record<string, string[]>[];
  parameters?: { name: string; in: string; required?: boolean; schema?: Schema }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

export function apiOperations(document: OpenApiDocument): ApiOperation[] {
  const resolve = (schema: Schema | undefined): Schema | undefined => {
    if (!schema?.$ref) return schema;
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = document.components?.schemas?.[name];
    if (!target) throw new Error(`unresolvable schema reference ${schema.$ref}`);
    return resolve(target);
  };
  const operations: ApiOperation[] = [];
  for (const [path, methods] of Object.entries(document.paths)) {
    for (const [method, operation] of Object.entries(methods)) {
      if (!METHODS.has(method)) continue;
      const parameters = (operation.parameters ?? [])
        .filter((p) => p.in === 'path' || p.in === 'query' || p.in === 'header')
        .map((p) => ({
          name: p.name,
          in: p.in as ApiParameter['in'],
          required: p.required ?? false,
          schema: resolve(p.schema) ?? { type: 'string' },
          resource: p.in === 'path' ? segmentBefore(path, p.name) : undefined,
        }));
      const jsonBody = operation.requestBody?.content?.['application/json']?.schema;
      operations.push({
        operationId: operation.operationId ?? `${method} ${path}`,
        method: method.toUpperCase(),
        path,
        parameters,
        body: resolveDeep(jsonBody, resolve),
        securedBy: Object.keys(operation.security?.[0] ?? {}).find((scheme) => scheme !== 'bearer'),
      });
    }
  }
  return operations;
}

function resolveDeep(schema: Schema | undefined, resolve: (s: Schema | undefined) => Schema | undefined): Schema | undefined {
  const own = resolve(schema);
  if (!own) return undefined;
  return {
    ...own,
    properties: own.properties
      ? Object.fromEntries(Object.entries(own.properties).map(([k, v]) => [k, resolveDeep(v, resolve)!]))
      : undefined,
    items: own.items ? resolveDeep(own.items, resolve) : undefined,
  };
}

function segmentBefore(path: string, parameter: string): string | undefined {
  const segments = path.split('/');
  const at = segments.indexOf(`{${parameter}}`);
  const before = segments[at - 1];
  return before && !before.startsWith('{') ? before : undefined;
}

/**
 * What resource a body or query field refers to, from its name: `az_uuid` → `az`,
 * `clusters_uuid` → `cluster`, `user_uuid` → `user`, `token` → `token`. The kinds are the names
 * under which created resources are registered (the collection segment of their path).
 */
export function resourceOfField(name: string, schema: Schema): string | undefined {
  const match = /^(.+?)s?_uuid$/.exec(name);
  if (match) return match[1];
  if (name === 'token' || name === 'join_token') return name;
  if (schema.format === 'uuid') return 'any';
  return undefined;
}
