/** The dashboard's session cookie: the admin's access token, unreadable by page scripts. */
export const SESSION_COOKIE = 'feedline_admin';

const COOKIE_NAME = /^[!#$%&'*+\-.^\w`|~]+$/;

/**
 * The value of cookie `name` in a Cookie request header, or undefined. The
 * first occurrence wins (browsers send the most specific path first); a value
 * that is not valid percent-encoding counts as absent.
 */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header || !COOKIE_NAME.test(name)) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let value = part.slice(eq + 1).trim();
    if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) value = value.slice(1, -1);
    try {
      return decodeURIComponent(value);
    } catch {
      return undefined;
    }
  }
  return undefined;
}

export interface SessionCookieOptions {
  /** Seconds the browser keeps the cookie; omit for a browser-session cookie. */
  maxAgeSeconds?: number;
  /** Only over https (set when the request came over https). */
  secure: boolean;
}

/** Set-Cookie value holding `token`: HttpOnly, SameSite=Strict, the whole site. */
export function sessionCookie(token: string, options: SessionCookieOptions): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly', 'SameSite=Strict'];
  if (options.maxAgeSeconds !== undefined)
    parts.push(`Max-Age=${Math.max(0, Math.floor(options.maxAgeSeconds))}`);
  if (options.secure) parts.push('Secure');
  return parts.join('; ');
}

/** Set-Cookie value that deletes the session cookie. */
export function clearedSessionCookie(secure: boolean): string {
  return sessionCookie('', { maxAgeSeconds: 0, secure });
}
