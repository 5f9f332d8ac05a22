/**
 * Mastodon's `Link` header: `next` pages older (max_id = the page's last id),
 * `prev` pages newer (min_id = the page's first id). Empty pages carry none.
 */
export function linkHeader(
  url: string,
  ids: string[],
  extra: Record<string, string> = {},
): string | undefined {
  if (ids.length === 0) return undefined;
  const link = (param: string, id: string) => {
    const query = new URLSearchParams({ ...extra, [param]: id });
    return `<${url}?${query.toString()}>`;
  };
  return `${link('max_id', ids[ids.length - 1])}; rel="next", ${link('min_id', ids[0])}; rel="prev"`;
}
