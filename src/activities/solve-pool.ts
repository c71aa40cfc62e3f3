/**
 * A pool of worker threads for CPU-heavy solves (piscina), sized to the machine's cores, so the
 * activity's event loop stays free for heartbeats and cancellation.
 */
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import Piscina from 'piscina';
import type { ChunkInput, ChunkResult } from './chunk-runner';
import { OUTPUT_ERROR } from '../io/output-errors';

let pool: Piscina | undefined;

export function solveThreads(): number {
  const env = Number(process.env.GRIDBATCH_SOLVE_THREADS);
  return Number.isInteger(env) && env > 0 ? env : availableParallelism();
}

export function solvePool(): Piscina {
  if (!pool) {
    const n = solveThreads();
    pool = new Piscina({ filename: join(__dirname, 'solve-thread.js'), minThreads: n, maxThreads: n, idleTimeout: 60_000 });
  }
  return pool;
}

/** Runs a chunk in the pool; the thread's user-fixable errors come back as InputError / OutputError (never retried). */
export async function runChunkInPool(input: ChunkInput, signal?: AbortSignal): Promise<ChunkResult> {
  const r = (await solvePool().run(input, { signal })) as ChunkResult | { outputError: string } | { inputError: string };
  if ('outputError' in r || 'inputError' in r) {
    const e = new Error('outputError' in r ? r.outputError : r.inputError);
    e.name = 'outputError' in r ? OUTPUT_ERROR : 'InputError';
    throw e;
  }
  return r;
}

export async function closeSolvePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  if (p) await p.destroy();
}
