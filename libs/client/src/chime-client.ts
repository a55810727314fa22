import { type AuthResult, type ErrorStatus, HTTP_STATUS_OF, type LoginResult, type SuccessEnvelope } from '@chime/contracts';
import { AzApi } from './az-api';
import { ClusterApi } from './cluster-api';
import { ChimeApiError, ChimeConnectionError } from './errors';
import { EventApi } from './event-api';
import { type CallParams, expandPath, type Operation, type OperationCaller, queryString } from './operation';
import { OperationLogApi } from './operation-log-api';
import { UserApi } from './user-api';

export interface ChimeClientOptions {
  /** `http://host:8801`, or just `host:8801` (then http:// is meant). */
  endpoint: string;
  /** The token from login; login() sets it. */
  token?: string;
  /** How long to wait for an answer before giving up with a ChimeConnectionError (default 60 s). */
  timeoutMs?: number;
  /** Another fetch (tests, proxies); default the global one of Node 20. */
  fetch?: typeof fetch;
}

/** Identity's public operations, which also manage the client's own token (API.md §2.1). */
export const AUTH_OPERATIONS = {
  login: { method: 'POST', path: '/v1/login' },
  logout: { method: 'POST', path: '/v1/logout' },
  auth: { method: 'POST', path: '/v1/auth' },
} as const satisfies Record<string, Operation>;

/**
 * A typed client of the ChimeStack API. Every call returns the envelope's `result`, or throws a
 * ChimeApiError (the server said no) or a ChimeConnectionError (no answer). Typed methods live in
 * one object per OpenAPI tag (`client.user`, `client.az`, `client.cluster`,
 * `client.operation_log`, `client.event`; see user-api.ts); `call()` reaches any operation.
 */
export class ChimeClient implements OperationCaller {
  readonly endpoint: string;
  token: string | undefined;
  readonly user: UserApi;
  readonly az: AzApi;
  readonly cluster: ClusterApi;
  readonly operation_log: OperationLogApi;
  readonly event: EventApi;
  private readonly timeoutMs: number;
  private readonly fetch: typeof fetch;

  constructor(options: ChimeClientOptions) {
    this.endpoint = normalizeEndpoint(options.endpoint);
    this.token = options.token;
    this.timeoutMs = options.timeoutMs ?? 60_000;
    this.fetch = options.fetch ?? globalThis.fetch;
    this.user = new UserApi(this);
    this.az = new AzApi(this);
    this.cluster = new ClusterApi(this);
    this.operation_log = new OperationLogApi(this);
    this.event = new EventApi(this);
  }

  /** Logs in and keeps the token for the calls that follow. */
  async login(userName: string, password: string): Promise<LoginResult> {
    const result = await this.call<LoginResult>(AUTH_OPERATIONS.login, { body: { user_name: userName, password } });
    this.token = result.user.uuid;
    return result;
  }

  /** Revokes the token on the server and forgets it; harmless without one. */
  async logout(): Promise<'ok'> {
    if (this.token === undefined) return 'ok';
    const result = await this.call<'ok'>(AUTH_OPERATIONS.logout, { body: { token: this.token } });
    this.token = undefined;
    return result;
  }

  /** Who the token belongs to; a ChimeApiError 401 when it is not valid now. */
  auth(token = this.token): Promise<AuthResult> {
    if (token === undefined) throw new TypeError('no token: log in first');
    return this.call<AuthResult>(AUTH_OPERATIONS.auth, { body: { token } });
  }

  /** Any operation; returns the envelope's `result`. */
  async call<T>(operation: Operation, params: CallParams = {}): Promise<T> {
    return (await this.send<T>(operation, params)).result;
  }

  /** Any operation; returns the whole success envelope (the CLI prints it as it is). */
  async send<T>(operation: Operation, params: CallParams = {}): Promise<SuccessEnvelope<T>> {
    const url = this.endpoint + expandPath(operation.path, params.pathParams) + queryString(params.query);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.token !== undefined) headers.authorization = `Bearer ${this.token}`;
    let body: string | undefined;
    if (params.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(params.body);
    }
    let response: Response;
    let text: string;
    try {
      response = await this.fetch(url, { method: operation.method, headers, body, signal: AbortSignal.timeout(this.timeoutMs) });
      text = await response.text();
    } catch (error) {
      throw this.connectionError(error);
    }
    return unwrap<T>(url, response, text);
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

function unwrap<T>(url: string, response: Response, text: string): SuccessEnvelope<T> {
  let envelope:
    { requestId?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; status?: unknown } } | undefined;
  try {
    envelope = JSON.parse(text);
  } catch {
    envelope = undefined;
  }
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
  const requestId = envelope!.requestId as string;
  const error = envelope!.error;
  if (error) {
    const code = typeof error.code === 'number' ? error.code : response.status;
    const status = typeof error.status === 'string' ? (error.status as ErrorStatus) : statusOfHttp(code);
    throw new ChimeApiError(code, status, String(error.message ?? `HTTP ${code}`), requestId);
  }
  return envelope as SuccessEnvelope<T>;
}

function statusOfHttp(code: number): ErrorStatus {
  const match = (Object.entries(HTTP_STATUS_OF) as [ErrorStatus, number][]).find(([, http]) => http === code);
  return match ? match[0] : 'INTERNAL';
}
