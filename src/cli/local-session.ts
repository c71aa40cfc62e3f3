/**
 * start-batch's link to the local dev server when it runs the study's worker in-process: one
 * native connection serves both the client and the worker (no second gRPC channel to open), the
 * worker is created while the search attributes are checked, and the study's workflow may start
 * eagerly, its first task handed to this worker in the start call's answer (requestEagerStart).
 */
import { Client } from '@temporalio/client';
import { connectWorker, ensureSearchAttributes, waitForNamespace } from '../temporal/connect';
import { ensureDevServer } from '../temporal/dev-server';
import { connectionSettings, readDevConfig } from '../temporal/config';
import { installRuntime } from '../temporal/worker';
import { handleInterrupts } from './interrupt';
import { LocalWorker, runLocalWorker } from './local-worker';
import { Session } from './session';
import { mark } from './timings';

/** A session on the local dev server and its worker, already polling; both on one connection. */
export async function openLocalSession(): Promise<{ session: Session; worker: LocalWorker }> {
  handleInterrupts(); // from here the command waits on the server: Ctrl-C stops its worker, then exits
  const dev = readDevConfig();
  const settings = connectionSettings(dev);
  if (settings.remote) throw new Error('openLocalSession: TEMPORAL_ADDRESS is set (a remote cluster runs the workers)');
  const st = await ensureDevServer(dev);
  if (process.stderr.isTTY) process.stderr.write(`Temporal dev server at ${st.address}, Web UI ${st.uiUrl}\n`);
  installRuntime('ERROR'); // before the native connection, which would install a default runtime
  const connection = await connectWorker(settings);
  try {
    await waitForNamespace(connection, settings.namespace);
    mark('connected');
    const [searchAttributes, worker] = await Promise.all([
      ensureSearchAttributes(connection, settings.namespace),
      runLocalWorker(connection, settings),
    ]);
    mark('worker-created');
    const client = new Client({ connection, namespace: settings.namespace });
    // the worker closes the connection when it stops; closing the session waits for that
    const session: Session = {
      settings,
      connection,
      client,
      searchAttributes,
      eagerStart: true,
      close: () => worker.stop(),
    };
    return { session, worker };
  } catch (e) {
    await connection.close();
    throw e;
  }
}
