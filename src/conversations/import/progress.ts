// Progress of a long import on stderr: a redrawn bar on a terminal (done / total, rate, ETA, current file), plain
// lines every few seconds otherwise (logs and CI keep them readable).

export interface ProgressOutput {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '--:--';
  const s = Math.round(ms / 1000);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export class ImportProgressBar {
  private total = 0;
  private started = 0;
  private lastDraw = 0;
  private drawn = false;
  private readonly tty: boolean;

  constructor(
    private readonly out: ProgressOutput,
    private readonly opts: { redrawMs?: number; lineEveryMs?: number; now?: () => number } = {},
  ) {
    this.tty = !!out.isTTY;
  }

  private now() {
    return this.opts.now ? this.opts.now() : Date.now();
  }

  start(total: number) {
    this.total = total;
    this.started = this.now();
    this.lastDraw = this.started;
  }

  /** The status line: "[####------] 42/100 42% 3.2/s ETA 0:18". */
  line(done: number, label?: string, width = 80): string {
    const total = Math.max(this.total, done);
    const elapsed = Math.max(1, this.now() - this.started);
    const rate = (done * 1000) / elapsed;
    const eta = done > 0 ? ((total - done) / rate) * 1000 : NaN;
    const pct = total ? Math.floor((done * 100) / total) : 100;
    const stats = `${done}/${total} ${pct}% ${rate.toFixed(1)}/s ETA ${formatDuration(eta)}`;
    if (!this.tty) return `Imported ${stats}`;
    const barWidth = 24;
    const filled = total ? Math.round((done * barWidth) / total) : barWidth;
    const text = `[${'█'.repeat(filled)}${'░'.repeat(barWidth - filled)}] ${stats}${label ? `  ${label}` : ''}`;
    return text.length > width - 1 ? `${text.slice(0, width - 2)}…` : text;
  }

  update(done: number, label: string) {
    const now = this.now();
    if (this.tty) {
      if (now - this.lastDraw < (this.opts.redrawMs ?? 100) && done < this.total) return;
      this.out.write(`\r\x1b[K${this.line(done, label, this.out.columns ?? 80)}`);
      this.drawn = true;
    } else {
      if (now - this.lastDraw < (this.opts.lineEveryMs ?? 5000)) return;
      this.out.write(`${this.line(done)}\n`);
    }
    this.lastDraw = now;
  }

  /** Clears the bar so the summary starts on a clean line. */
  finish() {
    if (this.tty && this.drawn) this.out.write('\r\x1b[K');
  }
}
