import { Presets, SingleBar } from 'cli-progress';

/**
 * Progress of long phases: a cli-progress bar on a terminal; elsewhere (a
 * pipe, a log file, `npm start`'s prefixed output) plain lines with rows
 * done, share and rate, at most one a second. One line when a phase ends.
 */
export type Log = (line: string) => void;

const number = new Intl.NumberFormat('en-US');
export const formatCount = (n: number): string => number.format(Math.round(n));
export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export class Progress {
  private phaseName = '';
  private total = 0;
  private done = 0;
  private phaseStarted = 0;
  private lastPrinted = 0;
  private unit = 'rows';
  private bar: SingleBar | undefined;
  readonly started = performance.now();
  readonly phases: Array<{ phase: string; rows: number; ms: number }> = [];

  /** `terminal`: draw a bar (only when output is a TTY that nothing else writes to). */
  constructor(
    private readonly log: Log,
    private readonly terminal = false,
  ) {}

  start(phase: string, total = 0, unit = 'rows'): void {
    this.phaseName = phase;
    this.unit = unit;
    this.total = total;
    this.done = 0;
    this.phaseStarted = performance.now();
    this.lastPrinted = this.phaseStarted;
    if (this.terminal && total > 0) {
      this.bar = new SingleBar(
        {
          format: `  ${phase} [{bar}] {percentage}% {value}/{total} ${unit}, {rate} ${unit}/s`,
          hideCursor: true,
        },
        Presets.shades_classic,
      );
      this.bar.start(total, 0, { rate: '0' });
    }
  }

  advance(rows: number): void {
    this.done += rows;
    const now = performance.now();
    if (this.bar) return this.bar.update(this.done, { rate: formatCount(this.rate(now)) });
    if (now - this.lastPrinted < 1000) return;
    this.lastPrinted = now;
    const share =
      this.total > 0 ? ` / ${formatCount(this.total)} (${Math.floor((100 * this.done) / this.total)}%)` : '';
    this.log(
      `  ${this.phaseName}: ${formatCount(this.done)}${share}, ${formatCount(this.rate(now))} ${this.unit}/s`,
    );
  }

  finish(note = ''): void {
    this.bar?.stop();
    this.bar = undefined;
    const now = performance.now();
    const ms = now - this.phaseStarted;
    this.phases.push({ phase: this.phaseName, rows: this.done, ms });
    const rows = this.done > 0 ? `${formatCount(this.done)} ${this.unit} in ` : '';
    const rate = this.done > 0 && ms >= 100 ? `, ${formatCount(this.rate(now))} ${this.unit}/s` : '';
    this.log(`${this.phaseName}: ${rows}${formatSeconds(ms)}${rate}${note ? ` (${note})` : ''}`);
  }

  elapsedMs(): number {
    return performance.now() - this.started;
  }

  private rate(now: number): number {
    return this.done / Math.max((now - this.phaseStarted) / 1000, 0.001);
  }
}
