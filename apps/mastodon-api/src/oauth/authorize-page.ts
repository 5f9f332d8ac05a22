import { escapeHtml } from '../html';
import type { AuthorizationRequest } from './oauth.service';

/** Headers of every OAuth page: no framing (consent clickjacking), no scripts, nothing cached. */
export const PAGE_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'content-security-policy':
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  'x-frame-options': 'DENY',
  'cache-control': 'no-store',
  'referrer-policy': 'no-referrer',
} as const;

const STYLE = `body{font:16px/1.5 system-ui,sans-serif;max-width:26rem;margin:3rem auto;padding:0 1rem;color:#1b1b1f}
label{display:block;margin:.75rem 0 .25rem}input{width:100%;padding:.5rem;box-sizing:border-box;font:inherit}
button{padding:.5rem 1rem;margin:1rem .5rem 0 0;font:inherit}.error{color:#b00020}code{font-size:1.1rem;word-break:break-all}
ul{padding-left:1.25rem}`;

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)} · Feedline</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** The login and consent form; every parameter of the request travels in hidden fields. */
export function authorizePage(request: AuthorizationRequest, csrf: string, error?: string): string {
  const hidden = Object.entries({
    client_id: request.clientId,
    redirect_uri: request.redirectUri,
    scope: request.scopes.join(' '),
    response_type: 'code',
    state: request.state,
    code_challenge: request.codeChallenge,
    code_challenge_method: request.codeChallengeMethod,
    csrf,
  })
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${escapeHtml(String(value))}">`)
    .join('');
  return page(
    'Authorize',
    `<h1>Feedline</h1>
<p><strong>${escapeHtml(request.appName)}</strong> asks to use your account with these permissions:</p>
<ul>${request.scopes.map((scope) => `<li><code>${escapeHtml(scope)}</code></li>`).join('')}</ul>
${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/oauth/authorize">${hidden}
<label for="username">Username</label><input id="username" name="username" autocomplete="username" required>
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit" name="decision" value="allow">Log in and authorize</button>
<button type="submit" name="decision" value="deny" formnovalidate>Deny</button>
</form>`,
  );
}

/** For `urn:ietf:wg:oauth:2.0:oob`: the code to paste into the app. */
export function codePage(code: string): string {
  return page(
    'Authorization code',
    `<h1>Authorization code</h1><p>Copy this code and paste it into the application:</p><p><code id="code">${escapeHtml(code)}</code></p>`,
  );
}

export function errorPage(message: string): string {
  return page('Error', `<h1>This authorization cannot go on</h1><p class="error">${escapeHtml(message)}</p>`);
}
