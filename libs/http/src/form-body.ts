export const FORM_TYPE = /^application\/x-www-form-urlencoded\b/i;
export const MULTIPART_TYPE = /^multipart\/form-data\b/i;

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

/**
 * The fields of a multipart/form-data body, with the platform's own parser
 * (the Fetch API's `formData()`). Files are refused: these APIs take none.
 */
export async function parseMultipartFields(
  body: Buffer,
  contentType: string,
): Promise<Record<string, string[]>> {
  let data: FormData;
  try {
    data = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw Object.assign(new Error('malformed multipart/form-data body'), { statusCode: 400 });
  }
  const fields: Record<string, string[]> = {};
  for (const [key, value] of data) {
    if (typeof value !== 'string') {
      throw Object.assign(new Error('file uploads are not supported'), { statusCode: 422 });
    }
    (fields[key] ??= []).push(value);
  }
  return fields;
}
