import { type AnchorHTMLAttributes, type MouseEvent, useSyncExternalStore } from 'react';

/** Client-side routes under /console (the server answers every path there with the page). */
const BASE = '/console';
const NAVIGATED = 'chime:navigated';

function currentPath(): string {
  const path = window.location.pathname.startsWith(BASE) ? window.location.pathname.slice(BASE.length) : '/';
  return path === '' ? '/' : path;
}

export function usePath(): string {
  return useSyncExternalStore(
    (listener) => {
      window.addEventListener('popstate', listener);
      window.addEventListener(NAVIGATED, listener);
      return () => {
        window.removeEventListener('popstate', listener);
        window.removeEventListener(NAVIGATED, listener);
      };
    },
    currentPath,
  );
}

export function navigate(path: string): void {
  if (path === currentPath()) return;
  window.history.pushState(null, '', BASE + path);
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
