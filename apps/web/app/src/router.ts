import { useEffect, useState } from 'preact/hooks';

/** The app's routes: `/`, `/login`, `/signup`, `/@username`, `/posts/:id`. */
export type Route =
  | { name: 'home' }
  | { name: 'login' }
  | { name: 'signup' }
  | { name: 'profile'; username: string }
  | { name: 'post'; id: string }
  | { name: 'not-found' };

export function parseRoute(pathname: string): Route {
  if (pathname === '/') return { name: 'home' };
  if (pathname === '/login') return { name: 'login' };
  if (pathname === '/signup') return { name: 'signup' };
  const profile = /^\/@([A-Za-z0-9_]{1,30})\/?$/.exec(pathname);
  if (profile) return { name: 'profile', username: profile[1] };
  const post = /^\/posts\/([1-9]\d{0,18})\/?$/.exec(pathname);
  if (post) return { name: 'post', id: post[1] };
  return { name: 'not-found' };
}

const listeners = new Set<() => void>();

export function navigate(path: string, replace = false): void {
  if (path === location.pathname) return;
  if (replace) history.replaceState(null, '', path);
  else history.pushState(null, '', path);
  for (const listener of listeners) listener();
  window.scrollTo(0, 0);
}

export function useRoute(): Route {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const update = () => setPath(location.pathname);
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return parseRoute(path);
}

/** Same-origin links move within the app without a reload (modifier clicks still open new tabs). */
export function interceptLinks(root: HTMLElement): void {
  root.addEventListener('click', (event) => {
    if (
      event.defaultPrevented ||
      event.button !== 0 ||
      event.metaKey ||
      event.ctrlKey ||
      event.shiftKey ||
      event.altKey
    )
      return;
    const link = (event.target as Element).closest('a');
    if (!link || link.target || link.origin !== location.origin || link.hasAttribute('download')) return;
    event.preventDefault();
    navigate(link.pathname + link.search);
  });
}
