/**
 * `start-batch`: validate the spec locally, start (or attach to) the study workflow, run an
 * in-process worker when using the local dev server, show progress, print where results are.
 */
import { WorkflowExecutionAlreadyStartedError, WorkflowFailedError } from '@temporalio/client';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InputError } from '../errors';
import { sha256 } from '../io/atomic';
import { OUTPUT_ERROR } from '../io/output-errors';
import { layout } from '../io/layout';
import { loadStudy } from '../scenarios/load-spec';
import { specFilesIn, studySpecFiles } from '../scenarios/spec-folder';
import { isS3Url } from '../io/storage/s3-url';
import { storeFor, studyPath } from '../io/storage/study-store';
import { buildRemoteStudyInput } from './remote-study-input';
import { checkStudyOutput, studyOutputEstimate } from './output-check';
import { isTask } from '../solvers/solution';
import { closeSolvePool } from '../temporal/worker';
import { studyPipeline } from '../workflows/pipeline';
import { screenedStudy } from '../workflows/screened';
import { BatchIdKey, StageKey } from '../workflows/search-attributes';
import { ScreenedStudyResult, StudyInput, StudyOptions, StudyResult, StudyTask } from '../contracts/workflow-types';
import { EXIT, UsageError } from './exit';
import { StudyFlags, studyOptions } from './study-options';
export { solverSettings } from './study-options';
import { watchProgress } from './watch';
import { NO_WORST } from '../report/severity';
import { withLocalWorker } from './local-worker';
import { rootCause } from './failure';
import { openSession, Session, workflowUiUrl } from './session';

export interface StartBatchArgs extends StudyFlags {
  spec: string;
  task: string;
  out?: string;
  id?: string;
  wait: boolean;
  json?: boolean;
  /** two-stage study: screen every scenario with this task first (only 'dc'), then run --task on the worst --screen-top */
  screen?: string;
  screenTop?: number;
}

function slug(s: string): string {
  return (
    s
      .toLowerCase()
      .replace(/\.[a-z]+$/, '')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 40) || 'study'
  );
}

/**
 * Output folder when --out is not given: out/<spec>-<task>-<UTC time to the second>, so that two
 * runs never share a folder (starting the same study again attaches to it only with --out or --id).
 */
export function defaultOutDir(specPath: string, task: string, now: Date = new Date()): string {
  const stamp = now
    .toISOString()
    .replace(/\.\d+Z$/, 'Z')
    .replace(/[-:]/g, '');
  return `out/${slug(basename(specPath))}-${task}-${stamp}`;
}

/** Workflow id from the spec's content and the options: the same study starts once. */
export function deriveBatchId(
  specPath: string,
  task: StudyTask,
  outDir: string,
  options: StudyOptions,
  scenarioHashes: string[],
): string {
  const spec = statSync(specPath).isDirectory()
    ? specFilesIn(specPath)
        .map((f) => sha256(readFileSync(f)))
        .join(',')
    : sha256(readFileSync(specPath));
  const h = sha256(JSON.stringify({ spec, task, outDir, options, scenarioHashes }));
  return `gb-${slug(basename(specPath))}-${task.replace('_', '')}-${h.slice(0, 12)}`;
}

export function buildStudyInput(
  a: StartBatchArgs,
  searchAttributes: boolean,
): { input: StudyInput; scenarios: number; inputFiles: string[] } {
  if (!isTask(a.task)) throw new UsageError(`--task must be one of pf_dc, pf_ac, opf_dc, opf_ac (got '${a.task}')`);
  const specPath = resolve(a.spec);
  if (!existsSync(specPath)) throw new InputError('spec file not found', { file: specPath });
  const options = studyOptions(a);
  if (
    (options.featureLayout === 'opfdata-json' || options.featureLayout === 'gridfm') &&
    a.task !== 'pf_ac' &&
    a.task !== 'opf_ac' &&
    !options.skipFeaturize
  ) {
    throw new UsageError(
      `--feature-layout ${options.featureLayout} holds AC solutions: use --task pf_ac or opf_ac (got ${a.task})`,
    );
  }
  // Validate everything before anything is started or written.
  const { study, grid } = loadStudy(specPath, { scenarios: options.scenarios });
  if (a.baseline !== undefined && !a.skipReport && !study.scenarios.some((sc) => sc.scenarioId === a.baseline)) {
    throw new UsageError(`--baseline '${a.baseline}' is not a scenario of ${basename(specPath)}`);
  }
  // an s3:// output is checked by buildRemoteStudyInput (remote-study-input.ts), against the bucket
  const remoteOut = isS3Url(a.out);
  const outDir = remoteOut ? a.out!.replace(/\/+$/, '') : resolve(a.out ?? defaultOutDir(specPath, a.task));
  // the output folder too: a file, a read-only place or a full disk ends here with exit 2, not in a retried activity
  if (!remoteOut) checkStudyOutput(outDir, studyOutputEstimate(study, grid, a.chunkSize));
  const screen = screenOption(a);
  const batchId =
    a.id ??
    deriveBatchId(
      specPath,
      a.task,
      outDir,
      screen ? ({ ...options, screen } as StudyOptions) : options,
      study.scenarios.map((s) => s.hash),
    );
  const rec = layout.runRecord(outDir);
  const inputFiles = [
    ...new Set([...studySpecFiles(study), study.gridFile, ...(study.profiles ? [study.profiles.file] : [])]),
  ];
  if (!remoteOut && existsSync(rec)) {
    let other: string | undefined;
    try {
      other = (JSON.parse(readFileSync(rec, 'utf8')) as { batch_id?: string } | null)?.batch_id;
    } catch {
      throw new UsageError(
        `${rec} is not a readable run record (a damaged earlier run?); choose another --out or remove that folder`,
      );
    }
    if (other && other !== batchId && other !== finalStageId(batchId))
      throw new UsageError(
        `${outDir} holds the results of batch ${other}; choose another --out (or --id ${other} to attach to it)`,
      );
  }
  return {
    input: { batchId, specPath, outDir, task: a.task, options: { ...options, searchAttributes } },
    scenarios: study.scenarios.length,
    inputFiles,
  };
}

