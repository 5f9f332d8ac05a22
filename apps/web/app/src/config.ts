/**
 * Where the APIs are, read at run time so one build serves any deployment:
 * `config.json` next to index.html when the deployment has one, otherwise the
 * local defaults (this host, the ports `npm start` uses). The last config
 * seen is kept, so a returning visit starts without waiting for it.
 */
export interface AppConfig {
  /** post-service: accounts, follows, posts, push subscriptions. */
  postServiceUrl: string;
  /** feed-service: the home feed and author pages. */
  feedServiceUrl: string;
  /** The Mastodon-compatible API's base URL; the live stream is /api/v1/streaming/user there. */
  streamingUrl: string;
}

const STORED = 'feedline.config';

export function defaultConfig(location: { protocol: string; hostname: string }): AppConfig {
  const base = `${location.protocol}//${location.hostname}`;
  return {
    postServiceUrl: `${base}:3001`,
    feedServiceUrl: `${base}:3002`,
    streamingUrl: `${base}:3005`,
  };
}

function parse(value: unknown, fallback: AppConfig): AppConfig {
  const given = (value && typeof value === 'object' ? value : {}) as Partial<
    Record<keyof AppConfig, unknown>
  >;
  const url = (key: keyof AppConfig) => {
    const candidate = given[key];
    return typeof candidate === 'string' && /^https?:\/\/[^\s]+$/.test(candidate)
      ? candidate.replace(/\/+$/, '')
      : fallback[key];
  };
  return {
    postServiceUrl: url('postServiceUrl'),
    feedServiceUrl: url('feedServiceUrl'),
    streamingUrl: url('streamingUrl'),
  };
}

async function fetchConfig(fallback: AppConfig): Promise<AppConfig> {
  try {
    const response = await fetch('/config.json', { cache: 'no-cache' });
    const config = response.ok ? parse(await response.json(), fallback) : fallback;
    localStorage.setItem(STORED, JSON.stringify(config));
    return config;
  } catch {
    return fallback;
  }
}

export async function loadConfig(): Promise<AppConfig> {
  const fallback = defaultConfig(location);
  const stored = localStorage.getItem(STORED);
  if (stored) {
    void fetchConfig(fallback); // refreshed for the next start
    try {
      return parse(JSON.parse(stored), fallback);
    } catch {
      // a damaged copy: wait for the real one
    }
  }
  return fetchConfig(fallback);
}
