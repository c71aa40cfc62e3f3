/**
 * Integration-test plumbing: a client and a worker on the test dev server, each test file on a
 * task queue of its own, running the real workflows and activities.
 */
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomBytes } from 'node:crypto';
import { readDevConfig, connectionSettings } from '../../src/temporal/config';
import { ensureSearchAttributes, waitForNamespace } from '../../src/temporal/connect';
import { closeSolvePool, createWorker, installRuntime } from '../../src/temporal/worker';
import { writeTestConfig } from './test-server';

export interface TestTemporal {
  client: Client;
  connection: Connection;
  nativeConnection: NativeConnection;
  namespace: string;
  taskQueue: string;
  newWorker(): Promise<Worker>;
  close(): Promise<void>;
}

export async function testTemporal(): Promise<TestTemporal> {
  process.env.GRIDBATCH_DEV_CONFIG = writeTestConfig();
  installRuntime('WARN');
  const s = connectionSettings(readDevConfig());
  const connection = await Connection.connect({ address: s.address });
  await waitForNamespace(connection, s.namespace);
  await ensureSearchAttributes(connection, s.namespace);
  const nativeConnection = await NativeConnection.connect({ address: s.address });
  const taskQueue = `test-${randomBytes(4).toString('hex')}`;
  return {
    client: new Client({ connection, namespace: s.namespace }),
    connection,
    nativeConnection,
    namespace: s.namespace,
    taskQueue,
    newWorker: () => createWorker({ connection: nativeConnection, namespace: s.namespace, taskQueue }),
    async close() {
      await closeSolvePool();
      // a test that failed before its worker ran may leave the worker holding the connection
      await nativeConnection.close().catch(() => undefined);
      await connection.close();
    },
  };
}
