/**
 * The caller service's own worker: `npx tsx examples/caller/worker.ts` polls the task queue
 * `gridbatch-caller` (CALLER_TASK_QUEUE) in the namespace of temporal-dev.yml or
 * TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE. It runs only the caller workflows of ./workflows.ts:
 * gridbatch's own workers run the study.
 */
import { NativeConnection, Worker, WorkerOptions } from '@temporalio/worker';
import { connectionSettings } from '../../src/temporal/config';
import { connectWorker } from '../../src/temporal/connect';

export const CALLER_TASK_QUEUE = process.env.CALLER_TASK_QUEUE ?? 'gridbatch-caller';

export function createCallerWorker(o: {
  connection: NativeConnection;
  namespace: string;
  taskQueue?: string;
  workflowBundle?: WorkerOptions['workflowBundle'];
}): Promise<Worker> {
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue ?? CALLER_TASK_QUEUE,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : { workflowsPath: require.resolve('./workflows') }),
  });
}

async function main(): Promise<void> {
  const s = connectionSettings();
  const connection = await connectWorker(s);
  try {
    const worker = await createCallerWorker({ connection, namespace: s.namespace });
    console.log(`caller worker: ${s.address} namespace ${s.namespace} task queue ${CALLER_TASK_QUEUE}`);
    await worker.run();
  } finally {
    await connection.close();
  }
}

if (require.main === module) {
  main().catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
}
