import type { HttpMethod } from '@chime/client';
import { useQuery } from '@tanstack/react-query';

/**
 * Resources of extension modules, read from the OpenAPI document as chimecli reads its commands:
 * every collection of a tag the console has no screen of its own for becomes a resource with list,
 * detail, create and edit pages, found by the shape of its operations (a GET answering `elements` on
 * a collection path, POST on it; GET, PATCH, DELETE on the path with one more `{Param}`). A
 * collection under a parent (`/v1/az/{AzUuid}/cluster/{ClusterUuid}/network`) gets a picker for
 * each path parameter, filled from the list at the path before it.
 */
export const HAND_TUNED_TAGS = new Set([
  'az',
  'cluster',
  'host',
  'user',
  'operation_log',
  'event',
  'storage_pool',
  'volume_spec',
  'volume',
  'image',
  'security_group',
  'vm',
]);

/**
 * Collections the console has its own screen for although their tag is otherwise derived: NICs are
 * in the `network` tag, beside networks and subnets, which stay derived.
 */
export const HAND_TUNED_COLLECTIONS = new Set(['/v1/nic']);

export interface JsonSchema {
  type?: string;
  format?: string;
  enum?: (string | number)[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  description?: string;
  default?: unknown;
  maximum?: number;
  nullable?: boolean;
  $ref?: string;
}

interface OpenApiOperation {
  operationId: string;
  tags?: string[];
  /** Absent: the document's default, a user's bearer token. */
  security?: Record<string, string[]>[];
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

/** A parent path parameter of a nested collection (`{AzUuid}`) and the list its picker is filled from. */
export interface ParentParam {
  param: string;
  /** What the parent is called (`az`, `cluster`): the last segment of its collection path. */
  title: string;
  list: DerivedOperation;
  idField: string;
}

/**
 * One collection of an extension module: a list path with the operations on it and on its items. A
 * tag may hold several (network: networks and their subnets); each gets its own pages.
 */
export interface DerivedResource {
  /** The collection's last path segment (`network`, `subnet`): its name in the console's routes. */
  key: string;
  tag: string;
  title: string;
  description: string;
  /** The path parameter naming one element (`{InstanceSpecUuid}`) and the field that holds it. */
  idParam?: string;
  idField: string;
  /** Path parameters before the collection (a resource under a parent), outermost first, each with its picker's list. */
  parents: ParentParam[];
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

/** `InstanceSpecUuid` → `instance_spec_uuid`: the field an element keeps the path parameter's value in. */
const snakeCase = (name: string) => name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toLowerCase();

/** The field identifying an element: the one the item path parameter names, else `uuid`, else `id`. */
function idFieldOf(element: JsonSchema | undefined, idParam: string | undefined): string {
  const fields = Object.keys(element?.properties ?? {});
  if (idParam && fields.includes(snakeCase(idParam))) return snakeCase(idParam);
  return fields.includes('uuid') ? 'uuid' : fields.includes('id') ? 'id' : (fields[0] ?? 'uuid');
}

/** Every collection of the document (the console's own ones too: they are the parents of nested ones), by list path. */
function deriveCollections(document: OpenApiDocument): Map<string, DerivedResource> {
  const collections = new Map<string, DerivedResource>();
  const operationOf = (path: string, method: HttpMethod, operation: OpenApiOperation): DerivedOperation => ({
    method,
    path,
    operationId: operation.operationId,
    body: resolve(document, operation.requestBody?.content['application/json']?.schema),
    query: (operation.parameters ?? []).filter((p) => p.in === 'query').map((p) => ({ name: p.name, schema: p.schema ?? {} })),
  });
  for (const [path, item] of Object.entries(document.paths)) {
    const operation = item.get;
    // Routes for node agents (their own credential, not a user's token) are nothing a person browses.
    if (operation?.security?.length && !operation.security.some((scheme) => 'bearer' in scheme)) continue;
    const result = resolve(document, operation?.responses['200']?.content?.['application/json']?.schema)?.properties?.result;
    const elements = resolve(document, result)?.properties?.elements;
    if (!operation || !elements || /\}$/.test(path)) continue;
    const key = path.split('/').pop()!;
    const tag = operation.tags?.[0] ?? key;
    collections.set(path, {
      key,
      tag,
      title: key.replaceAll('_', ' '),
      description: document.tags?.find((t) => t.name === tag)?.description ?? operation.summary ?? tag,
      idField: 'uuid',
      parents: [],
      element: resolve(document, elements.items),
      list: operationOf(path, 'GET', operation),
      create: item.post && operationOf(path, 'POST', item.post),
    });
  }
  for (const [path, item] of Object.entries(document.paths)) {
    const match = /^(.*)\/\{([^}/]+)\}$/.exec(path);
    const collection = match && collections.get(match[1]);
    if (!collection) continue;
    collection.idParam = match[2];
    if (item.get) collection.get = operationOf(path, 'GET', item.get);
    if (item.patch) collection.update = operationOf(path, 'PATCH', item.patch);
    if (item.delete) collection.remove = operationOf(path, 'DELETE', item.delete);
  }
  for (const collection of collections.values()) collection.idField = idFieldOf(collection.element, collection.idParam);
  return collections;
}

export function deriveResources(document: OpenApiDocument): DerivedResource[] {
  const collections = deriveCollections(document);
  const resources = [...collections.entries()].filter(
    ([path, resource]) => !HAND_TUNED_TAGS.has(resource.tag) && !HAND_TUNED_COLLECTIONS.has(path),
  );
  for (const [path, resource] of resources) {
    // `{ClusterUuid}` is picked from the list at the path before it: GET /v1/az/{AzUuid}/cluster.
    for (const param of params(path)) {
      const parent = collections.get(path.slice(0, path.indexOf(`/{${param}}`)));
      if (!parent) continue; // no list to pick from: the page says so
      resource.parents.push({ param, title: parent.title, list: parent.list!, idField: parent.idField });
    }
  }
  // Within a tag, the outermost collection first (networks before their subnets).
  return resources
    .map(([, resource]) => resource)
    .sort((a, b) => a.tag.localeCompare(b.tag) || a.list!.path.split('/').length - b.list!.path.split('/').length || a.key.localeCompare(b.key));
}

/** Path parameters of a resource's collection that the document offers no list to pick from. */
export const unpickable = (resource: DerivedResource) =>
  params(resource.list!.path).filter((param) => !resource.parents.some((parent) => parent.param === param));

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
