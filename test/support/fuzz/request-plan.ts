import fc from 'fast-check';
import { ApiOperation, resourceOfField, Schema } from './api-operations';
import { Mutation, mutationsFor } from './mutations';
import { Value } from './values';

/** Who the request claims to be. Tokens themselves are known only at send time (the fixture's). */
export type Auth =
  | { kind: 'role'; role: number }
  | { kind: 'none' }
  | { kind: 'unknown'; token: string }
  | { kind: 'revoked' }
  /** A malformed `Authorization` header; `{token}` stands for the token of role 0. */
  | { kind: 'header'; value: string };

/** One request, generated before the run: resources are referenced (`Ref`), resolved when sent. */
export interface RequestPlan {
  operation: ApiOperation;
  pathParams: Record<string, Value>;
  query: [string, Value][];
  headers: [string, Value][];
  /** Absent: no body at all. */
  body?: Value;
  /** How the body is written: JSON text, or the members of a top-level object as a form. */
  encoding: 'json' | 'form' | 'multipart';
  /** Absent: no Content-Type header. */
  contentType?: string;
  auth: Auth;
  /** What was done to the valid request, for the failure report. */
  mutations: { kind: string; label: string }[];
}

/** Mostly valid requests built from the schema (60%), the rest with one to three mutations. */
export function requestPlans(operations: ApiOperation[]): fc.Arbitrary<RequestPlan> {
  if (operations.length === 0) throw new Error('the document has no operations');
  const perOperation = operations.map((operation) =>
    fc
      .tuple(
        validPlan(operation),
        fc.oneof(
          { arbitrary: fc.constant<Mutation[]>([]), weight: 6 },
          // Mostly one mutation, so that it reaches past the first check that would refuse another.
          { arbitrary: fc.array(mutationsFor(operation), { minLength: 1, maxLength: 1 }), weight: 2 },
          { arbitrary: fc.array(mutationsFor(operation), { minLength: 2, maxLength: 3 }), weight: 2 },
        ),
      )
      .map(([plan, mutations]) => {
        for (const mutation of mutations) {
          mutation.apply(plan);
          plan.mutations.push({ kind: mutation.kind, label: mutation.label });
        }
        return plan;
      }),
  );
  return fc.oneof(...perOperation);
}

export function validPlan(operation: ApiOperation): fc.Arbitrary<RequestPlan> {
  const path = operation.parameters.filter((p) => p.in === 'path');
  const query = operation.parameters.filter((p) => p.in === 'query');
  const headers = operation.parameters.filter((p) => p.in === 'header');
  const optional = <T>(arbitrary: fc.Arbitrary<T>, required: boolean, freq: number) =>
    required ? arbitrary : fc.option(arbitrary, { nil: undefined, freq });
  return fc
    .record({
      pathParams: fc.tuple(...path.map((p) => pathValue(p.resource, p.schema).map((v) => [p.name, v] as const))),
      query: fc.tuple(
        ...query.map((p) =>
          optional(
            validValue(p.schema, p.name).map((v) => [p.name, v] as const),
            p.required,
            3,
          ),
        ),
      ),
      headers: fc.tuple(
        ...headers.map((p) =>
          optional(
            headerValue().map((v) => [p.name, v] as const),
            false,
            2,
          ),
        ),
      ),
      requestId: fc.option(fc.uuid({ version: 4 }), { nil: undefined, freq: 10 }),
      body: operation.body ? validValue(operation.body).map((v): Value | undefined => v) : fc.constant(undefined),
      charset: fc.boolean(),
      auth: authArbitrary(),
    })
    .map((r) => ({
      operation,
      pathParams: Object.fromEntries(r.pathParams),
      query: r.query.filter((q) => q !== undefined).map(([k, v]) => [k, v]),
      headers: [
        ...r.headers.filter((h) => h !== undefined).map(([k, v]): [string, Value] => [k, v]),
        ...(r.requestId ? [['X-Request-Id', r.requestId] as [string, Value]] : []),
      ],
      body: r.body,
      encoding: 'json' as const,
      contentType: r.body === undefined ? undefined : r.charset ? 'application/json; charset=utf-8' : 'application/json',
      auth: r.auth,
      mutations: [],
    }));
}

