import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { HTTP_STATUS_OF, type ErrorStatus } from '@chime/contracts';

/** A response as a test received it: enough to hold it against the document. */
export interface ObservedResponse {
  method: string;
  /** The request's path with its query, or a whole URL. */
  url: string;
  status: number;
  /** Header names in lower case, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The body as text; undefined when it was not read (an event stream that stays open). */
  text?: string;
}

/** What one check found: which operation (or rule) the response was held against, and what is wrong. */
export interface ResponseCheck {
  against: string;
  problems: string[];
}

type Json = Record<string, unknown>;
interface ResponseObject {
  content?: Record<string, { schema?: Json }>;
  headers?: Record<string, { required?: boolean; schema?: Json; $ref?: string }>;
  $ref?: string;
}
interface Operation {
  operationId: string;
  responses: Record<string, ResponseObject>;
}
export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Json>; responses?: Record<string, ResponseObject> };
}

interface Route {
  method: string;
  template: string;
  pattern: RegExp;
  literalSegments: number;
  operation: Operation;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** The server's own routes outside the API and its contract: health, metrics, the document and its viewer, the console. */
const PLATFORM_ROUTE = /^\/(healthz|readyz|metrics|v1\/openapi\.(json|yaml)|v1\/docs(\/.*)?|console(\/.*)?)?\/?$/i;
const COMPONENTS_ID = 'https://chime.invalid/openapi/components.json';
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];

/**
 * Holds responses against an OpenAPI 3.0 document (the one the server under test serves), so that
 * every response a test receives is one the contract describes. What is checked:
 *
 * - **Every response**: an `X-Request-Id` header holding a UUID; a JSON body that carries a
 *   `requestId` carries that same id.
 * - **A documented operation** (matched by method and path template, `/v1/az/{AzUuid}` matching
 *   any one path segment, literal segments winning over parameters; case and a trailing slash are
 *   ignored as Express ignores them): the status is one the operation lists (or `default`); the
 *   media type of `Content-Type` is one of that response's `content`; each documented header that
 *   is `required` is present, and each present one fits its schema; a JSON body is valid against
 *   the response's schema, `$ref`s resolved into `components` (OpenAPI 3.0: `nullable`, formats
 *   `uuid`, `date-time`, `int64`; `example` is an annotation). A body not read (an open event
 *   stream) is not checked.
 * - **The platform's own routes** (`GET` of `/healthz`, `/readyz`, `/metrics`, `/v1/openapi.json|yaml`,
 *   `/v1/docs…`, `/` and the web console under `/console`), outside the contract: the `X-Request-Id`
 *   header only.
 * - **Any other request** (an unknown route, a method a path does not have, a test-only probe
 *   route the document excludes): the generic envelope of API.md §1.1 as JSON, i.e. HTTP 200 with
 *   `{requestId, result}`, or `{requestId, error: {code, message, status}}` where `code` is the
 *   HTTP status and `status` is an error status of that HTTP status (so a 404 is `NOT_FOUND`).
 *
 * Schemas are compiled once per document, by operation, status and media type.
 */
