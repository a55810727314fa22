import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { OperationObject, ResponseObject, SecuritySchemeObject } from '@nestjs/swagger';
import type { ErrorStatus } from '@chime/contracts';
import { EXTRA_ERRORS, failureEnvelope } from './api-docs';
import { PUBLIC_EXTENSION, SECURED_BY_EXTENSION } from './public.decorator';

/** Error responses by HTTP status: what each means, and the `error.status` values it carries (API.md §1.1). */
const ERRORS: Record<number, { description: string; statuses: ErrorStatus[] }> = {
  400: {
    description: 'invalid argument, name taken, state forbids it, or a platform limit reached',
    statuses: ['INVALID_ARGUMENT', 'ALREADY_EXISTS', 'FAILED_PRECONDITION', 'LIMIT_EXCEEDED'],
  },
  401: { description: 'no valid token (or wrong login credentials)', statuses: ['UNAUTHENTICATED'] },
  403: { description: 'the role does not allow it', statuses: ['PERMISSION_DENIED'] },
  404: { description: 'no such resource (or not under that parent)', statuses: ['NOT_FOUND'] },
  413: { description: 'request body above 1 MiB', statuses: ['PAYLOAD_TOO_LARGE'] },
  429: { description: 'too many requests; see Retry-After', statuses: ['RESOURCE_EXHAUSTED'] },
  500: { description: 'internal error, or the database cannot be reached', statuses: ['INTERNAL', 'UNAVAILABLE'] },
};

const tagDescriptions = new Map<string, string>();
const securitySchemes = new Map<string, SecuritySchemeObject>();

/** A module describes its tag (= its `chimecli` category) once, when it loads. */
export function describeApiTag(name: string, description: string): void {
  tagDescriptions.set(name, description);
}

/** A module that authenticates some routes itself (see SecuredBy) describes their scheme once, when it loads. */
export function describeSecurityScheme(name: string, scheme: SecuritySchemeObject): void {
  securitySchemes.set(name, scheme);
}

/** The error codes an operation can answer, from what it is. */
function errorCodes(path: string, operation: OperationObject & Record<string, unknown>): number[] {
  const codes = new Set([400, 413, 500, ...((operation[EXTRA_ERRORS] as number[] | undefined) ?? [])]);
  if (operation[SECURED_BY_EXTENSION]) codes.add(401);
  else if (!operation[PUBLIC_EXTENSION]) [401, 403].forEach((code) => codes.add(code));
  if (path.includes('{')) codes.add(404);
  return [...codes].sort();
}

/**
 * Completes what the decorators say with what holds for every operation: `security: []` on public
 * ones, and the error envelopes each can answer (as shared `components.responses`).
 */
function completeOperations(document: OpenAPIObject): void {
  document.components ??= {};
  const responses: Record<string, ResponseObject> = (document.components.responses ??= {}) as Record<string, ResponseObject>;
  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method] as (OperationObject & Record<string, unknown>) | undefined;
      if (!operation) continue;
      for (const code of errorCodes(path, operation)) {
        if (operation.responses[code]) continue;
        const { description, statuses } = ERRORS[code];
        responses[`Error${code}`] ??= {
          description,
          content: { 'application/json': { schema: failureEnvelope(code, statuses) } },
        };
        operation.responses[code] = { $ref: `#/components/responses/Error${code}` };
      }
      if (operation[PUBLIC_EXTENSION]) operation.security = [];
      const securedBy = operation[SECURED_BY_EXTENSION] as string | undefined;
      if (securedBy !== undefined) {
        if (!securitySchemes.has(securedBy)) throw new Error(`${path}: security scheme ${securedBy} is not described`);
        operation.security = [{ [securedBy]: [] }];
      }
      delete operation[PUBLIC_EXTENSION];
      delete operation[SECURED_BY_EXTENSION];
      delete operation[EXTRA_ERRORS];
    }
  }
  // Requests refuse unknown fields, and responses carry exactly the fields of their view.
  for (const schema of Object.values(document.components.schemas ?? {})) {
    if ('properties' in schema && schema.additionalProperties === undefined) schema.additionalProperties = false;
  }
  for (const [name, scheme] of securitySchemes) (document.components.securitySchemes ??= {})[name] = scheme;
  const used = new Set(
    Object.values(document.paths).flatMap((item) => Object.values(item).flatMap((op: OperationObject) => op.tags ?? [])),
  );
  document.tags = [...used].sort().map((name) => ({ name, description: tagDescriptions.get(name) ?? name }));
}

/** The OpenAPI document: operationIds are the controller method names, tags are the CLI's categories. */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('ChimeStack API')
    .setDescription(
      'Control plane of ChimeStack, a lightweight private cloud. Every response under `/v1` is ' +
        '`{requestId, result}` (HTTP 200) or `{requestId, error: {code, message, status}}`.',
    )
    .setVersion('dev.0.1.1')
    .setLicense('Apache-2.0', 'https://www.apache.org/licenses/LICENSE-2.0')
    .addServer('http://127.0.0.1:8801', 'a server on this machine, default port')
    .addBearerAuth({
      type: 'http',
      scheme: 'bearer',
      bearerFormat: 'UUID',
      description: 'an opaque API token (a UUID) from `POST /v1/login`; revoked by `POST /v1/logout`',
    })
    .addSecurityRequirements('bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config, { operationIdFactory: (_controller, method) => method });
  completeOperations(document);
  return document;
}

/** Serves `/v1/openapi.json`, `/v1/openapi.yaml` and the interactive `/v1/docs`, all without a token. */
export function serveOpenApi(app: INestApplication): void {
  SwaggerModule.setup('v1/docs', app, () => buildOpenApiDocument(app), {
    jsonDocumentUrl: 'v1/openapi.json',
    yamlDocumentUrl: 'v1/openapi.yaml',
    raw: ['json', 'yaml'],
  });
}