function authArbitrary(): fc.Arbitrary<Auth> {
  return fc.oneof(
    { arbitrary: fc.integer({ min: 0, max: 3 }).map((role): Auth => ({ kind: 'role', role })), weight: 14 },
    { arbitrary: fc.constant<Auth>({ kind: 'none' }), weight: 2 },
    { arbitrary: fc.uuid({ version: 4 }).map((token): Auth => ({ kind: 'unknown', token })), weight: 1 },
    { arbitrary: fc.constant<Auth>({ kind: 'revoked' }), weight: 1 },
    {
      arbitrary: fc
        .constantFrom(
          'Bearer',
          'Bearer ',
          'Bearer  {token}',
          'bearer {token}',
          'Bearer {token}x',
          'Bearer {token} {token}',
          'Basic YWRtaW46YWRtaW4=',
          'Token {token}',
          '{token}',
          'Bearer not-a-token',
          'Bearer 00000000-0000-0000-0000-000000000000',
        )
        .map((value): Auth => ({ kind: 'header', value })),
      weight: 2,
    },
  );
}

/** A path parameter names a resource of the collection before it (`/az/{AzUuid}` → `az`). */
function pathValue(resource: string | undefined, schema: Schema): fc.Arbitrary<Value> {
  return reference(resource ?? 'any', schema);
}

function reference(resource: string, schema: Schema): fc.Arbitrary<Value> {
  const fallback =
    schema.type === 'number' || schema.type === 'integer' ? fc.integer({ min: 1, max: 200 }) : fc.uuid({ version: 4 });
  return fc.record({ ref: fc.constant(resource), pick: fc.nat(), fallback });
}

function headerValue(): fc.Arbitrary<Value> {
  return fc.oneof(fc.nat({ max: 100_000 }).map(String), fc.stringMatching(/^[ -~]{0,20}$/));
}

/** A value the schema accepts; fields named after a resource (`az_uuid`, `token`) reference one. */
export function validValue(schema: Schema, field?: string): fc.Arbitrary<Value> {
  const resource = field === undefined ? undefined : resourceOfField(field, schema);
  const value = resource ? reference(resource, schema) : valueOfType(schema);
  if (schema.example !== undefined && typeof schema.example !== 'object') {
    return fc.oneof({ arbitrary: value, weight: 2 }, { arbitrary: fc.constant(schema.example as Value), weight: 1 });
  }
  return schema.nullable ? fc.oneof({ arbitrary: value, weight: 9 }, { arbitrary: fc.constant(null), weight: 1 }) : value;
}

function valueOfType(schema: Schema): fc.Arbitrary<Value> {
  if (schema.enum) return fc.constantFrom(...(schema.enum as Value[]));
  switch (schema.type) {
    case 'string':
      return stringOf(schema);
    case 'integer': {
      const min = schema.minimum ?? 0;
      return fc.integer({ min, max: Math.min(schema.maximum ?? min + 1000, min + 1000) });
    }
    case 'number': {
      // Bounds may be fractional (a ratio of at least 0.01): whole numbers and fractions within them.
      const min = schema.minimum ?? 0;
      const max = Math.min(schema.maximum ?? min + 1000, min + 1000);
      return fc.oneof(fc.integer({ min: Math.ceil(min), max: Math.floor(max) }), fc.double({ min, max, noNaN: true }));
    }
    case 'boolean':
      return fc.boolean();
    case 'array':
      return fc.array(valueOfType(schema.items ?? {}), { maxLength: 4 }).map((array) => ({ array }));
    case 'object':
      return objectOf(schema);
    default:
      return fc.oneof(fc.string(), fc.integer(), fc.boolean(), fc.constant(null));
  }
}

function stringOf(schema: Schema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? 64;
  if (schema.pattern) {
    return fc.stringMatching(new RegExp(schema.pattern)).filter((s) => s.length >= min && s.length <= max);
  }
  return fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: Math.max(min, Math.min(max, 16)) }), weight: 6 },
    { arbitrary: fc.string({ unit: 'grapheme', minLength: min, maxLength: Math.max(min, Math.min(max, 8)) }), weight: 2 },
    { arbitrary: fc.string({ minLength: max, maxLength: max }), weight: 1 },
  );
}

function objectOf(schema: Schema): fc.Arbitrary<Value> {
  const required = new Set(schema.required ?? []);
  const members = Object.entries(schema.properties ?? {}).map(([name, property]) => {
    const member = validValue(property, name).map((v): [string, Value] => [name, v]);
    return required.has(name) ? member : fc.option(member, { nil: undefined, freq: 2 });
  });
  return fc.tuple(...members).map((entries) => ({ object: entries.filter((e) => e !== undefined) }));
}
