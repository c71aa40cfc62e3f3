/**
 * Runs one chunk of a scenario's time slices: apply the scenario and slice to the base grid,
 * solve each job, write the chunk's result tables and job records. Pure Node, no Temporal:
 * it runs inside a worker thread of the solve pool (solve-thread.js) or in-process.
 *
 * Deterministic: the same chunk always produces the same files (except timing columns), under
 * the same names, written atomically, so a retried activity replaces and never duplicates.
 */
import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { relative } from 'node:path';
import { writeJsonAtomic } from '../io/atomic';
import { layout } from '../io/layout';
import { writeParquetAtomic } from '../io/parquet';
import { jobIdOf, RESULT_TABLES, resultTable, SolvedJob } from '../io/result-tables';
import { applyScenario } from '../scenarios/apply';
import { LoadedProfiles, ResolvedScenario } from '../scenarios/types';
import { Network } from '../grid/network';
import { failedSolution, Solution, SolveOptions, Task } from '../solvers/solution';
import { SolverCache } from '../solvers/solve';
import { DEFAULT_ISLAND_MODE, IslandPlanCache } from '../solvers/islands';
import { solveJob, SolvedNetwork } from '../solvers/solve-job';
import type { IslandOutcome } from '../solvers/islands';
import { SolveStopped, stopRequested, withStopCheck } from '../solvers/stop';
import { loadBaseGrid, StudyManifest } from '../io/scenario-manifest';
import { openScenarioSource, ScenarioSource } from '../io/scenario-source';
import type { ChunkRef } from '../contracts/workflow-types';
import { jobTimes } from '../contracts/chunk-plan';

/**
 * One chunk of a scenario's time slices (the solveChunk activity's input), plus the shared stop
 * flag the activity sets when it is cancelled (solvers/stop.ts): the running solve stops at its
 * next iteration and the chunk ends with SolveStopped('cancelled'), writing nothing.
 */
export type ChunkInput = ChunkRef & { stop?: SharedArrayBuffer };

import { jobRecordOf, type JobRecord } from '../io/job-records';
export type { JobRecord };

export interface ChunkResult {
  ok: number;
  failed: number;
}

// Per-thread caches: the base grid and manifest of recent batches, DC factors per topology.
// The scenarios are read one at a time through the manifest's index (scenario-source.ts), never all.
type StudyEntry = { mtimeMs: number; m: StudyManifest; base: Network; profiles?: LoadedProfiles };
/** A study as its chunks read it: manifest head, base grid, profiles and the scenario source. */
export type ChunkStudy = StudyEntry & { source: ScenarioSource };
const manifests = new Map<string, StudyEntry>();
const sources = new Map<string, ScenarioSource>();
const topo = new SolverCache(32);
const islandPlans = new IslandPlanCache(64);

export function studyFor(outDir: string): ChunkStudy {
  const path = layout.scenarioManifest(outDir);
  // the grid is keyed by the file, not the folder: chunks of a study in object storage run in
  // folders of their own that hard-link one cached manifest, and share its parsed grid here; the
  // scenario source reads its file by path, so it is kept per folder (one for a local study)
  const st = statSync(path);
  const mtimeMs = st.mtimeMs;
  const fileKey = `${st.dev}:${st.ino}`;
  const sourceKey = `${fileKey}:${mtimeMs}:${outDir}`;
  let source = sources.get(sourceKey);
  if (!source) {
    if (sources.size > 8) sources.clear();
    sources.set(sourceKey, (source = openScenarioSource(outDir)));
  }
  const hit = manifests.get(fileKey);
  if (hit && hit.mtimeMs === mtimeMs) return { ...hit, source };
  const m = source.head;
  const base = loadBaseGrid(m);
  const profiles =
    m.profilesCopy && existsSync(m.profilesCopy)
      ? (JSON.parse(readFileSync(m.profilesCopy, 'utf8')) as LoadedProfiles)
      : undefined;
  const entry = { mtimeMs, m, base, profiles };
  if (manifests.size > 8) manifests.clear();
  manifests.set(fileKey, entry);
  return { ...entry, source };
}

