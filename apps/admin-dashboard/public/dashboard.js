// The live dashboard: polls the JSON API every second and redraws the figures and charts in place.
// The charts' points are this tab's own polls, kept in sessionStorage so a reload keeps them (ADR 8).
(() => {
  'use strict';

  const QUEUE = 'fanout';
  const TICK_MS = 1000;
  /** The charts show this much history. */
  const WINDOW_S = 15 * 60;
  /** Throughput tiles average over this much of the newest points. */
  const THROUGHPUT_WINDOW_MS = 5000;
  /** Jobs waiting with workers connected, yet BullMQ's totals did not move for this long: stuck. */
  const NO_PROGRESS_MS = 30_000;
  const STORED = 'feedline-dashboard-points';

  const figure = (name) => document.querySelector(`[data-figure="${name}"]`);
  const css = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();
  const setText = (el, text) => {
    if (el && el.textContent !== text) el.textContent = text;
  };

  // Formatting: thousands separators, units that fit the magnitude.
  const integer = new Intl.NumberFormat('en');
  const compact = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 1 });
  const fine = new Intl.NumberFormat('en', { notation: 'compact', maximumFractionDigits: 2 });
  const count = (n) => (n == null ? '–' : integer.format(n));
  const rate = (n) =>
    n == null ? '–' : n === 0 ? '0' : n >= 100 ? integer.format(Math.round(n)) : n.toFixed(1);
  const ms = (v) => {
    if (v == null) return '–';
    if (v < 1000) return `${Math.round(v)} ms`;
    if (v < 60_000) return `${(v / 1000).toFixed(v < 10_000 ? 2 : 1)} s`;
    return `${(v / 60_000).toFixed(1)} min`;
  };
  const bytes = (b) => {
    if (b == null) return '–';
    const units = ['B', 'KB', 'MB', 'GB', 'TB'];
    let i = 0;
    while (b >= 1024 && i < units.length - 1) {
      b /= 1024;
      i += 1;
    }
    return `${b.toFixed(b < 10 && i > 0 ? 1 : 0)} ${units[i]}`;
  };

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** JSON from the API; a lost session sends the operator to the login page. */
  async function api(path) {
    const response = await fetch(path, {
      headers: { accept: 'application/json' },
      credentials: 'same-origin',
    });
    if (response.status === 401) {
      location.assign('/login');
      throw new ApiError(401, 'Your session has ended');
    }
    const payload = await response.json().catch(() => ({}));
    if (!response.ok) throw new ApiError(response.status, payload.message || `HTTP ${response.status}`);
    return payload;
  }

  // ---- Charts (uPlot, served by the app itself) ----

  const CHARTS = {
    depth: {
      el: 'chart-depth',
      height: 260,
      format: (v) => (v == null ? '–' : compact.format(v)),
      floor: 5,
      series: [
        ['waiting', 'Waiting', '--c-waiting'],
        ['prioritized', 'Prioritized', '--c-prioritized'],
        ['active', 'Active', '--c-active'],
        ['delayed', 'Delayed', '--c-delayed'],
        ['failed', 'Failed', '--c-failed'],
      ],
    },
    throughput: {
      el: 'chart-throughput',
      height: 200,
      format: (v) => (v == null ? '–' : fine.format(v)),
      floor: 1,
      series: [
        ['completedPerSecond', 'Completed / s', '--c-completed'],
        ['failedPerSecond', 'Failed / s', '--c-failed'],
      ],
    },
    lag: {
      el: 'chart-lag',
      height: 200,
      format: ms,
      floor: 100,
      series: [
        ['lagP50Ms', 'p50', '--c-p50'],
        ['lagP95Ms', 'p95', '--c-p95'],
        ['lagP99Ms', 'p99', '--c-p99'],
      ],
    },
  };

  /** This tab's polls, oldest first (kept across a reload of the tab). */
  const points = (() => {
    try {
      return JSON.parse(sessionStorage.getItem(STORED) || '[]');
    } catch {
      return [];
    }
  })();

  /** Whole seconds and up: sub-second ticks mean nothing for one sample a second. */
  const TIME_STEPS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600];
  const clock = (t) =>
    new Date(t * 1000).toLocaleTimeString([], {
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hour12: false,
    });

  /** The legend shows the value under the cursor, or the newest one when the cursor is elsewhere. */
  function legendValue(format) {
    return (u, value, seriesIdx, idx) => {
      if (idx != null) return format(value);
      const column = u.data[seriesIdx];
      for (let i = column.length - 1; i >= 0; i -= 1) if (column[i] != null) return format(column[i]);
      return '–';
    };
  }

  function createChart(spec) {
    const el = document.getElementById(spec.el);
    const axis = {
      stroke: css('--muted'),
      grid: { stroke: css('--grid'), width: 1 },
      ticks: { stroke: css('--grid'), width: 1 },
    };
    const chart = new uPlot(
      {
        width: Math.max(el.clientWidth, 300),
        height: spec.height,
        // Live data redraws every second: zooming by drag would be undone at once.
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          y: { range: (_u, _min, max) => [0, Math.max(max || 0, spec.floor) * 1.05] },
        },
        axes: [
          { ...axis, space: 80, incrs: TIME_STEPS, values: (_u, ticks) => ticks.map(clock) },
          { ...axis, size: 64, values: (_u, ticks) => ticks.map(spec.format) },
        ],
        series: [
          { label: 'Time', value: legendValue((t) => (t == null ? '–' : clock(t))) },
          ...spec.series.map(([, label, color]) => ({
            label,
            stroke: css(color),
            width: 2,
            points: { show: false },
            value: legendValue(spec.format),
          })),
        ],
      },
      dataFor(spec),
      el,
    );
    new ResizeObserver(() =>
      chart.setSize({ width: Math.max(el.clientWidth, 300), height: spec.height }),
    ).observe(el);
    return chart;
  }

  function dataFor(spec) {
    return [points.map((p) => p.t / 1000), ...spec.series.map(([key]) => points.map((p) => p[key]))];
  }

  let charts = null;

  function drawCharts() {
    if (typeof uPlot === 'undefined') return;
    if (!charts)
      charts = Object.fromEntries(Object.entries(CHARTS).map(([name, spec]) => [name, createChart(spec)]));
    else for (const [name, spec] of Object.entries(CHARTS)) charts[name].setData(dataFor(spec));
  }

  /** Per-second rate of a BullMQ running total between two points; null across a reset. */
  const rateBetween = (older, newer, key) => {
    const seconds = (newer.t - older.t) / 1000;
    return seconds > 0 && newer[key] >= older[key] ? (newer[key] - older[key]) / seconds : null;
  };

  /** Adds this poll as a chart point, drops points older than the window and stores the rest. */
  function recordPoint(snapshot, queue) {
    const previous = points[points.length - 1];
    const point = {
      t: Date.parse(snapshot.at),
      ...queue.counts,
      completedTotal: queue.totals.completed,
      failedTotal: queue.totals.failed,
      workers: queue.workers,
      lagP50Ms: snapshot.fanoutLag.p50Ms,
      lagP95Ms: snapshot.fanoutLag.p95Ms,
      lagP99Ms: snapshot.fanoutLag.p99Ms,
    };
    point.completedPerSecond = previous ? rateBetween(previous, point, 'completedTotal') : null;
    point.failedPerSecond = previous ? rateBetween(previous, point, 'failedTotal') : null;
    points.push(point);
    while (points[0].t < point.t - WINDOW_S * 1000) points.shift();
    try {
      sessionStorage.setItem(STORED, JSON.stringify(points));
    } catch {
      // Storage full or refused: the charts still work, they just start over on a reload.
    }
    drawCharts();
  }

  /** Average rates over the newest few seconds of points. */
  function recentThroughput() {
    const newest = points[points.length - 1];
    const oldest = points.find((p) => p.t >= newest.t - THROUGHPUT_WINDOW_MS && p.t < newest.t);
    if (!oldest) return { completedPerSecond: null, failedPerSecond: null, windowSeconds: 0 };
    return {
      completedPerSecond: rateBetween(oldest, newest, 'completedTotal'),
      failedPerSecond: rateBetween(oldest, newest, 'failedTotal'),
      windowSeconds: (newest.t - oldest.t) / 1000,
    };
  }

  /** Jobs queued through the whole last NO_PROGRESS_MS with workers connected, and BullMQ's totals unchanged. */
  function stuck() {
    const newest = points[points.length - 1];
    const since = newest.t - NO_PROGRESS_MS;
    if (points[0].t > since || newest.workers === 0) return false;
    const window = points.filter((p) => p.t >= since);
    return (
      window.every((p) => p.waiting + p.prioritized > 0) &&
      window[0].completedTotal === newest.completedTotal &&
      window[0].failedTotal === newest.failedTotal
    );
  }

  // ---- Figures ----

  function renderSnapshot(snapshot) {
    const queue = snapshot.queues.find((q) => q.name === QUEUE) || snapshot.queues[0];
    recordPoint(snapshot, queue);
    const { counts, workers } = queue;
    const throughput = recentThroughput();
    for (const state of ['waiting', 'prioritized', 'active', 'delayed', 'failed']) {
      setText(figure(state), count(counts[state]));
    }
    document.querySelector('[data-state="failed"]').classList.toggle('nonzero', counts.failed > 0);

    setText(figure('completedPerSecond'), rate(throughput.completedPerSecond));
    setText(figure('failedPerSecond'), rate(throughput.failedPerSecond));
    setText(
      figure('throughputWindow'),
      throughput.windowSeconds
        ? `average of the last ${Math.round(throughput.windowSeconds)} s`
        : 'waiting for two samples',
    );

    const lag = snapshot.fanoutLag;
    setText(figure('lagP50'), ms(lag.p50Ms));
    setText(figure('lagP95'), ms(lag.p95Ms));
    setText(figure('lagP99'), ms(lag.p99Ms));
    const unreachable = lag.unreachable.length ? ` · ${lag.unreachable.length} worker(s) not answering` : '';
    setText(
      figure('lagSamples'),
      (lag.samples
        ? `${count(lag.samples)} deliveries in the last ${lag.windowSeconds} s · max ${ms(lag.maxMs)}`
        : `no deliveries in the last ${lag.windowSeconds} s`) + unreachable,
    );

    const queued = counts.waiting + counts.prioritized;
    setText(figure('workers'), count(workers));
    document
      .querySelector('[data-figure-tile="workers"]')
      .classList.toggle('alarm', workers === 0 && queued > 0);

    const redis = snapshot.redis;
    setText(figure('redisUsed'), bytes(redis.usedBytes));
    setText(
      figure('redisDetail'),
      redis.maxBytes
        ? `of ${bytes(redis.maxBytes)} (${Math.round((100 * redis.usedBytes) / redis.maxBytes)} %) · peak ${bytes(redis.peakBytes)}`
        : `peak ${bytes(redis.peakBytes)} · no limit set`,
    );

    document.title =
      queued > 0 ? `(${compact.format(queued)}) Fan-out queue · Feedline` : 'Fan-out queue · Feedline';
    renderAlerts(snapshot.warnings, queued);
  }

  let alertsSignature = '';

  function renderAlerts(warnings, queued) {
    const all = warnings.map((w) => ({
      level: w.code === 'no-workers' ? 'critical' : 'warning',
      text: w.message,
    }));
    if (!warnings.length && stuck()) {
      all.push({
        level: 'warning',
        text: `${queued} jobs are waiting but none finished in the last ${NO_PROGRESS_MS / 1000} s`,
      });
    }
    const signature = JSON.stringify(all);
    if (signature === alertsSignature) return;
    alertsSignature = signature;
    const box = document.getElementById('alerts');
    box.replaceChildren(
      ...all.map(({ level, text }) => {
        const div = document.createElement('div');
        div.className = `alert ${level}`;
        div.textContent = text;
        return div;
      }),
    );
  }

  // ---- Status and the polling loop ----

  function setStatus(kind, text) {
    const el = document.getElementById('status');
    el.className = `status ${kind}`;
    setText(document.getElementById('status-text'), text);
  }

  let ticking = false;

  async function tick() {
    if (ticking) return;
    ticking = true;
    try {
      renderSnapshot(await api('/api/queues'));
      setStatus('live', `Live · ${clock(Date.now() / 1000)}`);
    } catch (error) {
      if (error.status !== 401) setStatus('offline', `Offline · retrying (${error.message})`);
    } finally {
      ticking = false;
    }
  }

  async function loop() {
    await tick();
    setTimeout(loop, TICK_MS);
  }

  document.getElementById('logout').addEventListener('click', async () => {
    await fetch('/auth/logout', { method: 'POST', credentials: 'same-origin' }).catch(() => undefined);
    location.assign('/login');
  });

  api('/auth/session')
    .then(({ user }) => setText(document.getElementById('who'), user.username))
    .catch(() => undefined);

  void loop();
})();
