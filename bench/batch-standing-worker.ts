/**
 * bench:batch's second GAT-pair figure: `start-batch` against a `gridbatch worker` that is
 * already running (how a deployment runs: TEMPORAL_ADDRESS set, the CLI validates, starts the
 * study and waits; the standing worker's modules, workflow bundle and solve threads are warm).
 * Reported beside the self-started-worker figure, never instead of it; its CPU includes the
 * standing worker's own CPU during the run.
 */
import { ChildProcess, spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { Ctx } from './batch-cli';
import { processCpuSeconds } from './batch-measure';

const ROOT = resolve(__dirname, '..');

export interface StandingWorker {
  /** the CLI's context: TEMPORAL_ADDRESS and the standing worker's own task queue */
  ctx: Ctx;
  /** CPU seconds of the worker process so far */
  cpu(): number;
  stop(): Promise<void>;
}

/** Starts `gridbatch worker` (the prebuilt dist/, or the sources with --cli tsx) and waits until it polls. */
export async function startStandingWorker(c: Ctx, address: string): Promise<StandingWorker> {
  const env: NodeJS.ProcessEnv = {
    ...c.env,
    TEMPORAL_ADDRESS: address,
    GRIDBATCH_TASK_QUEUE: `${c.taskQueue}-standing`,
    ...(c.cli === 'dist' ? { GRIDBATCH_DIST: 'require' } : {}),
  };
  const args =
    c.cli === 'dist'
      ? [join(ROOT, 'bin', 'gridbatch.cjs'), 'worker']
      : [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'worker.ts')];
  // its own process group: stopped as a whole, never left running
  const child = spawn(process.execPath, args, { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await new Promise<void>((ok, fail) => {
    const timer = setTimeout(() => fail(new Error(`gridbatch worker did not start in 60 s: ${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      if (d.toString().includes('gridbatch worker:')) {
        clearTimeout(timer);
        ok();
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`gridbatch worker exited ${code}: ${err}`));
    });
  });
  child.stdout.resume();
  return {
    ctx: { ...c, env },
    cpu: () => processCpuSeconds(child.pid) ?? NaN,
    stop: () => stopGroup(child),
  };
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.pid === undefined) return Promise.resolve();
  const pid = child.pid;
  return new Promise((ok) => {
    const kill = setTimeout(() => process.kill(-pid, 'SIGKILL'), 15_000);
    child.once('exit', () => {
      clearTimeout(kill);
      ok();
    });
    process.kill(-pid, 'SIGTERM');
  });
}
