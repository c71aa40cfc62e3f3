/**
 * With the local dev server, commands that wait on a workflow run a worker in-process until the
 * awaited promise settles (nobody else is polling the task queue). With TEMPORAL_ADDRESS the
 * cluster's workers do the work and the command only waits.
 */
import type { NativeConnection } from '@temporalio/worker';
import { ConnectionSettings } from '../temporal/config';
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
 * A worker polling on `connection` until released; stopping it closes the connection (the caller
 * closes it when this throws). start-batch starts it (openLocalSession, local-session.ts) before
 * the workflow: its pollers wait when the first workflow task is scheduled, so the server hands
 * the task over at once instead of from its backlog (about a second on this machine).
 */
export async function runLocalWorker(connection: NativeConnection, settings: ConnectionSettings): Promise<LocalWorker> {
  let release: () => void = () => undefined;
  const worker = await createWorker({
    connection,
    namespace: settings.namespace,
    taskQueue: settings.taskQueue,
    workflowsOnThisThread: true,
  });
  const gate = new Promise<void>((r) => (release = r));
  const running = worker.runUntil(gate);
  const stopped = running.finally(() => connection.close());
  let stopping: Promise<void> | undefined;
  const stop = () => {
    release();
    stopping ??= stopped.catch(() => undefined);
    return stopping;
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
    const worker = await createWorker({
      connection,
      namespace: s.settings.namespace,
      taskQueue: s.settings.taskQueue,
      workflowsOnThisThread: true,
    });
    return await worker.runUntil(until);
  } finally {
    await connection.close();
  }
}
