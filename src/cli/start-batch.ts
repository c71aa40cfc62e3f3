/**
 * `start-batch`: validate the spec locally, start (or attach to) the study workflow, run an
 * in-process worker when using the local dev server, show progress, print where results are.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import { OUTPUT_ERROR } from '../io/output-errors';
import { isS3Url } from '../io/storage/s3-url';
import { storeFor, studyPath } from '../io/storage/study-store';
import { buildRemoteStudyInput } from './remote-study-input';
import {
  closeSolvePool,
  limitSolveThreads,
  solvePool,
  solveThreads,
  warmSolvePool,
  warmSolveThread,
} from '../activities/solve-pool';
import { partitionFor } from '../contracts/partition';
import { localSolveThreads, WARM_UP_STEP_JOBS, warmUpJobs } from '../workflows/solve-placement';
import { connectionSettings } from '../temporal/config';
// the workflows are started by their type names: the workflow code (@temporalio/workflow) runs in the worker's sandbox, not here
import type { studyPipeline } from '../workflows/pipeline';
import type { screenedStudy } from '../workflows/screened';
import { BatchIdKey, StageKey } from '../workflows/search-attributes';
import { ScreenedStudyResult, StudyInput, StudyResult } from '../contracts/workflow-types';
import { EXIT } from './exit';
import { buildStudyInput, screenOption, StartBatchArgs } from './study-input';
import { NO_WORST } from '../report/severity';
// the in-process worker's modules (@temporalio/worker, the activities) load only when it runs here
import type { LocalWorker } from './local-worker';
import { rootCause } from './failure';
import { openSession, Session, workflowUiUrl } from './session';
import { mark } from './timings';

async function startScreened(s: Session, input: StudyInput, screen: { task: 'pf_dc'; top: number }) {
  return s.client.workflow.start<typeof screenedStudy>('screenedStudy', {
    workflowId: input.batchId,
    taskQueue: s.settings.taskQueue,
    args: [{ study: input, screenTask: screen.task, screenTop: screen.top }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    staticSummary: `gridbatch screened study ${basename(input.specPath)}: ${screen.task} on every scenario, ${input.task} on the worst ${screen.top}`,
    staticDetails: `spec: ${input.specPath}\noutput: ${input.outDir}`,
    memo: { spec: input.specPath, out: input.outDir, task: input.task },
    requestEagerStart: s.eagerStart === true,
  });
}

async function startOrAttach(s: Session, input: StudyInput) {
  const opts = {
    workflowId: input.batchId,
    taskQueue: s.settings.taskQueue,
    args: [input] as [StudyInput],
    workflowIdConflictPolicy: 'USE_EXISTING' as const,
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY' as const,
    staticSummary: `gridbatch ${input.task} study ${basename(input.specPath)}`,
    staticDetails: `spec: ${input.specPath}\noutput: ${input.outDir}`,
    memo: { spec: input.specPath, out: input.outDir, task: input.task },
    // its first workflow task comes back in the start call's answer, to this process's worker
    requestEagerStart: s.eagerStart === true,
    typedSearchAttributes: s.searchAttributes
      ? [
          { key: BatchIdKey, value: input.batchId },
          { key: StageKey, value: 'materialize' },
        ]
      : undefined,
  };
  try {
    return await s.client.workflow.start<typeof studyPipeline>('studyPipeline', opts);
  } catch (e) {
    if (!(e instanceof WorkflowExecutionAlreadyStartedError)) throw e;
    // Completed before: report that run instead of starting the study twice, unless its results
    // were deleted since (a report of missing files helps nobody): then run it again.
    const manifest = studyPath(input.outDir, 'batch_manifest.json');
    const done = isS3Url(input.outDir)
      ? Boolean(await storeFor(input.outDir).head('batch_manifest.json'))
      : existsSync(manifest);
    if (done) return s.client.workflow.getHandle<typeof studyPipeline>(input.batchId);
    process.stderr.write(`${input.batchId} completed before, but ${manifest} is gone: running the study again\n`);
    return await s.client.workflow.start<typeof studyPipeline>('studyPipeline', {
      ...opts,
      workflowIdReusePolicy: 'ALLOW_DUPLICATE',
    });
  }
}

export async function startBatch(a: StartBatchArgs): Promise<number> {
  mark('loaded');
  // Validate the spec, grid, profiles and options before contacting Temporal (or starting the
  // local dev server): bad input exits 2 at once and leaves nothing behind.
  // The in-process worker's first solve thread loads its code while this thread connects and
  // creates the worker (with TEMPORAL_ADDRESS or --no-wait no worker runs here); it writes
  // nothing, and stops when the connection fails.
  const local = a.wait !== false && !connectionSettings().remote;
  let validated: StudyInput;
  let s: Session;
  let worker: LocalWorker | undefined;
  try {
    const built = isS3Url(a.spec) || isS3Url(a.out) ? undefined : buildStudyInput(a, false);
    validated = built ? built.input : (await buildRemoteStudyInput(a)).input;
    mark('validated');
    if (local) {
      // one solve thread per second of the study's estimated solving (localSolveThreads): a fresh
      // thread's warm-up costs more than it saves on less
      const threads = built && localSolveThreads(built.input.task, built.buses, built.jobs, solveThreads());
      if (threads) limitSolveThreads(threads);
      solvePool();
      // a study of more than one job: the other solve threads load now too, not when its first parts queue
      if (built && built.jobs > 1) warmSolvePool();
      // a one-thread study: its thread solves a tiny study like it while this thread connects
      // (warmUpJobs; GRIDBATCH_WARM_UP=0 turns it off, for benchmarks)
      const warmJobs =
        built && threads === 1 && process.env.GRIDBATCH_WARM_UP !== '0'
          ? warmUpJobs(built.input.task, built.buses, built.jobs)
          : 0;
      if (built && warmJobs > 0)
        void warmSolveThread({
          gridFile: built.gridFile,
          task: built.input.task,
          partitionBy: partitionFor(built.input.options?.partitionBy, built.scenarios),
          jobs: warmJobs,
          stepJobs: WARM_UP_STEP_JOBS,
        });
    }
    // in-process worker: one connection for it and the client, created while the session is checked
    if (local) ({ session: s, worker } = await (await import('./local-session')).openLocalSession());
    else {
      s = await openSession();
      mark('connected');
    }
  } catch (e) {
    await closeSolvePool();
    throw e;
  }
  try {
    const input: StudyInput = { ...validated, options: { ...validated.options, searchAttributes: s.searchAttributes } };
    const screen = screenOption(a);
    if (screen) await startScreened(s, input, screen);
    else await startOrAttach(s, input);
    mark('started');
    const ui = workflowUiUrl(s.settings, input.batchId);
    if (!a.wait) {
      if (a.json) console.log(JSON.stringify({ batchId: input.batchId, outDir: input.outDir, ui }));
      else {
        console.log(`started ${input.batchId}`);
        if (ui) console.log(`Web UI: ${ui}`);
        if (!s.settings.remote)
          console.log(
            'workers: run `npx tsx worker.ts` to process it (start-batch without --no-wait runs one in-process)',
          );
      }
      return EXIT.OK;
    }
    const result = await awaitStudy(s, input.batchId, a.json !== true, worker);
    mark('finished');
    printResult(result, ui, a.json === true);
    return result.failed > 0 ? EXIT.JOBS_FAILED : EXIT.OK;
  } catch (e) {
    return studyFailureExit(e);
  } finally {
    await worker?.stop();
    await closeSolvePool();
    await s.close();
    mark('closed');
  }
}

/** Waits for a study (running a local worker when needed, `worker` when already started) with a progress bar. */
export async function awaitStudy(
  s: Session,
  batchId: string,
  draw: boolean,
  worker?: LocalWorker,
): Promise<StudyResult> {
  const handle = s.client.workflow.getHandle<typeof studyPipeline>(batchId);
  const closed = (await handle.describe()).status.name !== 'RUNNING';
  if (closed) return handle.result(); // finished before: its result, no worker needed
  // Nothing to draw (--json): no progress queries (each one a query task for the worker and the server, every 500 ms).
  const watcher = draw ? (await import('./watch')).watchProgress(s.client, batchId, draw) : undefined;
  // The watcher stops when the result settles, before the local worker shuts down.
  const settled = handle.result().finally(() => watcher?.stop());
  try {
    return await (worker ? worker.until(settled) : (await import('./local-worker')).withLocalWorker(s, settled));
  } finally {
    await watcher?.stop();
  }
}

