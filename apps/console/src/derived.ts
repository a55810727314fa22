import type { HttpMethod } from '@chime/client';
import { useQuery } from '@tanstack/react-query';

/**
 * Resources of extension modules, read from the OpenAPI document as chimecli reads its commands:
 * every tag the console has no screen of its own for becomes a resource with list, detail, create
 * and edit pages, found by the shape of its operations (a GET answering `elements` on a collection
 * path, POST on it; GET, PATCH, DELETE on the path with one more `{Param}`).
 */
export const HAND_TUNED_TAGS = new Set(['az', 'cluster', 'user', 'operation_log', 'event']);

export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: (string | number)[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  description?: string;
  default?: unknown;
  nullable?: boolean;
  $ref?: string;
}

interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  summary?: string;
  parameters?: { name: string; in: string; required?: boolean; schema?: JsonSchema }[];
  requestBody?: { content: { 'application/json'?: { schema: JsonSchema } } };
  responses: Record<string, { content?: { 'application/json'?: { schema: JsonSchema } } }>;
}

export interface OpenApiDocument {
  paths: Record<string, Partial<Record<Lowercase<HttpMethod>, OpenApiOperation>>>;
  components: { schemas: Record<string, JsonSchema> };
  tags?: { name: string; description?: string }[];
}

export interface DerivedOperation {
  method: HttpMethod;
  path: string;
  operationId: string;
  body?: JsonSchema;
  query: { name: string; schema: JsonSchema }[];
}

export interface DerivedResource {
  tag: string;
  title: string;
  description: string;
  /** The path parameter naming one element (`{InstanceSpecUuid}`) and the field that holds it. */
  idParam?: string;
  idField: string;
  /** Path parameters of the collection itself (a resource under a parent); the pages ask for them. */
  parentParams: string[];
  element?: JsonSchema;
  list?: DerivedOperation;
  get?: DerivedOperation;
  create?: DerivedOperation;
  update?: DerivedOperation;
  remove?: DerivedOperation;
}

export function resolve(document: OpenApiDocument, schema: JsonSchema | undefined): JsonSchema | undefined {
  if (!schema?.$ref) return schema;
  return resolve(document, document.components.schemas[schema.$ref.split('/').pop()!]);
}

const params = (path: string) => [...path.matchAll(/\{([^}]+)\}/g)].map((match) => match[1]);

export function deriveResources(document: OpenApiDocument): DerivedResource[] {
  const byTag = new Map<string, DerivedResource>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [lowerMethod, operation] of Object.entries(item)) {
      const tag = operation?.tags?.[0];
      if (!operation || !tag || HAND_TUNED_TAGS.has(tag)) continue;
      const description = document.tags?.find((t) => t.name === tag)?.description ?? tag;
      const resource =
        byTag.get(tag) ??
        byTag.set(tag, { tag, title: tag.replaceAll('_', ' '), description, idField: 'uuid', parentParams: [] }).get(tag)!;
      const method = lowerMethod.toUpperCase() as HttpMethod;
      const derived: DerivedOperation = {
        method,
        path,
        operationId: operation.operationId,
        body: resolve(document, operation.requestBody?.content['application/json']?.schema),
        query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
      };
      const result = resolve(document, operation.responses['200']?.content?.['application/json']?.schema)?.properties?.result;
      const isItemPath = /\/\{[^}]+\}$/.test(path);
      if (method === 'GET' && !isItemPath && resolve(document, result)?.properties?.elements) {
        resource.list = derived;
        resource.parentParams = params(path);
        resource.element = resolve(document, resolve(document, result)?.properties?.elements?.items);
      } else if (method === 'POST' && !isItemPath) resource.create = derived;
      else if (isItemPath && method === 'GET') resource.get = derived;
      else if (isItemPath && method === 'PATCH') resource.update = derived;
      else if (isItemPath && method === 'DELETE') resource.remove = derived;
      if (isItemPath && ['GET', 'PATCH', 'DELETE'].includes(method)) resource.idParam = params(path).pop();
    }
  }
  for (const resource of byTag.values()) {
    const fields = Object.keys(resource.element?.properties ?? {});
    resource.idField = fields.includes('uuid') ? 'uuid' : fields.includes('id') ? 'id' : (fields[0] ?? 'uuid');
  }
  return [...byTag.values()].filter((resource) => resource.list).sort((a, b) => a.tag.localeCompare(b.tag));
}

/**
 * The server's OpenAPI document. It is documentation, public and outside the envelope, so it is
 * the one thing not read through @chime/client (which has no operation for it).
 */
export function useResources() {
  return useQuery({
    queryKey: ['openapi'],
    queryFn: async () => {
      const response = await fetch('/v1/openapi.json', { headers: { accept: 'application/json' } });
      if (!response.ok) throw new Error(`the API document could not be read (HTTP ${response.status})`);
      return deriveResources((await response.json()) as OpenApiDocument);
    },
    staleTime: Infinity,
  });
}
