/**
 * A standalone gridbatch worker: `npx tsx worker.ts`.
 * Connects to TEMPORAL_ADDRESS (any cluster; TLS/API key from TEMPORAL_* variables) or to the
 * local dev server of temporal-dev.yml, and polls the gridbatch task queue until Ctrl-C.
 * Run as many as you like on machines that share the output folders.
 */
import { connectionSettings } from './src/temporal/config';
import { connectWorker } from './src/temporal/connect';
import { closeSolvePool, createWorker, installRuntime } from './src/temporal/worker';

export async function runWorker(): Promise<void> {
  installRuntime('INFO');
  const s = connectionSettings();
  const connection = await connectWorker(s);
  const worker = await createWorker({ connection, namespace: s.namespace, taskQueue: s.taskQueue });
  console.log(`gridbatch worker: ${s.address} namespace ${s.namespace} task queue ${s.taskQueue}`);
  try {
    await worker.run();
  } finally {
    await closeSolvePool();
    await connection.close();
  }
}

if (require.main === module) {
  runWorker().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
