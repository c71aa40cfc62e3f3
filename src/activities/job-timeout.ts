/**
 * Per-job timeouts (`--job-timeout`): a chunk runs in a solve thread that reports which job it is
 * solving and since when (a shared progress cell). When one job runs past the timeout the thread
 * is stopped (piscina terminates it on abort), and the chunk runs again with that job recorded as
 * a failed job ("job timeout") instead of solved, so the chunk's files still appear whole and the
 * other jobs of the chunk (and of the batch) go on. A chunk with t timed-out jobs runs at most
 * t + 1 times.
 */
import type { ChunkInput, ChunkResult } from './chunk-runner';

export type ChunkRun = (input: ChunkInput, signal?: AbortSignal) => Promise<ChunkResult>;

export async function runChunkWithJobTimeout(input: ChunkInput, timeoutS: number, run: ChunkRun, signal?: AbortSignal): Promise<ChunkResult> {
  const timedOut = [...(input.timedOut ?? [])];
  const limitMs = timeoutS * 1000;
  for (;;) {
    const progress = new SharedArrayBuffer(16);
    const cell = new Float64Array(progress);
    cell[0] = -1;
    const stop = new AbortController();
    const cancel = () => stop.abort(signal?.reason);
    signal?.addEventListener('abort', cancel);
    let hit = -1;
    const watch = setInterval(() => {
      const k = cell[0];
      if (k >= 0 && Date.now() - cell[1] > limitMs && hit < 0) {
        hit = k;
        stop.abort(new Error(`job ${k} of the chunk exceeded the job timeout of ${timeoutS} s`));
      }
    }, Math.max(5, Math.min(250, limitMs / 4)));
    try {
      if (signal?.aborted) throw signal.reason;
      return await run({ ...input, timedOut, progress }, stop.signal);
    } catch (e) {
      if (hit >= 0 && !signal?.aborted) {
        timedOut.push(hit);
        continue;
      }
      throw e;
    } finally {
      clearInterval(watch);
      signal?.removeEventListener('abort', cancel);
    }
  }
}
