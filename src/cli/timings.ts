/**
 * Where a command's time goes: with GRIDBATCH_TIMINGS=1 each mark prints one line on stderr,
 * `gridbatch-timing <label> <seconds since the process started> <CPU seconds of the process>`
 * (bench:batch reads them for the fixed cost breakdown of `start-batch`). Nothing otherwise.
 * Marks made on a solve thread (labelled thread-*) count from the process start too (its time origin is the
 * thread's own: the main thread's is passed on in GRIDBATCH_TIME_ORIGIN).
 */
import { isMainThread } from 'node:worker_threads';

const on = process.env.GRIDBATCH_TIMINGS === '1';
if (on && isMainThread) process.env.GRIDBATCH_TIME_ORIGIN = String(performance.timeOrigin);
const origin = Number(process.env.GRIDBATCH_TIME_ORIGIN ?? performance.timeOrigin);

export function mark(label: string): void {
  if (!on) return;
  const u = process.cpuUsage();
  const cpu = (u.user + u.system) / 1e6;
  const t = (performance.timeOrigin + performance.now() - origin) / 1000;
  process.stderr.write(`gridbatch-timing ${label} ${t.toFixed(3)} ${cpu.toFixed(3)}\n`);
}
