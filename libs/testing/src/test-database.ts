/** Names shared by the global setup and the per-file test environment. */
export const RUN_ENV = 'FEEDLINE_TEST_RUN';

const base = () => new URL(process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/postgres');

export function adminUrl(): string {
  const url = base();
  url.pathname = '/postgres';
  return url.toString();
}

export function databaseUrl(name: string): string {
  const url = base();
  url.pathname = `/${name}`;
  return url.toString();
}
