/**
 * A gridbatch worker: the workflows bundle plus the activities, on the configured task queue.
 * Used by worker.ts (standalone workers for a real cluster), by start-batch's in-process
 * worker, and by the integration tests.
 */
import { DefaultLogger, LogLevel, NativeConnection, Runtime, Worker, WorkerOptions } from '@temporalio/worker';
import * as activities from '../activities';
import { closeSolvePool, solvePool, solveThreads } from '../activities/solve-pool';
import { nexusServices } from '../nexus';
import { cachedWorkflowBundle, workflowsPath } from './workflow-bundle';

export interface GridbatchWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  /** concurrent solve activities; default: the solve pool's threads */
  maxConcurrentSolves?: number;
  /** reuse a prebuilt workflow bundle (tests) */
  workflowBundle?: WorkerOptions['workflowBundle'];
  /** replaces some activities (the replay recorder holds a chunk or the manifest to time a cancel) */
  activityOverrides?: Partial<typeof activities>;
  /**
   * Run the workflow sandbox on this thread instead of the SDK's workflow thread (the CLI's
   * in-process worker): no second thread loading @temporalio/proto and the bundle again
   * (about 0.3-0.4 s of CPU at every start-batch). The deadlock check stays: a workflow
   * activation may take at most WORKFLOW_ACTIVATION_TIMEOUT, as on the thread.
   */
  workflowsOnThisThread?: boolean;
}

/** The SDK's default deadlock bound of one workflow activation, kept when workflows run on the main thread. */
const WORKFLOW_ACTIVATION_TIMEOUT = '5s';

let runtimeReady = false;

/**
 * Installs the SDK runtime once with a log level (GRIDBATCH_LOG_LEVEL overrides). Standalone
 * workers log WARN; the CLI's in-process worker logs ERROR only (the CLI reports failures itself,
 * one line each). The native core's logs go through the same logger (stderr, same level):
 * unforwarded they were printed on stdout ("Task not found when completing", "query task not found").
 */
export function installRuntime(level: LogLevel = 'WARN'): void {
  if (runtimeReady) return;
  const env = process.env.GRIDBATCH_LOG_LEVEL?.toUpperCase() as LogLevel | undefined;
  const use = env ?? level;
  Runtime.install({
    logger: new DefaultLogger(use),
    telemetryOptions: { logging: { filter: { core: use, other: use }, forward: {} } },
  });
  runtimeReady = true;
}

export { workflowsPath };

/** The prebuilt bundle (cached on disk by source hash), or the sources when GRIDBATCH_BUNDLE_CACHE=off. */
async function workflowCode(): Promise<Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath'>> {
  if (process.env.GRIDBATCH_BUNDLE_CACHE === 'off') return { workflowsPath: workflowsPath() };
  return { workflowBundle: { code: (await cachedWorkflowBundle()).code } };
}

export async function createWorker(o: GridbatchWorkerOptions): Promise<Worker> {
  installRuntime();
  const threads = solveThreads();
  solvePool(); // start the solve threads now: they load their code while the workflow bundle builds
  return Worker.create({
    connection: o.connection,
    namespace: o.namespace,
    taskQueue: o.taskQueue,
    ...(o.workflowBundle ? { workflowBundle: o.workflowBundle } : await workflowCode()),
    activities: o.activityOverrides ? { ...activities, ...o.activityOverrides } : activities,
    // the `gridbatch` Nexus service (runStudy): other namespaces start studies through an endpoint
    nexusServices: nexusServices(),
    // solve activities wait on the pool; a little more than the threads keeps them busy
    maxConcurrentActivityTaskExecutions: o.maxConcurrentSolves ?? threads * 2 + 2,
    maxCachedWorkflows: 2000,
    // the SDK's debugMode is what runs workflows on the calling thread; its unbounded activation
    // time is put back to the threaded default
    ...(o.workflowsOnThisThread ? { debugMode: true, isolateExecutionTimeout: WORKFLOW_ACTIVATION_TIMEOUT } : {}),
    shutdownGraceTime: '5s',
    // heartbeats reach the server at least every 5 s (default: 0.8 x the 20 s heartbeat timeout),
    // so a running solve activity learns of a cancel within ~5 s, not ~16 s (every 2 s cost ~2 s
    // more dev-server CPU on a pf_dc 100,008-job run of 290 s wall: each heartbeat is a write)
    maxHeartbeatThrottleInterval: '5s',
  });
}

export { closeSolvePool };
