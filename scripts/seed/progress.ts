/** Progress lines for long phases: rows done, share, rate; at most one line a second, plus one when a phase ends. */
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
  readonly started = performance.now();
  readonly phases: Array<{ phase: string; rows: number; ms: number }> = [];

  constructor(private readonly log: Log) {}

  start(phase: string, total = 0, unit = 'rows'): void {
    this.phaseName = phase;
    this.unit = unit;
    this.total = total;
    this.done = 0;
    this.phaseStarted = performance.now();
    this.lastPrinted = this.phaseStarted;
  }

  advance(rows: number): void {
    this.done += rows;
    const now = performance.now();
    if (now - this.lastPrinted < 1000) return;
    this.lastPrinted = now;
    const share =
      this.total > 0 ? ` / ${formatCount(this.total)} (${Math.floor((100 * this.done) / this.total)}%)` : '';
    this.log(
      `  ${this.phaseName}: ${formatCount(this.done)}${share}, ${formatCount(this.rate(now))} ${this.unit}/s`,
    );
  }

  finish(note = ''): void {
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