export class ResponseContract {
  private readonly ajv: Ajv;
  private readonly routes: Route[];
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly document: OpenApiDocument) {
    this.ajv = new Ajv({ allErrors: true, strictTypes: false });
    addFormats(this.ajv);
    this.ajv.addFormat('int64', { type: 'number', validate: (value: number) => Number.isSafeInteger(value) });
    this.ajv.addKeyword({ keyword: 'example' });
    this.ajv.addSchema({ $id: COMPONENTS_ID, definitions: rewriteRefs(document.components?.schemas ?? {}) });
    this.routes = Object.entries(document.paths)
      .flatMap(([template, item]) =>
        Object.entries(item)
          .filter(([method]) => METHODS.includes(method))
          .map(([method, operation]) => ({
            method: method.toUpperCase(),
            template,
            pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+').replace(/\./g, '\\.')}/?$`, 'i'),
            literalSegments: template.split('/').filter((segment) => segment && !segment.startsWith('{')).length,
            operation,
          })),
      )
      .sort((a, b) => b.literalSegments - a.literalSegments);
  }

  /** Every way `response` departs from the document (none: it is one the document describes). */
  check(response: ObservedResponse): ResponseCheck {
    const method = response.method.toUpperCase();
    const path = new URL(response.url, 'http://server.invalid').pathname;
    const route = this.routes.find((r) => r.method === method && r.pattern.test(path));
    const problems = requestIdProblems(response);
    if (route) {
      const against = `${route.operation.operationId} (${route.method} ${route.template})`;
      return { against, problems: [...problems, ...this.operationProblems(route.operation, response)] };
    }
    if ((method === 'GET' || method === 'HEAD') && PLATFORM_ROUTE.test(path))
      return { against: `the platform route ${method} ${path}`, problems };
    return {
      against: `the generic envelope (${method} ${path} is no operation of the document)`,
      problems: [...problems, ...envelopeProblems(response)],
    };
  }

  /** Throws an error that says what was requested, what the document expected, and what came instead. */
  assert(response: ObservedResponse): void {
    const { against, problems } = this.check(response);
    if (problems.length > 0) throw new Error(describeFailure(response, against, problems));
  }

  private operationProblems(operation: Operation, response: ObservedResponse): string[] {
    const documented = operation.responses[String(response.status)] ?? operation.responses.default;
    if (!documented) {
      return [`status ${response.status} is not documented (documented: ${Object.keys(operation.responses).join(', ')})`];
    }
    const answer = this.resolve<ResponseObject>(documented);
    const problems: string[] = [];
    const mediaType = mediaTypeOf(response);
    const media = answer.content?.[mediaType];
    if (answer.content && !media) {
      problems.push(
        `Content-Type ${mediaType || '(none)'} is not documented (documented: ${Object.keys(answer.content).join(', ')})`,
      );
    }
    for (const [name, reference] of Object.entries(answer.headers ?? {})) {
      const header = this.resolve<{ required?: boolean; schema?: Json }>(reference);
      const value = response.headers[name.toLowerCase()];
      if (value === undefined) {
        if (header.required) problems.push(`header ${name} is required but missing`);
      } else if (header.schema) {
        const validate = this.compile(`header ${name} ${JSON.stringify(header.schema)}`, header.schema);
        if (!validate(headerValue(String(value), header.schema)))
          problems.push(...ajvProblems(`header ${name}`, validate.errors));
      }
    }
    if (media?.schema && isJson(mediaType) && response.text !== undefined) {
      const body = parseJson(response.text);
      if (body === NOT_JSON) return [...problems, 'the body is not JSON'];
      const validate = this.compile(`${operation.operationId} ${response.status} ${mediaType}`, media.schema);
      if (!validate(body)) problems.push(...ajvProblems('body', validate.errors));
    }
    return problems;
  }

  private compile(key: string, schema: Json): ValidateFunction {
    let validate = this.validators.get(key);
    if (!validate) {
      validate = this.ajv.compile(rewriteRefs(schema));
      this.validators.set(key, validate);
    }
    return validate;
  }

  /** Follows a local `$ref` (`#/components/responses/Error400`) to what it names. */
  private resolve<T>(value: T & { $ref?: string }): T {
    if (!value.$ref) return value;
    const target = value.$ref
      .replace(/^#\//, '')
      .split('/')
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[key.replace(/~1/g, '/').replace(/~0/g, '~')], this.document);
    if (target === undefined) throw new Error(`the document has no ${value.$ref}`);
    return this.resolve(target as T & { $ref?: string });
  }
}

/** `#/components/schemas/X` → the schema Ajv holds the components under. */
function rewriteRefs<T>(schema: T): T {
  return JSON.parse(JSON.stringify(schema).replaceAll('"#/components/schemas/', `"${COMPONENTS_ID}#/definitions/`)) as T;
}

const NOT_JSON = Symbol('not JSON');

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

function mediaTypeOf(response: ObservedResponse): string {
  return String(response.headers['content-type'] ?? '')
    .split(';')[0]
    .trim()
    .toLowerCase();
}

const isJson = (mediaType: string) => mediaType === 'application/json' || mediaType.endsWith('+json');

