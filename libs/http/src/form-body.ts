export const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;

export type FormValue = string | string[];

/**
 * An HTML form body (as Fastify's form parser reads it) in the shape DTOs
 * expect: `key[]` fields become arrays under `key` (Rails' convention, which
 * Mastodon clients follow: `id[]=1&id[]=2`), even with a single value. Keys
 * that would reach Object.prototype are dropped.
 */
export function normalizeForm(body: Record<string, unknown>): Record<string, FormValue> {
  const form: Record<string, FormValue> = {};
  for (const [rawKey, raw] of Object.entries(body)) {
    const list = rawKey.endsWith('[]');
    const key = list ? rawKey.slice(0, -2) : rawKey;
    if (key === '' || key === '__proto__' || key === 'constructor' || key === 'prototype') continue;
    const values = (Array.isArray(raw) ? raw : [raw]).map(String);
    const known = Object.hasOwn(form, key) ? form[key] : undefined;
    const merged = known === undefined ? values : [...(Array.isArray(known) ? known : [known]), ...values];
    form[key] = list || merged.length > 1 ? merged : merged[0];
  }
  return form;
}
