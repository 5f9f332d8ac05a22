import { MODES, ModeResult, renderCharts } from './report';

describe('benchmark report charts', () => {
  it('draws every chart as SVG and PNG from its vega-lite spec', () => {
    const results: ModeResult[] = MODES.map((mode, i) => ({
      mode,
      writesPerPost: 31 - i,
      celebrityWrites: 1 + i,
      celebrityVisibleSeconds: 0.5,
      celebrityDrainSeconds: 1,
      peakQueueDepth: 10 * i,
      burstDrainSeconds: 2,
      depthSeries: [
        [0, 0],
        [1, 5 + i],
        [2, 0],
      ],
      rebuildSeconds: 1,
      read: { requestsPerSecond: 1000, p50: 1, p95: 2, p99: 3 + i },
      redisBytes: 1e6,
    }));
    const { svgs, pngs } = renderCharts({
      createdAt: 'now',
      machine: 'test',
      graph: { users: 1, follows: 1, posts: 1, celebrities: 1, celebrityFollowers: 1 },
      workload: { burstPosts: 1, readers: 1, readSeconds: 1, connections: 1, workers: 1 },
      results,
    });
    expect(Object.keys(svgs)).toHaveLength(8);
    expect(svgs['read-p99']).toMatch(/^<svg[\s\S]*GET \/feed p99 latency[\s\S]*<\/svg>$/);
    expect(pngs.overview.subarray(1, 4).toString()).toBe('PNG');
  });
});
