import { type ErrorStatus, HTTP_STATUS_OF, type SuccessEnvelope } from '@chime/contracts';
import createClient, { type Client } from 'openapi-fetch';
import type { EnvelopeOf, EnvelopeOperationId, HttpMethod, Operation, RequestArgs, ResultOf, UntypedRequest } from './api-types';
import { ChimeApiError, ChimeConnectionError } from './errors';
import { OPERATIONS } from './generated/operations';

/**
 * How this class sees openapi-fetch: any path, any method, untyped, because the operation is
 * chosen at run time; call() and send() carry the generated types instead.
 */
type UntypedPaths = Record<string, Record<Lowercase<HttpMethod>, UntypedOperation>>;
interface UntypedOperation {
  parameters: { query?: Record<string, unknown>; path?: Record<string, unknown> };
  requestBody?: { content: { 'application/json': unknown } };
  responses: Record<number, { content: { 'application/json': unknown } }>;
}

const lowerCase = <Word extends string>(word: Word) => word.toLowerCase() as Lowercase<Word>;

export interface ChimeClientOptions {
  /** `http://host:8801`, or just `host:8801` (then http:// is meant). */
  endpoint: string;
  /** The token from login; login() sets it. */
  token?: string;
  /** How long to wait for the whole answer before giving up with a ChimeConnectionError (default 60 s). */
  timeoutMs?: number;
  /** Another fetch (tests, proxies); default the global one (Node 20 and browsers). */
  fetch?: (request: Request) => Promise<Response>;
}

/**
 * The ChimeStack API, typed from its OpenAPI document: `call(operationId, request)` returns the
 * envelope's `result` and throws a ChimeApiError (the server said no) or a ChimeConnectionError
 * (no answer in time). Operations and their types are generated at build (./generated); the
 * requests go through openapi-fetch. This class adds only what the document cannot: the token
 * kept across calls, the endpoint as people type it, a timeout, and the envelope unwrapped.
 */
export class ChimeClient {
  readonly endpoint: string;
  token: string | undefined;
  private readonly timeoutMs: number;
  private readonly http: Client<UntypedPaths>;

  constructor(options: ChimeClientOptions) {
    this.endpoint = normalizeEndpoint(options.endpoint);
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    const { fetch = (request: Request) => globalThis.fetch(request) } = options;
    // openapi-fetch calls the fetch it is given as a plain function. Calling it as a method of
    // another object (`this.fetch(…)`) is what browsers refuse with "Illegal invocation".
    this.http = createClient<UntypedPaths>({ baseUrl: this.endpoint, fetch });
  }

  /** Logs in and keeps the token for the calls that follow. */
  async login(userName: string, password: string): Promise<ResultOf<'login'>> {
    const result = await this.call('login', { body: { user_name: userName, password } });
    this.token = result.user.uuid;
    return result;
  }

  /** Revokes the token on the server and forgets it; harmless without one. */
  async logout(): Promise<ResultOf<'logout'>> {
    if (this.token === undefined) return 'ok';
    const result = await this.call('logout', { body: { token: this.token } });
    this.token = undefined;
    return result;
  }

  /** Who the token belongs to; a ChimeApiError 401 when it is not valid now. */
  auth(token = this.token): Promise<ResultOf<'auth'>> {
    if (token === undefined) return Promise.reject(new TypeError('no token: log in first'));
    return this.call('auth', { body: { token } });
  }

  /** Any operation of the document by its operationId; returns the envelope's `result`. */
  async call<Id extends EnvelopeOperationId>(operationId: Id, ...request: RequestArgs<Id>): Promise<ResultOf<Id>> {
    return (await this.send(operationId, ...request)).result;
  }

  /** Like call(), but returns the whole success envelope (its requestId too). */
  async send<Id extends EnvelopeOperationId>(operationId: Id, ...[request]: RequestArgs<Id>): Promise<EnvelopeOf<Id>> {
    // The generated types vouch for the request's shape and the result's; the run time checks only the envelope.
    return (await this.sendTo(OPERATIONS[operationId], request as UntypedRequest | undefined)) as EnvelopeOf<Id>;
  }

