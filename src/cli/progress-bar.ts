/** A one-line progress bar on stderr (a line every 10% when stderr is not a terminal). */
export class ProgressBar {
  private lastPct = -1;
  private readonly tty = process.stderr.isTTY === true;
  private readonly t0 = Date.now();

  update(done: number, total: number, label: string): void {
    const pct = total > 0 ? Math.floor((100 * done) / total) : 0;
    const secs = (Date.now() - this.t0) / 1000;
    const eta = done > 0 && total > done ? ` eta ${Math.round((secs * (total - done)) / done)}s` : '';
    if (this.tty) {
      const width = 30;
      const fill = total > 0 ? Math.round((width * done) / total) : 0;
      process.stderr.write(
        `\r[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${pct}% ${done}/${total} ${label} ${secs.toFixed(0)}s${eta}   `,
      );
    } else if (pct >= this.lastPct + 10 || (done === total && pct !== this.lastPct)) {
      this.lastPct = pct;
      process.stderr.write(`${pct}% ${done}/${total} ${label} (${secs.toFixed(1)}s)\n`);
    }
  }

  done(): void {
    if (this.tty) process.stderr.write('\n');
  }
}
