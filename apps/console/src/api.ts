import { ChimeApiError, ChimeClient, type ResultOf } from '@chime/client';

/** The signed-in user, as `auth` describes the token's owner. */
export type Owner = ResultOf<'auth'>['user'];

const TOKEN_KEY = 'chime.console.token';

/** Retry-After of the last answer that carried one (a 429 on login); the client's errors do not carry headers. */
let lastRetryAfterSeconds: number | undefined;

/**
 * The one API client of the tab: same origin, the token from sessionStorage (never localStorage or
 * a URL: it dies with the tab). The fetch it is given only notes Retry-After.
 */
export const client = new ChimeClient({
  endpoint: window.location.origin,
  token: sessionStorage.getItem(TOKEN_KEY) ?? undefined,
  fetch: async (request) => {
    const response = await fetch(request);
    const retryAfter = Number(response.headers.get('retry-after'));
    lastRetryAfterSeconds = retryAfter > 0 ? retryAfter : undefined;
    return response;
  },
});

export function retryAfterSeconds(): number | undefined {
  return lastRetryAfterSeconds;
}

export function rememberToken(token: string | undefined): void {
  client.token = token;
  if (token === undefined) sessionStorage.removeItem(TOKEN_KEY);
  else sessionStorage.setItem(TOKEN_KEY, token);
}

export function isApiError(error: unknown, code?: number): error is ChimeApiError {
  return error instanceof ChimeApiError && (code === undefined || error.code === code);
}

export const ROLE_NAMES = ['user', 'read-only administrator', 'administrator', 'super administrator'] as const;

/** Roles a user of `role` may give others (API.md §3): admins 0–1, the super administrator 0–2. */
export function grantableRoles(role: number): number[] {
  if (role >= 3) return [0, 1, 2];
  if (role === 2) return [0, 1];
  return [];
}

/** Who may change AZs and clusters, read all users, read the event log. */
export const canManageInfrastructure = (owner: Owner) => owner.role >= 2;
export const canReadEvents = (owner: Owner) => owner.role >= 1;
/** Hosts are infrastructure (addresses, capacity): read-only administrators and above read them. */
export const canReadHosts = (owner: Owner) => owner.role >= 1;

export const CLUSTER_TYPES = ['hyper-converged', 'compute only', 'storage only'] as const;
export const STATES = ['disabled', 'enabled'] as const;

export function formatTime(value: string | null | undefined): string {
  if (!value) return '';
  return new Date(value).toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium', timeZone: 'UTC' }) + ' UTC';
}