  /**
   * An operation by method and path, for callers that read the operations from a document
   * themselves (chimecli, which may be given a newer server's document); the result is untyped.
   */
  async sendTo(operation: Operation, request: UntypedRequest = {}): Promise<SuccessEnvelope<unknown>> {
    requirePathParams(operation.path, request.params?.path);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let answer: { data?: unknown; error?: unknown; response: Response };
    try {
      answer = await this.http.request(lowerCase(operation.method), operation.path, {
        params: request.params,
        body: request.body,
        headers,
        // Text, so that an answer that is not JSON can be told apart below (openapi-fetch would throw).
        parseAs: 'text',
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw this.connectionError(error);
    }
    const { response } = answer;
    return unwrap(`${this.endpoint}${operation.path}`, response, response.ok ? answer.data : answer.error);
  }

  private connectionError(error: unknown): ChimeConnectionError {
    const { name, message, cause } = error as { name?: string; message?: string; cause?: { code?: string; message?: string } };
    if (name === 'TimeoutError' || name === 'AbortError') {
      return new ChimeConnectionError(
        this.endpoint,
        `no answer from the ChimeStack API at ${this.endpoint} within ${this.timeoutMs / 1000} s`,
        { cause: error },
      );
    }
    // undici reports "fetch failed" and hides the reason (ECONNREFUSED, ENOTFOUND, …) in `cause`.
    const reason = cause?.code ?? cause?.message ?? message ?? String(error);
    return new ChimeConnectionError(this.endpoint, `cannot reach the ChimeStack API at ${this.endpoint}: ${reason}`, {
      cause: error,
    });
  }
}

/**
 * `host:port` → `http://host:port`; no trailing slash, and no trailing `/v1` because every
 * operation path starts with it. Another path prefix (a reverse proxy's) is kept.
 */
export function normalizeEndpoint(endpoint: string): string {
  const given = endpoint.trim();
  let url: URL;
  try {
    url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(given) ? given : `http://${given}`);
  } catch {
    throw new TypeError(`invalid API endpoint "${endpoint}": expected host:port or http(s)://host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new TypeError(`invalid API endpoint "${endpoint}": only http and https are supported`);
  }
  const prefix = url.pathname.replace(/\/+$/, '').replace(/\/v1$/, '');
  return url.origin + prefix;
}

/**
 * A missing or empty path parameter is a programming error, refused before anything is sent:
 * openapi-fetch would send `/v1/az//cluster` or the template itself, and the server's 404 would hide the cause.
 */
function requirePathParams(template: string, path: Record<string, string | number> = {}): void {
  for (const [, name] of template.matchAll(/\{([^}]+)\}/g)) {
    const value = path[name];
    if (value === undefined || value === null || value === '') {
      throw new TypeError(`missing path parameter ${name} for ${template}`);
    }
  }
}

/** The success envelope, or the failure envelope thrown as a ChimeApiError. */
function unwrap(url: string, response: Response, body: unknown): SuccessEnvelope<unknown> {
  const envelope = parseJson(body) as
    { requestId?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; status?: unknown } } | undefined;
  const isEnvelope =
    typeof envelope === 'object' &&
    envelope !== null &&
    typeof envelope.requestId === 'string' &&
    ('result' in envelope || 'error' in envelope);
  if (!isEnvelope) {
    // Usually a wrong endpoint (another web server, a proxy's error page): say so instead of "bad JSON".
    const type = response.headers.get('content-type');
    throw new ChimeApiError(
      response.status,
      statusOfHttp(response.status),
      `the answer from ${url} is not a ChimeStack API response (HTTP ${response.status}${type ? `, ${type}` : ''}); is the endpoint right?`,
      response.headers.get('x-request-id') ?? '',
    );
  }
  const requestId = envelope.requestId as string;
  const { error } = envelope;
  if (error) {
    const code = typeof error.code === 'number' ? error.code : response.status;
    const status = typeof error.status === 'string' ? (error.status as ErrorStatus) : statusOfHttp(code);
    throw new ChimeApiError(code, status, String(error.message ?? `HTTP ${code}`), requestId);
  }
  return envelope as SuccessEnvelope<unknown>;
}

/** openapi-fetch hands over a success as text (parseAs) and a failure as parsed JSON where it parses. */
function parseJson(body: unknown): unknown {
  if (typeof body !== 'string') return body;
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function statusOfHttp(code: number): ErrorStatus {
  const match = (Object.entries(HTTP_STATUS_OF) as [ErrorStatus, number][]).find(([, http]) => http === code);
  return match ? match[0] : 'INTERNAL';
}