/** Exit code and one message for a study that failed (bad input found by a worker -> 2). */
export function studyFailureExit(e: unknown): number {
  if (!(e instanceof WorkflowFailedError)) throw e;
  const cause = rootCause(e);
  console.error(`error: study failed: ${cause.message}`);
  return cause.type === 'InputError' || cause.type === OUTPUT_ERROR ? EXIT.BAD_INPUT : EXIT.ERROR;
}

export function printResult(r: StudyResult, ui: string | undefined, json: boolean): void {
  if (json) {
    console.log(JSON.stringify({ ...r, ui }, null, 2));
    return;
  }
  const sc = (r as Partial<ScreenedStudyResult>).screening;
  if (sc)
    console.log(
      `screening: ${sc.jobs} ${sc.task} jobs over ${sc.scenarios} scenarios (${sc.outDir}); ${r.task} on the ${sc.selected.length} most severe`,
    );
  console.log(
    `batch ${r.batchId}: ${r.jobs} ${r.task} jobs over ${r.scenarios} scenarios: ${r.ok} ok, ${r.failed} failed`,
  );
  console.log(
    `solve time per job: p50 ${r.stats.p50_ms} ms, p95 ${r.stats.p95_ms} ms; convergence rate ${r.stats.convergence_rate}`,
  );
  console.log(`results:  ${studyPath(r.outDir, 'results', r.task)}`);
  console.log(`manifest: ${studyPath(r.outDir, 'batch_manifest.json')}`);
  if (r.features)
    console.log(
      `features: ${r.features.dirs.join(', ')} (${r.features.graphs} graphs, ${r.features.nodes} nodes, ${r.features.edges} edges)`,
    );
  if (r.report)
    console.log(
      `report:   ${r.report.dir}/report.html (baseline '${r.report.baseline}', ${r.report.worst !== null ? `worst '${r.report.worst}'` : `worst ${NO_WORST}`})`,
    );
  if (ui) console.log(`Web UI:   ${ui}`);
}
