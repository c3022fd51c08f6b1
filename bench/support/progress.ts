/** Progress lines for long phases: at most one line every two seconds, plus the last one. */
export class Progress {
  private lastPrint = 0;
  private readonly startedAt = performance.now();

  constructor(
    private readonly label: string,
    private readonly total: number,
    private readonly unit = '',
  ) {}

  update(done: number): void {
    const at = performance.now();
    if (done < this.total && at - this.lastPrint < 2_000) return;
    this.lastPrint = at;
    const seconds = ((at - this.startedAt) / 1000).toFixed(1);
    const pct = this.total > 0 ? ` (${Math.floor((done / this.total) * 100)} %)` : '';
    log(
      `${this.label}: ${done.toLocaleString('en-US')}/${this.total.toLocaleString('en-US')}${this.unit}${pct} ${seconds} s`,
    );
  }
}

export function log(line: string): void {
  process.stdout.write(`  · ${line}\n`);
}
