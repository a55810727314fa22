import type { ParamsOption, RequestBodyOption } from 'openapi-fetch';
import type { components, operations } from './generated/openapi';

/**
 * The client's types, all read from the types that openapi-typescript generated from the OpenAPI
 * document (./generated/openapi.ts): nothing here names an operation or a field.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** An operation as the document names it: a method and a path template with `{Name}` path parameters. */
export interface Operation {
  method: HttpMethod;
  path: string;
}

export type OperationId = keyof operations;

/** A schema of the document by name: `Schema<'Cluster'>`, `Schema<'CreateAzRequest'>`. */
export type Schema<Name extends keyof components['schemas']> = components['schemas'][Name];

/** The operations that answer with the envelope `{requestId, result}`: all but the Server-Sent Events stream. */
export type EnvelopeOperationId = {
  [Id in OperationId]: operations[Id]['responses'] extends {
    200: { content: { 'application/json': { requestId: string; result: unknown } } };
  }
    ? Id
    : never;
}[OperationId];

/** An operation's `result`: `ResultOf<'createCluster'>` is `{ cluster: Schema<'Cluster'> }`. */
export type ResultOf<Id extends EnvelopeOperationId> = operations[Id]['responses'] extends {
  200: { content: { 'application/json': { result: infer Result } } };
}
  ? Result
  : never;

/** An operation's success envelope. */
export interface EnvelopeOf<Id extends EnvelopeOperationId> {
  requestId: string;
  result: ResultOf<Id>;
}

/**
 * What a call sends, typed by openapi-fetch from the generated operation: `params.path`,
 * `params.query` and `body`, each required exactly when the document requires it.
 */
export type RequestOf<Id extends OperationId> = ParamsOption<operations[Id]> & RequestBodyOption<operations[Id]>;

/** The request argument may be left out when nothing in it is required (`call('listAz')`). */
export type RequestArgs<Id extends OperationId> =
  RequiredKeys<RequestOf<Id>> extends never ? [request?: RequestOf<Id>] : [request: RequestOf<Id>];

type RequiredKeys<T> = { [K in keyof T]-?: Record<never, never> extends Pick<T, K> ? never : K }[keyof T];

/** A request to an operation the generated types do not know (a newer server's, read from its document). */
export interface UntypedRequest {
  params?: { path?: Record<string, string | number>; query?: Record<string, unknown> };
  body?: unknown;
}
