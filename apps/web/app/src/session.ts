import type { Session } from './api';
import { API_CACHE } from './sw/messages';

const KEY = 'feedline.session';

export function loadSession(): Session | undefined {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? 'null') as Session | null;
    if (!stored?.accessToken || !stored.user?.id) return undefined;
    // An expired token is no session: the app asks to log in again instead of failing each call.
    const payload = JSON.parse(
      atob(stored.accessToken.split('.')[1].replace(/-/g, '+').replace(/_/g, '/')),
    ) as {
      exp?: number;
    };
    if (payload.exp && payload.exp * 1000 < Date.now()) {
      localStorage.removeItem(KEY);
      return undefined;
    }
    return stored;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session): void {
  localStorage.setItem(KEY, JSON.stringify({ user: session.user, accessToken: session.accessToken }));
}

/** Forgets the session and what was read with it (the next person on this device must not see it offline). */
export async function clearSession(): Promise<void> {
  localStorage.removeItem(KEY);
  if ('caches' in window) await caches.delete(API_CACHE);
}
