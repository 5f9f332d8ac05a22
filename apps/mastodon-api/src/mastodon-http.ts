import type { ErrorBody, HttpAppOptions } from '@app/http';

/** Mastodon's error shape: `{ "error": "..." }` (a failed validation is a 422, as in Mastodon). */
export function mastodonErrorBody(body: ErrorBody): { error: string } {
  return { error: body.message };
}

/**
 * How the app is built (main.ts and the tests): CORS for browser clients,
 * form bodies (Mastodon clients send them as often as JSON), Mastodon's errors.
 */
export const MASTODON_HTTP_OPTIONS: HttpAppOptions = {
  cors: true,
  forms: true,
  errorBody: mastodonErrorBody,
  validationStatus: 422,
};
