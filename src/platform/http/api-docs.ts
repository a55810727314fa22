import { applyDecorators, type Type } from '@nestjs/common';
import { ApiExtension, ApiExtraModels, ApiOkResponse, ApiOperation, ApiResponse, getSchemaPath } from '@nestjs/swagger';
import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';
import type { ErrorStatus } from '@chime/contracts';

/**
 * What an operation's `result` is, written the way a controller reads: a view class (a schema of
 * its own), `{ az: AzViewSchema }`, `listOf(AzViewSchema)`, the literal `'ok'`, or `1` (deletes; `0` for the
 * few ChimeStack publishes so, e.g. deleteImage).
 */
export type ResultShape = Type<unknown> | 'ok' | 1 | 0 | ListShape | { [key: string]: ResultShape };

class ListShape {
  constructor(readonly element: Type<unknown>) {}
}

/** A page of a list operation (API.md §1.2): `{elements, size, total}`. */
export const listOf = (element: Type<unknown>): ListShape => new ListShape(element);

function modelsOf(shape: ResultShape): Type<unknown>[] {
  if (shape === 'ok' || shape === 1 || shape === 0) return [];
  if (shape instanceof ListShape) return [shape.element];
  if (typeof shape === 'function') return [shape];
  return Object.values(shape).flatMap(modelsOf);
}

export function schemaOf(shape: ResultShape): SchemaObject | ReferenceObject {
  if (shape === 'ok') return { type: 'string', enum: ['ok'] };
  if (shape === 1 || shape === 0) return { type: 'integer', enum: [shape] };
  if (typeof shape === 'function') return { $ref: getSchemaPath(shape) };
  if (shape instanceof ListShape) {
    return {
      type: 'object',
      required: ['elements', 'size', 'total'],
      additionalProperties: false,
      properties: {
        elements: { type: 'array', items: { $ref: getSchemaPath(shape.element) } },
        size: { type: 'integer', minimum: 0, description: 'number of elements on this page' },
        total: { type: 'integer', minimum: 0, description: 'number of elements matching the filters, on all pages' },
      },
    };
  }
  return {
    type: 'object',
    required: Object.keys(shape),
    additionalProperties: false,
    properties: Object.fromEntries(Object.entries(shape).map(([key, value]) => [key, schemaOf(value)])),
  };
}

const REQUEST_ID = { type: 'string', format: 'uuid', description: 'the request id, also in the X-Request-Id header' } as const;

/** The success envelope around a result schema (API.md §1.1). */
export function successEnvelope(result: SchemaObject | ReferenceObject): SchemaObject {
  return {
    type: 'object',
    required: ['requestId', 'result'],
    additionalProperties: false,
    properties: { requestId: REQUEST_ID, result },
  };
}

/** The failure envelope whose `error.status` is one of `statuses` (API.md §1.1). */
export function failureEnvelope(code: number, statuses: readonly ErrorStatus[]): SchemaObject {
  return {
    type: 'object',
    required: ['requestId', 'error'],
    additionalProperties: false,
    properties: {
      requestId: REQUEST_ID,
      error: {
        type: 'object',
        required: ['code', 'message', 'status'],
        additionalProperties: false,
        properties: {
          code: { type: 'integer', enum: [code], description: 'the HTTP status' },
          message: { type: 'string', description: 'for people; never a stack trace, SQL or a secret' },
          status: { type: 'string', enum: [...statuses] },
        },
      },
    },
  };
}

export interface OperationDoc {
  /** One line, ChimeStack's own wording where it has one. */
  summary: string;
  description?: string;
  result: ResultShape;
  /** An example of the whole success envelope. */
  example?: unknown;
  /** Error codes beyond those the route's shape implies, e.g. 401 for login on a public route. */
  errors?: number[];
}

/** Where ApiDoc leaves `errors` for the document's post-processing (openapi.ts), which removes it. */
export const EXTRA_ERRORS = 'x-chime-errors';

/**
 * Documents an operation: summary, description and the exact schema of its success envelope. The
 * error responses every operation can give are added to the whole document (see openapi.ts), from
 * what the route is: public or not, path parameters, a request body.
 */
export function ApiDoc({ summary, description, result, example, errors }: OperationDoc): MethodDecorator {
  const models = modelsOf(result);
  return applyDecorators(
    ApiOperation({ summary, description }),
    ...(errors ? [ApiExtension(EXTRA_ERRORS, errors)] : []),
    ...(models.length > 0 ? [ApiExtraModels(...models)] : []),
    ApiOkResponse({
      description: 'success: `{requestId, result}`',
      schema: successEnvelope(schemaOf(result)),
      ...(example === undefined ? {} : { example }),
    }),
  );
}

/**
 * The operation may answer 429 RESOURCE_EXHAUSTED, always with a Retry-After header (throttled, or
 * capped). The envelope is JSON even where the operation's success is not (an event stream).
 */
export const ApiThrottled = (why: string): MethodDecorator =>
  ApiResponse({
    status: 429,
    description: why,
    headers: {
      'Retry-After': {
        description: 'seconds to wait before trying again',
        required: true,
        schema: { type: 'integer', minimum: 1 },
      },
    },
    content: { 'application/json': { schema: failureEnvelope(429, ['RESOURCE_EXHAUSTED']) } },
  });
