/**
 * The thread runner: a long stage (featurize, report) runs in a worker thread, so the worker's
 * event loop stays free for heartbeats, other activities and workflow tasks.
 */
import { Worker } from 'node:worker_threads';
import { OUTPUT_ERROR, userFixable } from './output-errors';

// Threads do not inherit the parent's TypeScript loader: register tsx for a TypeScript module (the
// prebuilt dist/ passes JavaScript ones), then call `fn(outDir, opts)`.
const THREAD = `
const { parentPort, workerData: w } = require('node:worker_threads');
if (w.module.endsWith('.ts')) require(w.tsx).register();
const post = (m) => parentPort.postMessage(m);
Promise.resolve()
  .then(() => require(w.module)[w.fn](w.outDir, { ...w.opts, onProgress: (p) => post({ progress: p }) }))
  .then((result) => post({ result }), (e) => post({ error: { name: e && e.name, message: String((e && e.message) || e), code: e && e.code, path: e && e.path } }));
`;

/**
 * Runs `fn(outDir, opts)` of a gridbatch module in a worker thread, forwarding its progress.
 * Errors the user must fix come back as errors named InputError or OutputError (one line naming
 * the file or path); an aborted signal terminates the thread.
 */
export function runThread<R>(
  module: string,
  fn: string,
  outDir: string,
  opts: object,
  onProgress: (p: unknown) => void,
  signal?: AbortSignal,
): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const w = new Worker(THREAD, {
      eval: true,
      workerData: { tsx: require.resolve('tsx/cjs/api'), module, fn, outDir, opts },
    });
    let settled = false;
    const finish = (f: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      f();
      void w.terminate();
    };
    const abort = () =>
      finish(() => reject(signal?.reason instanceof Error ? signal.reason : new Error(`${fn} cancelled`)));
    signal?.addEventListener('abort', abort);
    w.on(
      'message',
      (m: {
        progress?: unknown;
        result?: R;
        error?: { name?: string; message: string; code?: string; path?: string };
      }) => {
        if (m.error) {
          const e = m.error;
          const fixable = e.name === OUTPUT_ERROR ? e : userFixable(e, outDir);
          finish(() =>
            reject(
              e.name === 'InputError'
                ? named(e.message, 'InputError')
                : fixable
                  ? named(fixable.message, OUTPUT_ERROR)
                  : new Error(e.message),
            ),
          );
        } else if ('result' in m) finish(() => resolve(m.result as R));
        else onProgress(m.progress);
      },
    );
    w.on('error', (e) => finish(() => reject(e)));
    w.on('exit', (code) => finish(() => reject(new Error(`${fn} thread exited with code ${code}`))));
  });
}

function named(message: string, name: string): Error {
  return Object.assign(new Error(message), { name });
}
