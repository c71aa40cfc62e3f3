/**
 * The progress watcher of start-batch / retry-failed must not leave a query in flight when it
 * stops: a query that no worker answers, still running when the connection is closed, ends
 * with a retryable status and the client's retry timer then throws "Channel has been shut down"
 * from a timer, outside any try/catch (this failed a CI run). Here the workflow's worker is
 * gone, so every progress query waits; stop() must cancel it and return at once. Ending the
 * workflow afterwards answers a query left behind with a retryable error.
 */
import { Client, Connection, defaultGrpcRetryOptions, makeGrpcRetryInterceptor } from '@temporalio/client';
import { InterceptingCall, Interceptor } from '@grpc/grpc-js';
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { watchProgress } from '../../src/cli/watch';
import { studyPipeline } from '../../src/workflows';
import { studyProgressQuery } from '../../src/workflows/queries';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-long-scenario.yaml');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A gRPC interceptor that counts the calls started and not yet ended. */
function callCounter(): { inFlight: () => number; interceptor: Interceptor } {
  let open = 0;
  const interceptor: Interceptor = (options, next) =>
    new InterceptingCall(next(options), {
      start(metadata, listener, start) {
        open++;
        start(metadata, {
          onReceiveStatus(status, onStatus) {
            open--;
            onStatus(status);
          },
        });
      },
    });
  return { inFlight: () => open, interceptor };
}

describe('progress watcher and closed connections', () => {
  let t: TestTemporal;
  const batchId = `it-watch-${randomBytes(3).toString('hex')}`;
  const uncaught: unknown[] = [];
  const onUncaught = (e: unknown) => uncaught.push(e);

  beforeAll(async () => {
    t = await testTemporal();
    process.on('uncaughtException', onUncaught);
  });
  afterAll(async () => {
    process.off('uncaughtException', onUncaught);
    await t.client.workflow
      .getHandle(batchId)
      .terminate('test done')
      .catch(() => undefined);
    await t.close();
  });

  test('stop() cancels a query no worker answers; nothing throws after the connection closes', async () => {
    const handle = await t.client.workflow.start(studyPipeline, {
      workflowId: batchId,
      taskQueue: t.taskQueue,
      args: [
        {
          batchId,
          specPath: SPEC,
          outDir: join(ARTIFACTS, 'runs', batchId),
          task: 'pf_dc',
          options: { maxInFlight: 1, chunkSize: 1 },
        },
      ],
    });
    // Run a worker only until the workflow has answered one query, then take it away.
    const worker = await t.newWorker();
    await worker.runUntil(handle.query(studyProgressQuery));
    expect((await handle.describe()).status.name).toBe('RUNNING');

    const calls = callCounter();
    const connection = await Connection.connect({
      address: t.connection.options.address,
      interceptors: [calls.interceptor, makeGrpcRetryInterceptor(defaultGrpcRetryOptions())],
    });
    const client = new Client({ connection, namespace: t.namespace });
    const watcher = watchProgress(client, batchId, false, 50);
    await sleep(1_000);
    expect(calls.inFlight()).toBe(1); // the watcher's query, waiting for a worker
    const t0 = Date.now();
    await watcher.stop();
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(calls.inFlight()).toBe(0);
    await connection.close();
    // Ending the workflow answers a query still in flight with a retryable error: a call left
    // behind would now retry on the closed channel and throw from its timer.
    await handle.terminate('the watcher has stopped');
    await sleep(3_000);
    expect(uncaught.map(String)).toEqual([]);
  });
});
