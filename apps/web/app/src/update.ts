import { Workbox } from 'workbox-window';

/**
 * Registers the service worker. When a new version is deployed, the new
 * worker waits; `onUpdate` is told, and `apply()` activates it and reloads.
 */
export function registerServiceWorker(onUpdate: (apply: () => void) => void): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator)) return;
  const wb = new Workbox('/sw.js');
  wb.addEventListener('waiting', () =>
    onUpdate(() => {
      wb.addEventListener('controlling', () => location.reload());
      wb.messageSkipWaiting();
    }),
  );
  void wb.register();
}
