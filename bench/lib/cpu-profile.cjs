/**
 * Preloaded into a benchmarked app (`node --require`, see bench/lib/process-stats.ts):
 * SIGWINCH starts a V8 CPU profile, the next SIGWINCH writes it to
 * $FEEDLINE_CPU_PROFILE_DIR/<pid>-<n>.cpuprofile (Chrome DevTools, speedscope),
 * so a benchmark profiles exactly one load phase. SIGWINCH because Nest's
 * shutdown hooks end the app on SIGUSR1/2, and a process without this preload
 * ignores it. (`node --cpu-prof` covers the whole life and is lost anyway:
 * Nest re-raises SIGTERM, and a process ended by a signal writes no profile.)
 */
const fs = require('node:fs');
const inspector = require('node:inspector');
const path = require('node:path');

const dir = process.env.FEEDLINE_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.setSamplingInterval', { interval: 250 });
  let running = false;
  let count = 0;
  process.on('SIGWINCH', () => {
    if (!running) {
      session.post('Profiler.start');
      running = true;
      return;
    }
    running = false;
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      count += 1;
      const file = path.join(dir, `${process.pid}-${count}.cpuprofile`);
      fs.writeFileSync(`${file}.tmp`, JSON.stringify(result.profile));
      fs.renameSync(`${file}.tmp`, file);
    });
  });
}
