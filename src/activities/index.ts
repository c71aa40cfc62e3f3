/**
 * The activities: thin adapters between Temporal and the solvers / files. Each one is
 * idempotent (deterministic file names, atomic writes) and turns user input errors into
 * non-retryable failures.
 */
import { ApplicationFailure, Context } from '@temporalio/activity';
import { isInputError } from '../errors';
import { readScenarioManifest } from '../io/scenario-manifest';
import { BatchStats, ChunkRef, MaterializeResult, PageRequest, ScenarioRef, StudyInput, StudyTask } from '../workflows/types';
import { writeBatchManifest } from './batch-manifest';
import { ChunkResult } from './chunk-runner';
import { materializeStudy, scenarioPage } from './materialize';
import { runChunkInPool } from './solve-pool';

export { featurize } from './featurize';
export { report } from './report';

function asFailure(e: unknown): unknown {
  if (isInputError(e)) return ApplicationFailure.nonRetryable((e as Error).message, 'InputError');
  return e;
}

async function guarded<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asFailure(e);
  }
}

export async function materialize(input: StudyInput): Promise<MaterializeResult> {
  return guarded(() => materializeStudy(input));
}

export async function listScenarios(input: PageRequest): Promise<ScenarioRef[]> {
  return guarded(() => scenarioPage(readScenarioManifest(input.outDir), input));
}

/** Counts of a materialized study (retry-failed keeps the manifest it has). */
export async function manifestCounts(input: { outDir: string }): Promise<MaterializeResult> {
  return guarded(() => {
    const m = readScenarioManifest(input.outDir);
    return { scenarios: m.num_scenarios, jobs: m.num_jobs, warnings: m.warnings };
  });
}

export async function solveChunk(input: ChunkRef): Promise<ChunkResult> {
  const ctx = Context.current();
  const beat = setInterval(() => ctx.heartbeat({ chunk: input.chunk }), 1000);
  try {
    return await guarded(() => runChunkInPool(input, ctx.cancellationSignal));
  } finally {
    clearInterval(beat);
  }
}

export async function finalizeManifest(input: { outDir: string; batchId: string; task: StudyTask }): Promise<{ jobs: number; ok: number; failed: number; stats: BatchStats }> {
  return guarded(() => {
    const m = writeBatchManifest(input.outDir, input.batchId, input.task);
    return { jobs: m.num_jobs, ok: m.success, failed: m.failure, stats: m.stats };
  });
}
