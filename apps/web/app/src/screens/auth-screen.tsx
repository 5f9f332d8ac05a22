import { useState } from 'preact/hooks';
import { ApiError } from '../api';
import { useApp } from '../context';
import { navigate } from '../router';

const USERNAME = /^[a-zA-Z0-9_]{3,30}$/;

export function AuthScreen({ mode }: { mode: 'login' | 'signup' }) {
  const { api, setSession, online } = useApp();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const signup = mode === 'signup';

  const submit = async (event: Event) => {
    event.preventDefault();
    if (signup && !USERNAME.test(username))
      return setError('A username is 3–30 letters, digits or underscores.');
    if (signup && password.length < 8) return setError('A password has at least 8 characters.');
    setBusy(true);
    setError(undefined);
    try {
      const session = signup ? await api.signup(username, password) : await api.login(username, password);
      setSession(session);
      navigate('/', true);
    } catch (e) {
      setError(e instanceof ApiError && e.status !== 0 ? e.message : (e as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <main id="main" class="narrow">
      <h1>{signup ? 'Create your account' : 'Log in to Feedline'}</h1>
      <form onSubmit={(e) => void submit(e)} class="stack" noValidate>
        <label for="username">Username</label>
        <input
          id="username"
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellcheck={false}
          required
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
          aria-describedby={signup ? 'username-hint' : undefined}
        />
        {signup && (
          <p id="username-hint" class="hint">
            3–30 letters, digits or underscores.
          </p>
        )}
        <label for="password">Password</label>
        <input
          id="password"
          name="password"
          type="password"
          autoComplete={signup ? 'new-password' : 'current-password'}
          required
          minLength={signup ? 8 : undefined}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
        />
        {error && (
          <p id="auth-error" class="error" role="alert">
            {error}
          </p>
        )}
        <button type="submit" disabled={busy || !online}>
          {busy ? 'Please wait…' : signup ? 'Sign up' : 'Log in'}
        </button>
        {!online && <p class="hint">You are offline: connect to {signup ? 'sign up' : 'log in'}.</p>}
      </form>
      <p>
        {signup ? (
          <>
            Have an account? <a href="/login">Log in</a>
          </>
        ) : (
          <>
            New here? <a href="/signup">Create an account</a>
          </>
        )}
      </p>
    </main>
  );
}
