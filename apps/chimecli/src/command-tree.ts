import type { HttpMethod } from '@chime/client';

/**
 * The commands of chimecli, derived from the server's OpenAPI document: a category per tag, an
 * operation per operationId, a flag per path/query parameter and per body field. Nothing here
 * names a resource, so an operation added to the server shows up without CLI code.
 */

/** The few parts of OpenAPI 3 this reads. */
export interface Schema {
  type?: string | string[];
  format?: string;
  enum?: unknown[];
  default?: unknown;
  description?: string;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  $ref?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

interface ParameterObject {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: Schema;
}

interface OperationObject {
  operationId?: string;
  tags?: string[];
  summary?: string;
  description?: string;
  parameters?: ParameterObject[];
  requestBody?: { required?: boolean; content?: Record<string, { schema?: Schema }> };
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OperationObject>>;
  components?: { schemas?: Record<string, Schema> };
}

export interface ParamSpec {
  name: string;
  required: boolean;
  description?: string;
  schema: Schema;
}

export interface FieldSpec {
  /** The wire name, `hypervisor_type`. */
  name: string;
  /** The flag's part after `<operation>Request.`, `HypervisorType`. */
  flag: string;
  required: boolean;
  schema: Schema;
}

export interface CommandSpec {
  category: string;
  operationId: string;
  method: HttpMethod;
  path: string;
  summary?: string;
  pathParams: ParamSpec[];
  queryParams: ParamSpec[];
  /** Absent when the operation takes no body. */
  body?: { requestName: string; required: boolean; fields: FieldSpec[] };
}

/** category → operationId → command, in the document's order. */
export type CommandTree = Map<string, Map<string, CommandSpec>>;

const METHODS: HttpMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export function commandTree(document: OpenApiDocument): CommandTree {
  const tree: CommandTree = new Map();
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    for (const method of METHODS) {
      const operation = item[method.toLowerCase()];
      if (!operation?.operationId) continue;
      const category = operation.tags?.[0] ?? 'default';
      if (!tree.has(category)) tree.set(category, new Map());
      tree.get(category)!.set(operation.operationId, commandOf(document, category, method, path, operation));
    }
  }
  return tree;
}

function commandOf(
  document: OpenApiDocument,
  category: string,
  method: HttpMethod,
  path: string,
  operation: OperationObject,
): CommandSpec {
  const params = (where: string) =>
    (operation.parameters ?? [])
      .filter((p) => p.in === where)
      .map((p) => ({
        name: p.name,
        required: where === 'path' || Boolean(p.required),
        description: p.description,
        schema: resolve(document, p.schema ?? {}),
      }));
  const command: CommandSpec = {
    category,
    operationId: operation.operationId!,
    method,
    path,
    summary: operation.summary ?? operation.description,
    pathParams: params('path'),
    queryParams: params('query'),
  };
  const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
  if (bodySchema) {
    const schema = resolve(document, bodySchema);
    const required = new Set(schema.required ?? []);
    command.body = {
      requestName: `${operation.operationId}Request`,
      required: Boolean(operation.requestBody?.required),
      fields: Object.entries(schema.properties ?? {}).map(([name, field]) => ({
        name,
        flag: pascalCase(name),
        required: required.has(name),
        schema: resolve(document, field),
      })),
    };
  }
  return command;
}

/** Follows `$ref` and a lone `allOf` (how Nest's swagger wraps a referenced type). */
export function resolve(document: OpenApiDocument, schema: Schema, depth = 0): Schema {
  if (depth > 16) return schema;
  if (schema.$ref) {
    const name = schema.$ref.replace(/^#\/components\/schemas\//, '');
    const target = document.components?.schemas?.[name];
    return target ? resolve(document, { ...target, ...withoutRef(schema) }, depth + 1) : schema;
  }
  if (schema.allOf?.length === 1) {
    const { allOf, ...rest } = schema;
    return resolve(document, { ...allOf[0], ...rest }, depth + 1);
  }
  return schema;
}

function withoutRef({ $ref: _ref, ...rest }: Schema): Schema {
  return rest;
}

/** `hypervisor_type` → `HypervisorType`, as ChimeStack's CLI names body flags. */
export function pascalCase(name: string): string {
  return name
    .split(/[_\-\s]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('');
}
