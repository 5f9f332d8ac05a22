import { useEffect, useState } from 'preact/hooks';
import { Api, ApiError } from '../api';
import { useApp } from '../context';

type PushState = 'unsupported' | 'checking' | 'off' | 'on' | 'blocked' | 'busy';

function keyBytes(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

async function currentSubscription(): Promise<PushSubscription | null> {
  const registration = await navigator.serviceWorker.ready;
  return registration.pushManager.getSubscription();
}

/** Turns push off for this browser (also at log out: the next person must not get these notifications). */
export async function unsubscribePush(api: Api): Promise<void> {
  if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return;
  const subscription = await currentSubscription();
  if (!subscription) return;
  await api.removePushSubscription(subscription.endpoint).catch(() => undefined);
  await subscription.unsubscribe();
}

/** Opt-in for notifications: asks permission only when the person presses the button. */
export function NotificationsToggle({ describedBy }: { describedBy?: string }) {
  const { api } = useApp();
  const [state, setState] = useState<PushState>('checking');
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
      setState('unsupported');
      return;
    }
    if (Notification.permission === 'denied') return setState('blocked');
    currentSubscription()
      .then((subscription) => setState(subscription ? 'on' : 'off'))
      .catch(() => setState('off'));
  }, []);

  const turnOn = async () => {
    setState('busy');
    setError(undefined);
    try {
      if ((await Notification.requestPermission()) !== 'granted') return setState('blocked');
      const { vapidPublicKey } = await api.pushConfig();
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(vapidPublicKey),
      });
      await api.addPushSubscription(subscription.toJSON());
      setState('on');
    } catch (e) {
      setError(
        e instanceof ApiError && e.status === 404
          ? 'This server does not send notifications yet.'
          : `Could not turn notifications on: ${(e as Error).message}`,
      );
      setState('off');
    }
  };

  const turnOff = async () => {
    setState('busy');
    await unsubscribePush(api);
    setState('off');
  };

  if (state === 'unsupported') return null;
  return (
    <div class="notifications">
      {state === 'blocked' ? (
        <span class="hint">Notifications are blocked in this browser’s settings.</span>
      ) : (
        <button
          type="button"
          id="notifications-button"
          class="secondary"
          aria-pressed={state === 'on'}
          aria-describedby={describedBy}
          disabled={state === 'busy' || state === 'checking'}
          onClick={() => void (state === 'on' ? turnOff() : turnOn())}
        >
          {state === 'on' ? 'Notifications on' : 'Turn on notifications'}
        </button>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