/** --screen dc --screen-top K, checked; undefined without --screen. */
export function screenOption(
  a: Pick<StartBatchArgs, 'screen' | 'screenTop'>,
): { task: 'pf_dc'; top: number } | undefined {
  if (a.screen === undefined) {
    if (a.screenTop !== undefined) throw new UsageError('--screen-top needs --screen dc');
    return undefined;
  }
  if (a.screen !== 'dc') throw new UsageError(`--screen must be dc (got '${a.screen}')`);
  if (a.screenTop === undefined || !Number.isInteger(a.screenTop) || a.screenTop < 1)
    throw new UsageError('--screen dc needs --screen-top K, a positive integer');
  return { task: 'pf_dc', top: a.screenTop };
}

/** The workflow (and batch) id of a screened study's final stage. */
export function finalStageId(batchId: string): string {
  return `${batchId}-final`;
}

async function startScreened(s: Session, input: StudyInput, screen: { task: 'pf_dc'; top: number }) {
  return s.client.workflow.start(screenedStudy, {
    workflowId: input.batchId,
    taskQueue: s.settings.taskQueue,
    args: [{ study: input, screenTask: screen.task, screenTop: screen.top }],
    workflowIdConflictPolicy: 'USE_EXISTING',
    workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
    staticSummary: `gridbatch screened study ${basename(input.specPath)}: ${screen.task} on every scenario, ${input.task} on the worst ${screen.top}`,
    staticDetails: `spec: ${input.specPath}\noutput: ${input.outDir}`,
    memo: { spec: input.specPath, out: input.outDir, task: input.task },
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
    typedSearchAttributes: s.searchAttributes
      ? [
          { key: BatchIdKey, value: input.batchId },
          { key: StageKey, value: 'materialize' },
        ]
      : undefined,
  };
  try {
    return await s.client.workflow.start(studyPipeline, opts);
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
    return await s.client.workflow.start(studyPipeline, { ...opts, workflowIdReusePolicy: 'ALLOW_DUPLICATE' });
  }
}

export async function startBatch(a: StartBatchArgs): Promise<number> {
  // Validate the spec, grid, profiles and options before contacting Temporal (or starting the
  // local dev server): bad input exits 2 at once and leaves nothing behind.
  const validated =
    isS3Url(a.spec) || isS3Url(a.out) ? (await buildRemoteStudyInput(a)).input : buildStudyInput(a, false).input;
  const s = await openSession();
  try {
    const input: StudyInput = { ...validated, options: { ...validated.options, searchAttributes: s.searchAttributes } };
    const screen = screenOption(a);
    if (screen) await startScreened(s, input, screen);
    else await startOrAttach(s, input);
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
    const result = await awaitStudy(s, input.batchId, a.json !== true);
    printResult(result, ui, a.json === true);
    return result.failed > 0 ? EXIT.JOBS_FAILED : EXIT.OK;
  } catch (e) {
    return studyFailureExit(e);
  } finally {
    await closeSolvePool();
    await s.close();
  }
}

/** Waits for a study (running a local worker when needed) with a progress bar. */
export async function awaitStudy(s: Session, batchId: string, draw: boolean): Promise<StudyResult> {
  const handle = s.client.workflow.getHandle<typeof studyPipeline>(batchId);
  const closed = (await handle.describe()).status.name !== 'RUNNING';
  if (closed) return handle.result(); // finished before: its result, no worker needed
  const watcher = watchProgress(s.client, batchId, draw);
  // The watcher stops when the result settles, before the local worker shuts down.
  const settled = handle.result().finally(() => watcher.stop());
  try {
    return await withLocalWorker(s, settled);
  } finally {
    await watcher.stop();
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
