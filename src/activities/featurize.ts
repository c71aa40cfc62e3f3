/**
 * Featurize activity: GNN tables of a finished batch. The work runs in a worker thread, so the
 * worker's event loop stays free for heartbeats, other activities and workflow tasks. It
 * resumes from its last heartbeat (the next scenario and the counts so far) when Temporal
 * retries it; parts are rewritten whole, so a retry never duplicates rows.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { Worker } from 'node:worker_threads';
import type { FeaturizeProgress } from '../featurize';
import { FeaturizeInput, FeaturizeResult } from '../workflows/types';

// Threads do not inherit the parent's TypeScript loader: register tsx, then call `fn(outDir, opts)`.
const THREAD = `
const { parentPort, workerData: w } = require('node:worker_threads');
require(w.tsx).register();
const post = (m) => parentPort.postMessage(m);
Promise.resolve()
  .then(() => require(w.module)[w.fn](w.outDir, { ...w.opts, onProgress: (p) => post({ progress: p }) }))
  .then((result) => post({ result }), (e) => post({ error: { name: e && e.name, message: String((e && e.message) || e) } }));
`;

/**
 * Runs `fn(outDir, opts)` of a gridbatch module in a worker thread, forwarding its progress.
 * Input errors become non-retryable failures; an aborted signal terminates the thread.
 */
export function runInThread<R>(module: string, fn: string, outDir: string, opts: object, onProgress: (p: unknown) => void, signal?: AbortSignal): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const w = new Worker(THREAD, { eval: true, workerData: { tsx: require.resolve('tsx/cjs/api'), module, fn, outDir, opts } });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      f();
      void w.terminate();
    };
    const abort = () => finish(() => reject(signal?.reason instanceof Error ? signal.reason : new Error(`${fn} cancelled`)));
    signal?.addEventListener('abort', abort);
    w.on('message', (m: { progress?: unknown; result?: R; error?: { name?: string; message: string } }) => {
      if (m.error) {
        const e = m.error;
        finish(() => reject(e.name === 'InputError' ? ApplicationFailure.nonRetryable(e.message, 'InputError') : new Error(e.message)));
      } else if ('result' in m) finish(() => resolve(m.result as R));
      else onProgress(m.progress);
    });
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`${fn} thread exited with code ${code}`))));
  });
}

export async function featurize(input: FeaturizeInput): Promise<FeaturizeResult> {
  const ctx = Context.current();
  const from = ctx.info.heartbeatDetails as FeaturizeProgress | undefined;
  const s = await runInThread<FeaturizeResult>(require.resolve('../featurize'), 'featurizeBatch', input.outDir, { layout: input.layout, from },
    (p) => ctx.heartbeat(p), ctx.cancellationSignal);
  return { graphs: s.graphs, nodes: s.nodes, edges: s.edges, jobsWithoutGraph: s.jobsWithoutGraph, dirs: s.dirs };
}
