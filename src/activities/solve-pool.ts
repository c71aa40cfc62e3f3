/**
 * A pool of worker threads for CPU-heavy solves (piscina), sized to the machine's cores, so the
 * activity's event loop stays free for heartbeats and cancellation.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import Piscina from 'piscina';
import type { ChunkInput, ChunkResult } from './chunk-runner';
import type { PartInput, PartResult } from './part-runner';
import { newStopFlag, requestStop } from '../solvers/stop';
import type { ChunkRef, StudyTask } from '../contracts/workflow-types';
import { OUTPUT_ERROR } from '../io/output-errors';
import type { PartitionBy } from '../contracts/partition';
import type { WarmStep } from './thread-warmup';
import { mark } from '../cli/timings';

let pool: Piscina | undefined;
/** solve tasks (chunks, parts) submitted so far: a warm-up stops at the first */
let solveTasks = 0;
/** the pool's other tasks (materialize, the manifest) still running: a warm-up step waits for them */
const studyInFlight = new Set<Promise<unknown>>();
function tracked<T>(task: Promise<T>): Promise<T> {
  studyInFlight.add(task);
  void task.finally(() => studyInFlight.delete(task)).catch(() => undefined);
  return task;
}
/** the running warm-up (warmSolveThread) */
let warming: Promise<number> | undefined;
/** at most this many threads (limitSolveThreads), below the machine's count */
let limit: number | undefined;

export function solveThreads(): number {
  const env = Number(process.env.GRIDBATCH_SOLVE_THREADS);
  const n = Number.isInteger(env) && env > 0 ? env : availableParallelism();
  return limit === undefined ? n : Math.min(n, limit);
}

/**
 * Caps a pool not started yet at `n` threads (the CLI's in-process worker sizes it from its one
 * study: localSolveThreads in src/workflows/solve-placement.ts). A running pool keeps its size:
 * an in-process caller (a test, an embedding service) started it for its own worker.
 */
export function limitSolveThreads(n: number): void {
  if (pool) return;
  limit = Math.max(1, Math.floor(n));
}

/**
 * V8 heap bounds of a solve thread (GRIDBATCH_THREAD_HEAP_MB, old generation; default none: V8's
 * own, sized from the machine's memory). A bound makes the thread collect garbage sooner.
 */
function threadHeapLimits(): { maxOldGenerationSizeMb: number } | undefined {
  const mb = Number(process.env.GRIDBATCH_THREAD_HEAP_MB);
  return Number.isInteger(mb) && mb > 0 ? { maxOldGenerationSizeMb: mb } : undefined;
}

export function solvePool(): Piscina {
  if (!pool) {
    const n = solveThreads();
    pool = new Piscina({
      filename: join(__dirname, 'solve-thread.js'),
      // one thread starts at once (materialize and a small study's chunks need no more); the
      // others start when tasks queue up: a one-job study no longer loads the solvers n times
      minThreads: 1,
      maxThreads: n,
      idleTimeout: 60_000,
      resourceLimits: threadHeapLimits(),
    });
  }
  return pool;
}

/**
 * Runs a chunk in the pool; the thread's user-fixable errors come back as InputError / OutputError
 * (never retried). A cancel (signal) sets the chunk's shared stop flag: the solve stops at its next
 * iteration and the thread ends the chunk, writing nothing (solvers/stop.ts). The thread is never
 * terminated: one stopped inside native code (KLU) would take the process down.
 */
export async function runChunkInPool(input: ChunkRef, signal?: AbortSignal): Promise<ChunkResult> {
  return solveInPool<ChunkResult>((stop) => ({ ...input, stop }) satisfies ChunkInput, signal);
}

/** A part of the bucket layout (part-runner.ts: several chunks, one file per table), like a chunk. */
export async function runPartInPool(refs: ChunkRef[], signal?: AbortSignal): Promise<PartResult> {
  return solveInPool<PartResult>((stop) => ({ refs, stop }) satisfies PartInput, signal);
}

