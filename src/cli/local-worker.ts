/**
 * With the local dev server, commands that wait on a workflow run a worker in-process until the
 * awaited promise settles (nobody else is polling the task queue). With TEMPORAL_ADDRESS the
 * cluster's workers do the work and the command only waits.
 */
import { connectWorker } from '../temporal/connect';
import { createWorker, installRuntime } from '../temporal/worker';
import { Session } from './session';
import { mark } from './timings';

/** An in-process worker already polling the task queue; `until` runs it until `p` settles, then stops it. */
export interface LocalWorker {
  until<T>(p: Promise<T>): Promise<T>;
  /** stops it without waiting on anything (an error before the workflow started) */
  stop(): Promise<void>;
}

/**
 * Starts the in-process worker before the workflow starts (start-batch): its pollers are waiting
 * when the first workflow task is scheduled, so the server hands the task over at once instead of
 * from its backlog (about a second on this machine). Undefined with a remote cluster.
 */
export async function startLocalWorker(s: Session): Promise<LocalWorker | undefined> {
  if (s.settings.remote) return undefined;
  installRuntime('ERROR'); // before the native connection, which would install a default runtime
  const connection = await connectWorker(s.settings);
  let release: () => void = () => undefined;
  let running: Promise<void>;
  try {
    const worker = await createWorker({ connection, namespace: s.settings.namespace, taskQueue: s.settings.taskQueue });
    mark('worker-created');
    const gate = new Promise<void>((r) => (release = r));
    running = worker.runUntil(gate);
  } catch (e) {
    await connection.close();
    throw e;
  }
  const stopped = running.finally(() => connection.close());
  const stop = async () => {
    release();
    await stopped.catch(() => undefined);
  };
  return {
    async until<T>(p: Promise<T>): Promise<T> {
      void p.then(
        () => mark('result'),
        () => mark('result'),
      );
      // the worker ends only after release(): until then, settling means it failed
      const failed = stopped.then(() => new Promise<never>(() => undefined));
      try {
        return await Promise.race([p, failed]);
      } finally {
        await stop();
        mark('worker-stopped');
      }
    },
    stop,
  };
}

export async function withLocalWorker<T>(s: Session, until: Promise<T>): Promise<T> {
  if (s.settings.remote) return until;
  installRuntime('ERROR'); // before the native connection, which would install a default runtime
  const connection = await connectWorker(s.settings);
  try {
    const worker = await createWorker({ connection, namespace: s.settings.namespace, taskQueue: s.settings.taskQueue });
    return await worker.runUntil(until);
  } finally {
    await connection.close();
  }
}
