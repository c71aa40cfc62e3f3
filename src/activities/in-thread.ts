/** A stage of an activity in a worker thread (src/io/thread-runner.ts), its user-fixable errors non-retryable. */
import { runThread } from '../io/thread-runner';
import { asFailure } from './failures';

export async function runInThread<R>(
  module: string,
  fn: string,
  outDir: string,
  opts: object,
  onProgress: (p: unknown) => void,
  signal?: AbortSignal,
): Promise<R> {
  try {
    return await runThread<R>(module, fn, outDir, opts, onProgress, signal);
  } catch (e) {
    throw asFailure(e);
  }
}
