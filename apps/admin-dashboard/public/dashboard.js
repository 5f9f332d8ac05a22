// The live dashboard: polls the JSON API every second and redraws the figures and charts in place.
(() => {
  'use strict';

  const QUEUE = 'fanout';
  const TICK_MS = 1000;
  const FAILED_EVERY_MS = 5000;
  /** The charts show this much history (the server keeps as much). */
  const WINDOW_S = 15 * 60;
  /** The sampler writes a point a second: older than this and the charts are not live. */
  const STALE_MS = 5000;

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
  const ago = (iso) => {
    if (!iso) return '–';
    const s = Math.max(0, Math.round((Date.now() - Date.parse(iso)) / 1000));
    if (s < 60) return `${s} s ago`;
    if (s < 3600) return `${Math.floor(s / 60)} min ago`;
    if (s < 86_400) return `${Math.floor(s / 3600)} h ago`;
    return new Date(iso).toLocaleString();
  };

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  /** JSON in and out; a lost session sends the operator to the login page. */
  async function api(path, { method = 'GET', body } = {}) {
    const headers = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status === 401) {
      location.assign('/login');
      throw new ApiError(401, 'Your session has ended');
    }
    if (response.status === 204) return undefined;
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

  /** Sampled history, oldest first. */
  const points = [];

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

  async function refreshHistory() {
    const since = points.length ? points[points.length - 1].t : undefined;
    const history = await api(`/api/queues/${QUEUE}/history${since ? `?since=${since}` : ''}`);
    if (history.points.length === 0 && charts) return;
    points.push(...history.points);
    const newest = points[points.length - 1];
    while (newest && points.length && points[0].t < newest.t - WINDOW_S * 1000) points.shift();
    drawCharts();
  }

  // ---- Figures ----

  let serverNow = Date.now();
  let lastFailedCount = null;

  function renderSnapshot(snapshot) {
    serverNow = Date.parse(snapshot.at);
    const queue = snapshot.queues.find((q) => q.name === QUEUE) || snapshot.queues[0];
    const { counts, throughput, workers } = queue;
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
    setText(
      figure('lagSamples'),
      lag.samples
        ? `${count(lag.samples)} deliveries in the last ${lag.windowSeconds} s · max ${ms(lag.maxMs)}`
        : `no deliveries in the last ${lag.windowSeconds} s`,
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
    renderAlerts(snapshot.warnings);
    if (lastFailedCount !== null && counts.failed !== lastFailedCount) failedDue = 0;
    lastFailedCount = counts.failed;
  }

  let alertsSignature = '';

  function renderAlerts(warnings) {
    const all = warnings.map((w) => ({
      level: w.code === 'no-workers' ? 'critical' : 'warning',
      text: w.message,
    }));
    const newest = points[points.length - 1];
    if (points.length && serverNow - newest.t > STALE_MS) {
      all.push({
        level: 'warning',
        text: `No queue sample for ${Math.round((serverNow - newest.t) / 1000)} s: the charts are not live (is any dashboard replica sampling?)`,
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

  // ---- Failed jobs ----

  let failedDue = 0;
  let failedSignature = '';

  async function refreshFailed() {
    const page = await api(`/api/queues/${QUEUE}/failed?limit=20`);
    failedDue = Date.now() + FAILED_EVERY_MS;
    setText(
      document.getElementById('failed-summary'),
      page.total > page.jobs.length ? `newest ${page.jobs.length} of ${count(page.total)}` : 'newest first',
    );
    // Redraw only on change, so an open stack trace or a pending confirmation survives the polling.
    const signature = JSON.stringify(page.jobs.map((job) => [job.id, job.failedAt, job.attemptsMade]));
    if (signature === failedSignature) {
      for (const cell of document.querySelectorAll('[data-failed-at]'))
        setText(cell, ago(cell.dataset.failedAt));
      return;
    }
    failedSignature = signature;
    document.getElementById('failed-table').hidden = page.jobs.length === 0;
    document.getElementById('failed-empty').hidden = page.jobs.length > 0;
    document.getElementById('failed-rows').replaceChildren(...page.jobs.map(failedRow));
  }

  function element(tag, className, text) {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (text !== undefined) el.textContent = text;
    return el;
  }

  function failedRow(job) {
    const row = element('tr');
    row.dataset.jobId = job.id;

    const jobCell = element('td', 'job');
    jobCell.append(
      element('div', 'job-name', job.name),
      element('div', 'mono', job.id),
      element('div', 'mono data', job.data),
    );

    const reasonCell = element('td');
    const reason = element('div', 'reason', job.failedReason || '(no reason recorded)');
    reason.title = job.failedReason;
    reasonCell.append(reason);
    if (job.stacktrace) {
      const details = element('details', 'stack');
      details.append(element('summary', '', 'stack trace'), element('pre', '', job.stacktrace));
      reasonCell.append(details);
    }

    const attempts = element('td', 'num', `${job.attemptsMade} / ${job.maxAttempts}`);
    const failedAt = element('td', 'when', ago(job.failedAt));
    failedAt.dataset.failedAt = job.failedAt || '';
    failedAt.title = job.failedAt ? new Date(job.failedAt).toLocaleString() : '';

    const actions = element('td', 'actions');
    const retry = element('button', 'button small', 'Retry');
    retry.type = 'button';
    retry.dataset.action = 'retry';
    const remove = element('button', 'button small danger', 'Remove');
    remove.type = 'button';
    remove.dataset.action = 'remove';
    actions.append(retry, remove);

    row.append(jobCell, reasonCell, attempts, failedAt, actions);
    return row;
  }

  document.getElementById('failed-rows').addEventListener('click', async (event) => {
    const button = event.target.closest('button[data-action]');
    if (!button || button.disabled) return;
    const { action } = button.dataset;
    const jobId = button.closest('tr').dataset.jobId;
    // Removing is final: the first click arms the button, the second removes.
    if (action === 'remove' && !button.classList.contains('confirm')) {
      button.classList.add('confirm');
      button.textContent = 'Confirm remove';
      setTimeout(() => {
        button.classList.remove('confirm');
        button.textContent = 'Remove';
      }, 4000);
      return;
    }
    button.disabled = true;
    try {
      await api(`/api/queues/${QUEUE}/failed/${action}`, { method: 'POST', body: { jobId } });
      toast(action === 'retry' ? `Job ${jobId} is queued again` : `Job ${jobId} removed`);
      failedDue = 0;
      await tick();
    } catch (error) {
      toast(error.message, true);
      button.disabled = false;
    }
  });

  let toastTimer;

  function toast(message, isError = false) {
    const el = document.getElementById('toast');
    el.textContent = message;
    el.classList.toggle('error', isError);
    el.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => (el.hidden = true), 4000);
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
      const [snapshot] = await Promise.all([api('/api/queues'), refreshHistory()]);
      renderSnapshot(snapshot);
      if (Date.now() >= failedDue) await refreshFailed();
      const newest = points[points.length - 1];
      if (newest && serverNow - newest.t > STALE_MS) setStatus('stale', 'Live figures · charts stale');
      else setStatus('live', `Live · ${clock(Date.now() / 1000)}`);
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
