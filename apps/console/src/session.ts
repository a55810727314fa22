import { useSyncExternalStore } from 'react';
import { client, type Owner, rememberToken } from './api';

/**
 * The session of the tab: who is signed in, or why nobody is (shown on the login page). A tiny
 * store rather than React state so that the query cache and the live stream can end it too.
 */
export type SessionState =
  | { status: 'checking' }
  | { status: 'signed-in'; owner: Owner }
  | { status: 'signed-out'; notice?: string };

let state: SessionState = client.token ? { status: 'checking' } : { status: 'signed-out' };
const listeners = new Set<() => void>();

function set(next: SessionState): void {
  state = next;
  listeners.forEach((listener) => listener());
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => state,
  );
}

/** Checks a token kept from before a reload; a token that no longer works is dropped. */
export async function resumeSession(): Promise<void> {
  if (!client.token) return;
  try {
    const { user } = await client.auth();
    set({ status: 'signed-in', owner: user });
  } catch {
    endSession('Your session has ended. Please sign in again.');
  }
}

export async function signIn(userName: string, password: string): Promise<void> {
  const { user } = await client.login(userName, password);
  rememberToken(user.uuid);
  const owner = (await client.auth()).user;
  set({ status: 'signed-in', owner });
}

export async function signOut(): Promise<void> {
  try {
    await client.logout();
  } finally {
    endSession();
  }
}

/** Drops the token (a 401 anywhere, the live stream's end, a logout) and returns to the login page. */
export function endSession(notice?: string): void {
  rememberToken(undefined);
  if (state.status !== 'signed-out' || notice) set({ status: 'signed-out', notice });
}

/** After the signed-in user changed its own profile. */
export function refreshOwner(owner: Owner): void {
  set({ status: 'signed-in', owner });
}
