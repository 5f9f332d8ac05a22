import { useEffect, useMemo, useState } from 'preact/hooks';
import { Api, Session } from './api';
import type { AppConfig } from './config';
import { AppContext, useApp } from './context';
import { unsubscribePush } from './push/notifications';
import { navigate, Route, useRoute } from './router';
import { AuthScreen } from './screens/auth-screen';
import { HomeScreen } from './screens/home-screen';
import { PostScreen } from './screens/post-screen';
import { ProfileScreen } from './screens/profile-screen';
import { clearSession, loadSession, saveSession } from './session';

export function App({
  config,
  updates,
}: {
  config: AppConfig;
  updates: (listener: (apply: () => void) => void) => void;
}) {
  const [session, setSessionState] = useState<Session | undefined>(loadSession);
  const [online, setOnline] = useState(navigator.onLine);
  const [update, setUpdate] = useState<() => void>();
  const route = useRoute();

  const api = useMemo(
    () =>
      new Api(
        config,
        () => loadSession()?.accessToken,
        () => {
          void clearSession();
          setSessionState(undefined);
          navigate('/login', true);
        },
      ),
    [config],
  );

  useEffect(() => {
    const on = () => setOnline(true);
    const off = () => setOnline(false);
    addEventListener('online', on);
    addEventListener('offline', off);
    updates((apply) => setUpdate(() => apply));
    return () => {
      removeEventListener('online', on);
      removeEventListener('offline', off);
    };
  }, [updates]);

  const setSession = (next: Session | undefined) => {
    if (next) saveSession(next);
    setSessionState(next);
  };

  // Screens that need an account send a visitor to log in; logged-in people skip the forms.
  const needsLogin = route.name === 'home';
  useEffect(() => {
    if (needsLogin && !session) navigate('/login', true);
    if (session && (route.name === 'login' || route.name === 'signup')) navigate('/', true);
  }, [needsLogin, session, route.name]);

  useEffect(() => {
    if (route.name !== 'profile') document.title = 'Feedline';
  }, [route]);

  return (
    <AppContext.Provider value={{ api, config, session, setSession, online }}>
      <a class="skip-link" href="#main">
        Skip to content
      </a>
      <Header />
      {!online && (
        <p class="banner offline" role="status" id="offline-banner">
          You are offline. Showing what was saved; new posts are sent when you reconnect.
        </p>
      )}
      {update && (
        <div class="banner update" role="alert" id="update-banner">
          A new version of Feedline is available.{' '}
          <button type="button" onClick={update}>
            Reload
          </button>
        </div>
      )}
      <Screen route={route} loggedIn={Boolean(session)} />
    </AppContext.Provider>
  );
}

function Screen({ route, loggedIn }: { route: Route; loggedIn: boolean }) {
  switch (route.name) {
    case 'home':
      return loggedIn ? <HomeScreen /> : null;
    case 'login':
    case 'signup':
      return <AuthScreen mode={route.name} />;
    case 'profile':
      return <ProfileScreen key={route.username} username={route.username} />;
    case 'post':
      return <PostScreen key={route.id} id={route.id} />;
    case 'not-found':
      return (
        <main id="main">
          <h1>Not found</h1>
          <p>
            Nothing lives at this address. <a href="/">Go to your feed</a>.
          </p>
        </main>
      );
  }
}

function Header() {
  const { api, session, setSession } = useApp();
  const logOut = async () => {
    await unsubscribePush(api).catch(() => undefined);
    await clearSession();
    setSession(undefined);
    navigate('/login', true);
  };
  return (
    <header class="top">
      <nav aria-label="Main">
        <a href="/" class="brand">
          Feedline
        </a>
        {session ? (
          <>
            <a href={`/@${session.user.username}`} id="my-profile">
              @{session.user.username}
            </a>
            <button type="button" class="secondary" id="logout" onClick={() => void logOut()}>
              Log out
            </button>
          </>
        ) : (
          <>
            <a href="/login">Log in</a>
            <a href="/signup">Sign up</a>
          </>
        )}
      </nav>
    </header>
  );
}
