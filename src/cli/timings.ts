/**
 * Where a command's time goes: with GRIDBATCH_TIMINGS=1 each mark prints one line on stderr,
 * `gridbatch-timing <label> <seconds since the process started> <CPU seconds of the process>`
 * (bench:batch reads them for the fixed cost breakdown of `start-batch`). Nothing otherwise.
 */
const on = process.env.GRIDBATCH_TIMINGS === '1';

export function mark(label: string): void {
  if (!on) return;
  const u = process.cpuUsage();
  const cpu = (u.user + u.system) / 1e6;
  process.stderr.write(`gridbatch-timing ${label} ${(performance.now() / 1000).toFixed(3)} ${cpu.toFixed(3)}\n`);
}
