/**
 * With the local dev server, commands that wait on a workflow run a worker in-process until the
 * awaited promise settles (nobody else is polling the task queue). With TEMPORAL_ADDRESS the
 * cluster's workers do the work and the command only waits.
 */
import { connectWorker } from '../temporal/connect';
import { createWorker, installRuntime } from '../temporal/worker';
import { Session } from './session';
import { mark } from './timings';

export async function withLocalWorker<T>(s: Session, until: Promise<T>): Promise<T> {
  if (s.settings.remote) return until;
  installRuntime('ERROR'); // before the native connection, which would install a default runtime
  const connection = await connectWorker(s.settings);
  try {
    const worker = await createWorker({ connection, namespace: s.settings.namespace, taskQueue: s.settings.taskQueue });
    mark('worker-created');
    return await worker.runUntil(until).finally(() => mark('worker-stopped'));
  } finally {
    await connection.close();
  }
}
