import { buildConfig, ConfigurationError } from './index';

describe('configuration from the environment', () => {
  it('has working defaults', () => {
    const config = buildConfig({});
    expect(config.fanout).toMatchObject({
      mode: 'hybrid',
      timelineMax: 800,
      celebrityThreshold: 10_000,
      celebrityDemoteBelow: 9000,
    });
    expect(config.ports).toEqual({
      postService: 3001,
      feedService: 3002,
      admin: 3003,
      worker: 3004,
      web: 3000,
      mastodon: 3005,
    });
    expect(config.mastodon.publicUrl).toBe('http://127.0.0.1:3005');
    expect(buildConfig({ MASTODON_PORT: '4000' }).mastodon.publicUrl).toBe('http://127.0.0.1:4000');
    expect(() => buildConfig({ MASTODON_PUBLIC_URL: 'https://social.example/path' })).toThrow(
      /MASTODON_PUBLIC_URL/,
    );
    expect(config.corsOrigins).toEqual(['http://127.0.0.1:3000', 'http://localhost:3000']);
    expect(config.redis.queuePrefix).toBe('{fl-q}');
  });

  it('names every bad variable in one error', () => {
    const attempt = () =>
      buildConfig({
        FANOUT_MODE: 'sideways',
        TIMELINE_MAX: '3',
        REDIS_URL: 'localhost:6379',
        WORKER_PORT: 'abc',
      });
    expect(attempt).toThrow(ConfigurationError);
    expect(attempt).toThrow(/FANOUT_MODE[\s\S]*TIMELINE_MAX|TIMELINE_MAX[\s\S]*FANOUT_MODE/);
    expect(attempt).toThrow(/REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
    expect(attempt).toThrow(/WORKER_PORT/);
  });

  it('keeps the celebrity hysteresis consistent', () => {
    expect(() => buildConfig({ CELEBRITY_THRESHOLD: '100', CELEBRITY_DEMOTE_BELOW: '150' })).toThrow(
      /CELEBRITY_DEMOTE_BELOW/,
    );
    expect(buildConfig({ CELEBRITY_THRESHOLD: '100' }).fanout.celebrityDemoteBelow).toBe(90);
  });

  it('parses a Redis Cluster node list', () => {
    expect(buildConfig({ REDIS_CLUSTER_NODES: '10.0.0.1:7000,10.0.0.2:7001' }).redis.clusterNodes).toEqual([
      { host: '10.0.0.1', port: 7000 },
      { host: '10.0.0.2', port: 7001 },
    ]);
    expect(() => buildConfig({ REDIS_CLUSTER_NODES: 'nohost' })).toThrow(/REDIS_CLUSTER_NODES/);
  });

  it('reads the web app origins allowed by CORS', () => {
    expect(
      buildConfig({ CORS_ORIGINS: 'https://app.example.com, http://10.0.0.5:8080' }).corsOrigins,
    ).toEqual(['https://app.example.com', 'http://10.0.0.5:8080']);
    expect(buildConfig({ CORS_ORIGINS: 'none' }).corsOrigins).toEqual([]);
    for (const bad of [
      '*',
      'app.example.com',
      'https://app.example.com/path',
      'https://a.com,,https://b.com',
    ]) {
      expect(() => buildConfig({ CORS_ORIGINS: bad })).toThrow(/CORS_ORIGINS/);
    }
  });
});
