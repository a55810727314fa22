import { type AnchorHTMLAttributes, type MouseEvent, useMemo, useSyncExternalStore } from 'react';

/** Client-side routes under /console (the server answers every path there with the page). */
const BASE = '/console';
const NAVIGATED = 'chime:navigated';

function currentPath(): string {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return path === '' ? '/' : path;
}

export function usePath(): string {
  return useLocationPart(currentPath);
}

/** The query string's parameters (a page's state worth keeping across reloads and links, e.g. the parents picked). */
export function useSearchParams(): URLSearchParams {
  const search = useLocationPart(() => window.location.search);
  return useMemo(() => new URLSearchParams(search), [search]);
}

function useLocationPart(read: () => string): string {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('popstate', listener);
      window.addEventListener(NAVIGATED, listener);
      return () => {
        window.removeEventListener('popstate', listener);
        window.removeEventListener(NAVIGATED, listener);
      };
    },
    read,
  );
}

/** Goes to `path` (with its query string, if any); `replace` rewrites the current entry instead of adding one. */
export function navigate(path: string, { replace = false } = {}): void {
  if (path === currentPath() + window.location.search) return;
  window.history[replace ? 'replaceState' : 'pushState'](null, '', BASE + path);
  window.dispatchEvent(new Event(NAVIGATED));
}

/** `/az/:uuid` against `/az/1234` → `{ uuid: '1234' }`, or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const have = path.split('/');
  if (want.length !== have.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i].startsWith(':')) params[want[i].slice(1)] = decodeURIComponent(have[i]);
    else if (want[i] !== have[i]) return undefined;
  }
  return params;
}

export function Link({ to, ...props }: { to: string } & AnchorHTMLAttributes<HTMLAnchorElement>) {
  const onClick = (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    navigate(to);
  };
  return <a href={BASE + to} onClick={onClick} {...props} />;
}
