/**
 * Mastodon's OAuth scopes and their hierarchy: `read` and `write` cover every
 * `read:*` and `write:*` scope, `follow` covers the follow-graph ones, and
 * `profile` only lets an app read who the user is.
 */
export const TOP_LEVEL_SCOPES = ['read', 'write', 'follow', 'push', 'profile'] as const;

export const GRANULAR_SCOPES = [
  'read:accounts',
  'read:blocks',
  'read:bookmarks',
  'read:favourites',
  'read:filters',
  'read:follows',
  'read:lists',
  'read:mutes',
  'read:notifications',
  'read:search',
  'read:statuses',
  'write:accounts',
  'write:blocks',
  'write:bookmarks',
  'write:conversations',
  'write:favourites',
  'write:filters',
  'write:follows',
  'write:lists',
  'write:media',
  'write:mutes',
  'write:notifications',
  'write:reports',
  'write:statuses',
] as const;

export type Scope = (typeof TOP_LEVEL_SCOPES)[number] | (typeof GRANULAR_SCOPES)[number];

const KNOWN = new Set<string>([...TOP_LEVEL_SCOPES, ...GRANULAR_SCOPES]);

/** What the legacy `follow` scope stands for. */
const FOLLOW_SCOPES = new Set<string>([
  'read:blocks',
  'write:blocks',
  'read:follows',
  'write:follows',
  'read:mutes',
  'write:mutes',
]);

/** What a token carries when the app asked for nothing (Mastodon's default). */
export const DEFAULT_SCOPES = ['read'];

/** Every scope: what a native Feedline token (the web app's JWT) may do. */
export const ALL_SCOPES: readonly string[] = ['read', 'write', 'follow', 'push', 'profile'];

/** Splits a space- (or `+`-) separated scope string; undefined when one is unknown. */
export function parseScopes(text: string | undefined | null): string[] | undefined {
  const scopes = (text ?? '').split(/[\s+]+/).filter(Boolean);
  if (scopes.some((scope) => !KNOWN.has(scope))) return undefined;
  return [...new Set(scopes.length ? scopes : DEFAULT_SCOPES)];
}

/** True when a token with `granted` scopes may do what `required` names. */
export function grants(granted: readonly string[], required: string): boolean {
  if (granted.includes(required)) return true;
  const [family] = required.split(':');
  if (family !== required && (family === 'read' || family === 'write') && granted.includes(family))
    return true;
  return FOLLOW_SCOPES.has(required) && granted.includes('follow');
}

/** True when every requested scope is within what the app registered (or covered by it). */
export function withinScopes(registered: readonly string[], requested: readonly string[]): boolean {
  return requested.every((scope) => grants(registered, scope));
}
