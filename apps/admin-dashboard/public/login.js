// Logs in with a JSON POST (the app accepts no form bodies), then goes where the visitor was headed.
(() => {
  'use strict';

  const form = document.getElementById('login-form');
  const error = document.getElementById('login-error');
  const submit = document.getElementById('login-submit');

  /** Only a path on this site, never another origin ("//host", "/\host"). */
  function destination() {
    const next = new URLSearchParams(location.search).get('next');
    return next && /^\/(?![/\\])\S*$/.test(next) ? next : '/';
  }

  function showError(message) {
    error.textContent = message;
    error.hidden = false;
  }

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    if (!username || !password) return showError('Enter your username and password.');
    error.hidden = true;
    submit.disabled = true;
    submit.textContent = 'Logging in…';
    try {
      const response = await fetch('/auth/login', {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (response.ok) return location.replace(destination());
      const body = await response.json().catch(() => ({}));
      showError(
        response.status === 403
          ? 'This account is not an admin: the dashboard is for admins only.'
          : body.message || `Login failed (${response.status}).`,
      );
    } catch {
      showError('The dashboard cannot be reached. Check the connection and try again.');
    } finally {
      submit.disabled = false;
      submit.textContent = 'Log in';
    }
  });
})();
