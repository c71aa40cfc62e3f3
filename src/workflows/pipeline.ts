/**
 * A study from spec to results: materialize -> batch (scenario x time fan-out) -> manifest
 * -> featurize (GNN tables) -> report (KPIs, comparison vs a baseline).
 * Payloads are ids and paths; the batch runs as a child so its history stays its own (a small
 * study's groups run in the pipeline itself: small-study.ts).
 */
import {
  CancellationScope,
  CancelledFailure,
  executeChild,
  isCancellation,
  patched,
  setCurrentDetails,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { io, ioLocal, solve } from './activities-proxy';
import { studyBatch } from './batch';
import { runInPipeline, runsInPipeline } from './small-study';
import { startingProgress, studyProgressQuery } from './queries';
import { BatchIdKey, StageKey } from './search-attributes';
import type {
  BatchCounters,
  BatchInput,
  FeaturizeInput,
  FeaturizeResult,
  MaterializeResult,
  ReportResult,
  Stage,
  StudyInput,
  StudyOptions,
  StudyProgress,
  StudyResult,
} from '../contracts/workflow-types';

export function batchWorkflowId(batchId: string): string {
  return `${batchId}/batch`;
}

function batchInput(input: StudyInput, m: MaterializeResult, options: StudyOptions): BatchInput {
  return {
    batchId: input.batchId,
    outDir: input.outDir,
    task: input.task,
    mode: input.mode,
    totalScenarios: m.scenarios,
    totalJobs: m.jobs,
    buses: m.buses,
    ...(m.chunkSize !== undefined ? { chunkSize: m.chunkSize } : {}),
    options,
  };
}

function featurizeInput(input: StudyInput, options: StudyOptions): FeaturizeInput {
  return { outDir: input.outDir, layout: options.featureLayout, ...(options.keepFailed ? { keepFailed: true } : {}) };
}

/**
 * A whole study: `materialize` (or, for retry-failed, the counts of the manifest it keeps), the
 * `studyBatch` child, the batch manifest, then featurize and report unless skipped. Progress is a
 * query, the current details and (when enabled) the Stage search attribute. Cancelled during the
 * batch, it still writes the manifest (jobs that did not run are marked skipped) and ends cancelled.
 */
export async function studyPipeline(input: StudyInput): Promise<StudyResult> {
  const options = input.options ?? {};
  const progress: StudyProgress = startingProgress();
  setHandler(studyProgressQuery, () => progress);
  const stage = (s: Stage, details: string) => {
    progress.stage = s;
    setCurrentDetails(`stage ${s}: ${details}`);
    if (options.searchAttributes) upsertSearchAttributes([{ key: StageKey, value: s }]);
  };
  if (options.searchAttributes && workflowInfo().typedSearchAttributes.get(BatchIdKey) === undefined) {
    upsertSearchAttributes([{ key: BatchIdKey, value: input.batchId }]);
  }

  const retry = input.mode === 'retry-failed';
  stage('materialize', retry ? 'retry of failed jobs: keeping scenario_manifest.json' : `resolving ${input.specPath}`);
  // materialize (or the counts) and the manifest as local activities; histories from before replay them as activities
  const book = patched('local-bookkeeping') ? ioLocal : io;
  const m = retry ? await book.manifestCounts({ outDir: input.outDir }) : await book.materialize(input);
  progress.scenarios = m.scenarios;
  progress.jobs = m.jobs;

  stage('batch', `${m.jobs} ${input.task} jobs over ${m.scenarios} scenarios`);
  const bi = batchInput(input, m, options);
  const child = (b: BatchInput) =>
    executeChild(studyBatch, {
      workflowId: batchWorkflowId(input.batchId),
      args: [b],
      staticSummary: `${retry ? 'retry of failed jobs among' : 'fan-out of'} ${m.jobs} ${input.task} jobs (${m.scenarios} scenarios)`,
      typedSearchAttributes: options.searchAttributes
        ? [
            { key: BatchIdKey, value: input.batchId },
            { key: StageKey, value: 'batch' },
          ]
        : undefined,
    });
  let counters: BatchCounters;
  try {
    // a small study runs its groups itself (small-study.ts); histories from before start the child
    counters =
      runsInPipeline(bi) && patched('small-study-in-pipeline')
        ? await runInPipeline(bi, progress, child)
        : await child(bi);
  } catch (e) {
    if (!isCancellation(e)) throw e;
    // Cancelled: what was written stays, the manifest marks the jobs that did not run as skipped.
    await CancellationScope.nonCancellable(async () => {
      const fin = await book.finalizeManifest({ outDir: input.outDir, batchId: input.batchId, task: input.task });
      stage('cancelled', `${fin.ok} ok, ${fin.failed} failed, ${fin.stats.skipped} not run of ${fin.jobs} jobs`);
      upsertMemo({ jobs: fin.jobs, ok: fin.ok, failed: fin.failed, skipped: fin.stats.skipped });
    });
    throw e;
  }
  progress.scenariosDone = counters.scenariosDone;
  progress.jobsOk = counters.jobsOk;
  progress.jobsFailed = counters.jobsFailed;

  stage('manifest', 'writing batch_manifest.parquet and .json');
  const finalize = () => book.finalizeManifest({ outDir: input.outDir, batchId: input.batchId, task: input.task });
  // A cancel that reaches the study after its batch has finished (every scenario done before the
  // cancel got to it) must not cancel the manifest: the study then ends cancelled with its manifest
  // (and memo), as a cancel during the batch does. Histories from before replay without the marker.
  const fin = patched('manifest-not-cancellable')
    ? await CancellationScope.nonCancellable(async () => {
        const f = await finalize();
        upsertMemo({ jobs: f.jobs, ok: f.ok, failed: f.failed, skipped: f.stats.skipped });
        return f;
      })
    : await finalize();
  // A cancel whose batch did not end cancelled (its last scenario finished first, or a chunk on a
  // stopped worker timed out instead of acknowledging the cancel) still ends the study cancelled,
  // after its manifest, as a cancel during the batch does; histories from before replay without it.
  if (CancellationScope.current().consideredCancelled && patched('cancel-ends-cancelled')) {
    stage('cancelled', `${fin.ok} ok, ${fin.failed} failed, ${fin.stats.skipped} not run of ${fin.jobs} jobs`);
    throw new CancelledFailure('study cancelled after its batch closed');
  }
  // Featurize and report read the files of the finished batch; histories from before these stages replay without them.
  let features: FeaturizeResult | undefined;
  let report: ReportResult | undefined;
  // remove with the studyPipeline--legacy-* fixtures once no execution from before these stages can be open
  if (patched('featurize-report-stages')) {
    if (!options.skipFeaturize) {
      stage('featurize', `GNN tables (${options.featureLayout ?? 'gnn'}) of ${fin.ok} solved jobs`);
      features = await solve.featurize.executeWithOptions({ summary: `featurize ${options.featureLayout ?? 'gnn'}` }, [
        featurizeInput(input, options),
      ]);
    }
    if (!options.skipReport) {
      stage('report', `KPIs per job and scenario, comparison vs ${options.baseline ?? 'base'}`);
      report = await solve.report.executeWithOptions({ summary: 'report' }, [
        { outDir: input.outDir, baseline: options.baseline },
      ]);
    }
  }
  stage('done', `${fin.ok} ok, ${fin.failed} failed of ${fin.jobs} jobs`);
  upsertMemo({ jobs: fin.jobs, ok: fin.ok, failed: fin.failed, skipped: fin.stats.skipped });
  return {
    batchId: input.batchId,
    outDir: input.outDir,
    task: input.task,
    scenarios: m.scenarios,
    jobs: fin.jobs,
    ok: fin.ok,
    failed: fin.failed,
    stats: fin.stats,
    features,
    report,
  };
}
