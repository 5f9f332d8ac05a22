import { grants, parseScopes, withinScopes } from './scopes';

describe('Mastodon scopes', () => {
  it('lets a top-level scope cover its granular scopes, and follow cover the graph scopes', () => {
    expect(grants(['read'], 'read:statuses')).toBe(true);
    expect(grants(['write'], 'write:statuses')).toBe(true);
    expect(grants(['write:statuses'], 'write:statuses')).toBe(true);
    expect(grants(['follow'], 'write:follows')).toBe(true);
    expect(grants(['follow'], 'read:follows')).toBe(true);
  });

  it('never lets a scope reach outside its family', () => {
    expect(grants(['read'], 'write:statuses')).toBe(false);
    expect(grants(['read:statuses'], 'read')).toBe(false);
    expect(grants(['read:accounts'], 'read:statuses')).toBe(false);
    expect(grants(['follow'], 'write:statuses')).toBe(false);
    expect(grants(['write:follows'], 'write')).toBe(false);
  });

  it('parses scope strings, defaults to read and refuses unknown scopes', () => {
    expect(parseScopes('read write:statuses  follow')).toEqual(['read', 'write:statuses', 'follow']);
    expect(parseScopes('read+write')).toEqual(['read', 'write']);
    expect(parseScopes('')).toEqual(['read']);
    expect(parseScopes(undefined)).toEqual(['read']);
    expect(parseScopes('read admin:everything')).toBeUndefined();
  });

  it('checks a request against what the app registered', () => {
    expect(withinScopes(['read', 'write'], ['read:statuses', 'write'])).toBe(true);
    expect(withinScopes(['read'], ['write'])).toBe(false);
  });
});
