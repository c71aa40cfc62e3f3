/**
 * The activities: thin adapters between Temporal and the solvers / files. Each one is
 * idempotent (deterministic file names, atomic writes) and turns user input errors into
 * non-retryable failures.
 */
import { Context } from '@temporalio/activity';
import { asFailure } from './failures';
import { openScenarioSource } from '../io/scenario-source';
import {
  BatchStats,
  ChunkRef,
  FeaturizeInput,
  FeaturizeResult,
  GroupInput,
  MaterializeResult,
  PageRequest,
  ReportInput,
  ReportResult,
  ScenarioRef,
  ScenarioResult,
  ScreenedStudyResult,
  ScreenSelection,
  StudyInput,
  StudyTask,
} from '../contracts/workflow-types';
// screening (the report's readers, hyparquet), featurize and report load when a study runs them
import type { StageRecord } from './screening';
import type { ManifestSummary } from './batch-manifest';
import { ChunkResult } from './chunk-runner';
import { scenarioPage } from './materialize';
import { GroupProgress, runScenarioGroup, runScenarioGroupInParts } from './scenario-group';
import { isBucketed } from '../io/study-partition';
import { runChunkInPool, runInPool, runPartInPool, solveThreads } from './solve-pool';
import {
  CHUNK_FILES,
  MANIFEST_FILES,
  onMaterialize,
  onStudy,
  sweepUnfinishedUploads,
  WHOLE_STUDY,
} from './remote-study';

/** GNN tables of a finished batch (./featurize). */
export async function featurize(input: FeaturizeInput): Promise<FeaturizeResult> {
  return (await import('./featurize')).featurize(input);
}

/** The K most severe scenarios of a finished screening stage (workflows/screened.ts). */
export async function screenSelect(input: { outDir: string; top: number }): Promise<ScreenSelection> {
  const { ids, ranked } = await guarded(async () => {
    const { selectMostSevere } = await import('./screening');
    return onStudy(input, WHOLE_STUDY, (i) => selectMostSevere(i.outDir, i.top));
  });
  return { ids, ranked };
}

/** Both stages of a screened study in the final stage's batch_manifest.json. */
export async function recordScreening(input: {
  outDir: string;
  screening: ScreenedStudyResult['screening'];
  final: StageRecord;
}): Promise<void> {
  await guarded(async () => {
    const { recordStages } = await import('./screening');
    return onStudy(input, { read: ['batch_manifest.json'] }, (i) =>
      recordStages(i.outDir, input.screening, input.final),
    );
  });
}
/** The report of a finished batch (./report). */
export async function report(input: ReportInput): Promise<ReportResult> {
  return (await import('./report')).report(input);
}

/**
 * Runs an activity body with a heartbeat every 5 s (the io activities have a heartbeat timeout,
 * so an attempt whose worker died is retried soon). Bodies that may run long for big studies
 * run on a solve-pool thread (runInPool) or a worker thread (runInThread), so the event loop stays free to heartbeat.
 */
async function guarded<T>(fn: () => Promise<T> | T): Promise<T> {
  const ctx = Context.current();
  // a local activity has no heartbeat (the SDK keeps its workflow task alive instead)
  const local = ctx.info.isLocal;
  if (!local) ctx.heartbeat();
  const beat = local ? undefined : setInterval(() => ctx.heartbeat(), 5000);
  try {
    return await fn();
  } catch (e) {
    throw asFailure(e);
  } finally {
    clearInterval(beat);
  }
}

export async function materialize(input: StudyInput): Promise<MaterializeResult> {
  const ctx = Context.current();
  return guarded(() =>
    onMaterialize(input, (i) =>
      runInPool<MaterializeResult>(
        require.resolve('./materialize'),
        'materializeInto',
        i.outDir,
        i,
        ctx.cancellationSignal,
      ),
    ),
  );
}

export async function listScenarios(input: PageRequest): Promise<ScenarioRef[]> {
  return guarded(() => {
    // retry-failed on a bucketed study rewrites parts without their failed chunks (io/bucket-retry.ts): it reads them
    const read = [`jobs/${input.task}/`, ...(input.mode === 'retry-failed' ? [`results/${input.task}/`] : [])];
    return onStudy(input, { readOnce: MANIFEST_FILES, read }, (i) => scenarioPage(openScenarioSource(i.outDir), i));
  });
}

/** Counts of a materialized study (retry-failed keeps the manifest it has). */
export async function manifestCounts(input: { outDir: string }): Promise<MaterializeResult> {
  return guarded(() =>
    onStudy(input, { readOnce: MANIFEST_FILES }, (i) => {
      const m = openScenarioSource(i.outDir).head;
      return {
        scenarios: m.num_scenarios,
        jobs: m.num_jobs,
        warnings: m.warnings,
        buses: m.num_buses,
        ...(m.chunk_size !== undefined ? { chunkSize: m.chunk_size } : {}),
      };
    }),
  );
}

export async function solveChunk(input: ChunkRef): Promise<ChunkResult> {
  const ctx = Context.current();
  const beat = ctx.info.isLocal ? undefined : setInterval(() => ctx.heartbeat({ chunk: input.chunk }), 1000);
  try {
    // --job-timeout (input.solver.jobTimeoutS) is enforced in the solve thread (chunk-runner.ts)
    return await guarded(() => onStudy(input, CHUNK_FILES, (i) => runChunkInPool(i, ctx.cancellationSignal)));
  } finally {
    clearInterval(beat);
  }
}

/**
 * Every scenario of a group (scenario-group.ts). Heartbeats carry the finished scenarios' counts:
 * a retry skips them (and files are replaced atomically, so a chunk run twice is written once).
 */
export async function solveScenarioGroup(input: GroupInput): Promise<ScenarioResult[]> {
  const ctx = Context.current();
  const done: GroupProgress = { ...((ctx.info.heartbeatDetails as { done?: GroupProgress } | undefined)?.done ?? {}) };
  const beat = setInterval(() => ctx.heartbeat({ done }), 1000);
  try {
    // each chunk is uploaded when it is done (s3:// studies), before its scenario counts as done in a heartbeat
    const chunk = (ref: ChunkRef) => onStudy(ref, CHUNK_FILES, (r) => runChunkInPool(r, ctx.cancellationSignal));
    const part = (refs: ChunkRef[]) =>
      onStudy(refs[0], CHUNK_FILES, (r) =>
        runPartInPool(
          refs.map((x) => ({ ...x, outDir: r.outDir })),
          ctx.cancellationSignal,
        ),
      );
    const beat = (d: GroupProgress) => ctx.heartbeat({ done: d });
    return await guarded(async () =>
      (await onStudy(input, CHUNK_FILES, (i) => isBucketed(i.outDir)))
        ? runScenarioGroupInParts(input, part, solveThreads() + 1, done, beat)
        : runScenarioGroup(input, chunk, solveThreads() + 1, done, beat),
    );
  } finally {
    clearInterval(beat);
  }
}

export async function finalizeManifest(input: {
  outDir: string;
  batchId: string;
  task: StudyTask;
}): Promise<{ jobs: number; ok: number; failed: number; stats: BatchStats }> {
  const ctx = Context.current();
  return guarded(async () => {
    // multipart uploads a killed worker left unfinished (never objects, but they hold storage)
    await sweepUnfinishedUploads(input.outDir);
    return onStudy(input, WHOLE_STUDY, (i) =>
      runInPool<ManifestSummary>(
        require.resolve('./batch-manifest'),
        'writeBatchManifestOf',
        i.outDir,
        i,
        ctx.cancellationSignal,
      ),
    );
  });
}
