/**
 * Cooperative stop of a running solve. The iterative solvers (Newton power flow, MIPS) call
 * `checkStop()` between iterations; it throws `SolveStopped` when the job's deadline has passed
 * (--job-timeout) or the chunk's shared stop flag is set (the activity was cancelled). The solve
 * thread thus leaves the solver at an iteration boundary, never inside native code (KLU), and
 * the thread stays alive and reusable.
 *
 * The check is per thread (module state): a chunk runs its jobs one after another on one thread
 * and arms the check around each job (`withStopCheck`).
 */

/** Why a solve was stopped. */
export type StopReason = 'timeout' | 'cancelled';

export class SolveStopped extends Error {
  constructor(
    readonly reason: StopReason,
    message: string,
  ) {
    super(message);
    this.name = 'SolveStopped';
  }
}

/** Index of the stop flag in the shared Int32Array (0: run, 1: stop). */
const FLAG = 0;

/** A stop flag shared between the activity (sets it) and the solve thread (reads it). */
export function newStopFlag(): SharedArrayBuffer {
  return new SharedArrayBuffer(4);
}

export function requestStop(flag: SharedArrayBuffer): void {
  Atomics.store(new Int32Array(flag), FLAG, 1);
}

export function stopRequested(flag: SharedArrayBuffer | Int32Array | undefined): boolean {
  if (!flag) return false;
  return Atomics.load(flag instanceof Int32Array ? flag : new Int32Array(flag), FLAG) !== 0;
}

interface ArmedCheck {
  flag?: Int32Array;
  /** Date.now() after which the job is over its time */
  deadline: number;
  timeoutS?: number;
}

let armed: ArmedCheck | null = null;

/** Throws SolveStopped when the running job must stop; a no-op when nothing is armed. */
export function checkStop(): void {
  const a = armed;
  if (!a) return;
  if (a.flag && Atomics.load(a.flag, FLAG) !== 0) throw new SolveStopped('cancelled', 'solve cancelled');
  if (Date.now() > a.deadline) throw new SolveStopped('timeout', `job timeout after ${a.timeoutS} s (--job-timeout)`);
}

/**
 * Runs `fn` with the stop check armed: the shared flag (if any) and a deadline `timeoutS`
 * seconds from now (if given). Nested calls are not supported (one job at a time per thread).
 */
export function withStopCheck<T>(opts: { flag?: SharedArrayBuffer; timeoutS?: number }, fn: () => T): T {
  const before = armed;
  armed = {
    flag: opts.flag ? new Int32Array(opts.flag) : undefined,
    deadline: opts.timeoutS !== undefined ? Date.now() + opts.timeoutS * 1000 : Infinity,
    timeoutS: opts.timeoutS,
  };
  try {
    return fn();
  } finally {
    armed = before;
  }
}