async function solveInPool<R>(payload: (stop: SharedArrayBuffer) => object, signal?: AbortSignal): Promise<R> {
  if (signal?.aborted) throw signal.reason;
  solveTasks++;
  const stop = newStopFlag();
  const onAbort = () => requestStop(stop);
  signal?.addEventListener('abort', onAbort);
  let r: R | { outputError: string } | { inputError: string } | { cancelled: string };
  try {
    r = (await solvePool().run(payload(stop))) as typeof r;
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
  if (r && typeof r === 'object' && 'cancelled' in r) throw signal?.aborted ? signal.reason : new Error(r.cancelled);
  if (r && typeof r === 'object' && ('outputError' in r || 'inputError' in r)) {
    const e = new Error('outputError' in r ? r.outputError : r.inputError);
    e.name = 'outputError' in r ? OUTPUT_ERROR : 'InputError';
    throw e;
  }
  return r as R;
}

/**
 * Runs `fn(outDir, opts)` of a gridbatch module on a solve thread (warm: tsx and the solvers are
 * loaded), for bookkeeping steps such as materialize and the batch manifest; a fresh thread
 * costs about a second before it does anything. Input errors come back as InputError.
 */
export async function runInPool<R>(
  module: string,
  fn: string,
  outDir: string,
  opts: object,
  signal?: AbortSignal,
): Promise<R> {
  const r = (await tracked(solvePool().run({ module, fn, outDir, opts }, { name: 'callModule', signal }))) as {
    result?: R;
    error?: { name?: string; message: string };
  };
  if (r.error) {
    const e = new Error(r.error.message);
    if (r.error.name) e.name = r.error.name;
    throw e;
  }
  return r.result as R;
}

/**
 * Starts the pool's other threads now (their modules load in ~0.3-0.5 s of CPU each), for a
 * caller that knows work for all of them is coming. One no-op task per thread: the first takes
 * the starting thread, each further one finds every thread busy, and the pool spawns another.
 */
export function warmSolvePool(): void {
  const p = solvePool();
  if (p.threads.length >= solveThreads()) return;
  for (let k = 0; k < solveThreads(); k++) void p.run({}, { name: 'warm' }).catch(() => undefined);
}

/**
 * Warms the pool's thread on a tiny study like the caller's (thread-warmup.ts) while it would
 * wait anyway: while the main thread connects and starts the workflow, and between the study's
 * materialize and its first solve task. Its materialize step, then `jobs` one-slice jobs in steps
 * of `stepJobs` (its batch manifest after the first); a step starts only when none of the study's tasks is running, and none once the
 * study's first solve task is submitted (which waits for at most one step). Its temporary folder
 * is removed at the end. Never throws: resolves to the jobs it solved.
 */
export function warmSolveThread(study: {
  gridFile: string;
  task: StudyTask;
  partitionBy: PartitionBy;
  jobs: number;
  stepJobs: number;
}): Promise<number> {
  const p = solvePool();
  const solvesBefore = solveTasks;
  const run = async () => {
    let solved = 0;
    const dir = await mkdtemp(join(tmpdir(), 'gridbatch-warm-'));
    const base = {
      dir,
      gridFile: study.gridFile,
      task: study.task,
      partitionBy: study.partitionBy,
      scenarios: study.jobs,
    };
    // the manifest writer after the first jobs (it reads their records): it costs less than it saves
    const steps: WarmStep['step'][] = ['materialize'];
    for (let k = 0; k < study.jobs; k += study.stepJobs) {
      steps.push({ from: k, to: Math.min(study.jobs, k + study.stepJobs) });
      if (k === 0) steps.push('manifest');
    }
    try {
      for (const step of steps) {
        // only while the thread would wait: after the study's tasks in flight (materialize) settle
        while (studyInFlight.size) await Promise.allSettled([...studyInFlight]);
        if (solveTasks !== solvesBefore || pool !== p) break;
        const n = (await p.run({ ...base, step } satisfies WarmStep, { name: 'warmStudy' })) as number;
        if (n < 0) break;
        solved += n;
      }
    } finally {
      mark('thread-warm-up-ended');
      await rm(dir, { recursive: true, force: true });
    }
    return solved;
  };
  // a warm-up that fails costs only its time
  const w = run().catch(() => 0);
  warming = w;
  return w;
}

export async function closeSolvePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  limit = undefined;
  // its step ends first (a thread is never terminated in a task: solveInPool), then it stops
  await warming;
  warming = undefined;
  if (p) await p.destroy();
}