/**
 * Solves the chunk's jobs in slice order. A job over --job-timeout (checked by the solvers between
 * iterations, solvers/stop.ts) becomes a failed job with that reason and the chunk goes on; a
 * set stop flag ends the chunk (SolveStopped 'cancelled') before or during any job.
 */
export function runChunk(input: ChunkInput): ChunkResult {
  const { outDir, task, chunk } = input;
  const { sc, jobs } = solveChunkJobs(input);
  const outputs: JobRecord['outputs'] = [];
  const written: string[] = [];
  try {
    for (const table of RESULT_TABLES) {
      const cols = resultTable(table, task, jobs);
      if (table !== 'summary' && cols[0].data.length === 0) continue;
      const path = layout.resultPart(outDir, task, table, sc.scenarioId, chunk);
      const sha = writeParquetAtomic(path, cols);
      written.push(path);
      outputs.push({ table, path: relative(outDir, path), sha256: sha });
    }
    const records: JobRecord[] = jobs.map((j) => jobRecordOf(j, outputs));
    writeJsonAtomic(layout.jobRecord(outDir, task, sc.scenarioId, chunk), records);
    const ok = records.filter((r) => r.status === 'ok').length;
    return { ok, failed: records.length - ok };
  } catch (e) {
    // e.g. the disk filled up between two parts: the chunk leaves no part without its record, and
    // no record of an earlier run whose parts were just replaced (the chunk counts as not run)
    for (const p of written) rmSync(p, { force: true });
    if (written.length) rmSync(layout.jobRecord(outDir, task, sc.scenarioId, chunk), { force: true });
    throw e;
  }
}

/**
 * Solves the chunk's jobs in slice order (see runChunk); writes nothing. A caller that runs many
 * chunks of one study (part-runner.ts) passes the study and its scenario, read once for all.
 */
export function solveChunkJobs(
  input: ChunkInput,
  given?: { study: ChunkStudy; scenario: ResolvedScenario },
): { sc: ResolvedScenario; jobs: SolvedJob[] } {
  const { outDir, task } = input;
  const { m, source, base, profiles } = given?.study ?? studyFor(outDir);
  const sc = given?.scenario ?? source.at(input.scenarioIndex, input.scenarioId);
  const times = jobTimes(sc.timeSlices).slice(input.sliceStart, input.sliceEnd);
  const jobs: SolvedJob[] = [];
  let prev: SolveOptions['start'];
  const islandMode = m.islands ?? DEFAULT_ISLAND_MODE;
  const timeoutS = input.solver?.jobTimeoutS;
  for (const time of times) {
    if (stopRequested(input.stop)) throw new SolveStopped('cancelled', 'chunk cancelled');
    const t0 = performance.now();
    const opts: SolveOptions = { ...input.solver, ...(input.warmStart !== false && prev ? { start: prev } : {}) };
    const scenarioNet = applyScenario(base, sc, time, profiles);
    const { net, solution, islands } = solveOrStop(
      () =>
        withStopCheck({ flag: input.stop, timeoutS }, () =>
          solveJob(task, scenarioNet, islandMode, opts, { cache: topo, reference: base, islandCache: islandPlans }),
        ),
      task,
      scenarioNet,
    );
    solution.solveMs = performance.now() - t0;
    if (solution.converged && (task === 'pf_ac' || task === 'opf_ac'))
      prev = { vm: solution.bus.vm, vaDeg: solution.bus.vaDeg };
    jobs.push({ jobId: jobIdOf(task, sc.scenarioId, time), scenarioId: sc.scenarioId, time, net, solution, islands });
  }
  return { sc, jobs };
}

/** The job's result, or a failed job with the timeout as its reason; a cancel goes on up. */
function solveOrStop(
  solve: () => SolvedNetwork,
  task: Task,
  net: Network,
): Omit<SolvedNetwork, 'islands'> & { islands?: IslandOutcome } {
  try {
    return solve();
  } catch (e) {
    if (!(e instanceof SolveStopped) || e.reason !== 'timeout') throw e;
    return { net, solution: timedOutSolution(task, net, e.message), islands: undefined };
  }
}

/** A job stopped by the job timeout: a failed job with that reason ("job timeout after N s ..."). */
function timedOutSolution(task: Task, net: Network, message: string): Solution {
  return failedSolution(task, net.bus.n, net.gen.n, net.branch.n, message);
}