/** A header's text as the type its schema names (headers are text on the wire). */
function headerValue(text: string, schema: Json): unknown {
  return (schema.type === 'integer' || schema.type === 'number') && /^-?\d+(\.\d+)?$/.test(text) ? Number(text) : text;
}

function requestIdProblems(response: ObservedResponse): string[] {
  const header = response.headers['x-request-id'];
  if (typeof header !== 'string' || !UUID.test(header)) return [`X-Request-Id header ${JSON.stringify(header)} is not a UUID`];
  if (!isJson(mediaTypeOf(response)) || response.text === undefined) return [];
  const body = parseJson(response.text);
  const requestId = typeof body === 'object' && body !== null ? (body as Json).requestId : undefined;
  return requestId === undefined || requestId === header
    ? []
    : [`requestId ${JSON.stringify(requestId)} differs from X-Request-Id ${header}`];
}

/** The error statuses each HTTP status carries (API.md §1.1; 431 is the HTTP parser's answer to huge headers). */
function errorStatusesOf(code: number): ErrorStatus[] {
  const statuses = (Object.entries(HTTP_STATUS_OF) as [ErrorStatus, number][]).filter(([, c]) => c === code).map(([s]) => s);
  return code === 431 ? ['PAYLOAD_TOO_LARGE'] : statuses;
}

/** API.md §1.1 for a response no operation documents. */
function envelopeProblems(response: ObservedResponse): string[] {
  const mediaType = mediaTypeOf(response);
  if (mediaType !== 'application/json') return [`Content-Type ${mediaType || '(none)'} is not application/json`];
  if (response.text === undefined) return [];
  const body = parseJson(response.text);
  if (body === NOT_JSON) return ['the body is not JSON'];
  const problems: string[] = [];
  const envelope = (body ?? {}) as Json;
  const keys = Object.keys(envelope).sort().join(',');
  if (typeof envelope.requestId !== 'string' || !UUID.test(envelope.requestId)) problems.push('requestId is not a UUID');
  if (response.status === 200) {
    if (keys !== 'requestId,result') problems.push(`a success envelope has exactly requestId and result, not ${keys}`);
    return problems;
  }
  const error = envelope.error as Json | undefined;
  const statuses = errorStatusesOf(response.status);
  if (keys !== 'error,requestId') problems.push(`a failure envelope has exactly requestId and error, not ${keys}`);
  if (statuses.length === 0) problems.push(`HTTP ${response.status} is no status of API.md §1.1`);
  if (typeof error !== 'object' || error === null) return [...problems, 'error is not an object'];
  if (Object.keys(error).sort().join(',') !== 'code,message,status') problems.push('error has exactly code, message and status');
  if (error.code !== response.status)
    problems.push(`error.code ${JSON.stringify(error.code)} is not the HTTP status ${response.status}`);
  if (typeof error.message !== 'string') problems.push('error.message is not a string');
  if (!statuses.includes(error.status as ErrorStatus)) {
    problems.push(`error.status ${JSON.stringify(error.status)} is not one of HTTP ${response.status}: ${statuses.join(', ')}`);
  }
  return problems;
}

function ajvProblems(where: string, errors: ErrorObject[] | null | undefined): string[] {
  return (errors ?? []).map((error) => {
    const params = error.params as { additionalProperty?: string; allowedValues?: unknown[] };
    const detail = params.additionalProperty
      ? `: ${params.additionalProperty}`
      : params.allowedValues
        ? `: ${JSON.stringify(params.allowedValues)}`
        : '';
    return `${where}${error.instancePath} ${error.message}${detail}`;
  });
}

function describeFailure(response: ObservedResponse, against: string, problems: string[]): string {
  const path = new URL(response.url, 'http://server.invalid');
  const body =
    response.text === undefined ? '(not read)' : response.text.length > 2000 ? `${response.text.slice(0, 2000)}…` : response.text;
  return [
    `The response to ${response.method.toUpperCase()} ${path.pathname}${path.search} is not one the OpenAPI document describes.`,
    `Held against: ${against}`,
    `Status: ${response.status}, Content-Type: ${String(response.headers['content-type'] ?? '(none)')}`,
    'Problems:',
    ...problems.map((problem) => `  - ${problem}`),
    `Body: ${body}`,
  ].join('\n');
}
