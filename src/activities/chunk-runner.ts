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
import { TopologyCache } from '../solvers/solve';
import { withLuBackend } from '../solvers/sparse/lu-backend';
import { DEFAULT_ISLAND_MODE, IslandPlanCache } from '../solvers/islands';
import { solveJob } from '../solvers/solve-job';
import { loadBaseGrid, readScenarioManifest, StudyManifest } from '../io/scenario-manifest';
import type { ChunkRef } from '../contracts/workflow-types';
import { jobTimes } from '../contracts/chunk-plan';

/**
 * One chunk of a scenario's time slices (the solveChunk activity's input), plus what the job
 * timeout needs (job-timeout.ts): the jobs of the chunk (0-based, in slice order) already found to
 * exceed it, and a shared progress cell [job index running or -1, its start time in ms since epoch].
 */
export type ChunkInput = ChunkRef & { timedOut?: number[]; progress?: SharedArrayBuffer };

import type { JobRecord } from '../io/job-records';
export type { JobRecord };

export interface ChunkResult {
  ok: number;
  failed: number;
}

// Per-thread caches: the base grid and manifest of recent batches, DC factors per topology.
const manifests = new Map<string, { mtimeMs: number; m: StudyManifest; base: Network; profiles?: LoadedProfiles }>();
const topo = new TopologyCache(32);
const islandPlans = new IslandPlanCache(64);

function studyFor(outDir: string): { m: StudyManifest; base: Network; profiles?: LoadedProfiles } {
  const path = layout.scenarioManifest(outDir);
  const mtimeMs = statSync(path).mtimeMs;
  const hit = manifests.get(outDir);
  if (hit && hit.mtimeMs === mtimeMs) return hit;
  const m = readScenarioManifest(outDir);
  const base = loadBaseGrid(m);
  const profiles = m.profilesCopy && existsSync(m.profilesCopy) ? (JSON.parse(readFileSync(m.profilesCopy, 'utf8')) as LoadedProfiles) : undefined;
  const entry = { mtimeMs, m, base, profiles };
  if (manifests.size > 8) manifests.clear();
  manifests.set(outDir, entry);
  return entry;
}

export function scenarioAt(m: StudyManifest, index: number, id: string): ResolvedScenario {
  const s = m.scenarios[index];
  if (!s || s.scenarioId !== id) throw new Error(`scenario ${index} of the manifest is not '${id}'`);
  return s;
}

export function runChunk(input: ChunkInput): ChunkResult {
  // --job-timeout stops a solve by terminating its thread (job-timeout.ts); a thread terminated
  // inside KLU's native code would take the worker process down, so guarded chunks use the TS LU
  return input.solver?.jobTimeoutS !== undefined ? withLuBackend('ts', () => solveChunkJobs(input)) : solveChunkJobs(input);
}

function solveChunkJobs(input: ChunkInput): ChunkResult {
  const { outDir, task, chunk } = input;
  const { m, base, profiles } = studyFor(outDir);
  const sc = scenarioAt(m, input.scenarioIndex, input.scenarioId);
  const times = jobTimes(sc.timeSlices).slice(input.sliceStart, input.sliceEnd);
  const jobs: SolvedJob[] = [];
  let prev: SolveOptions['start'];
  const islandMode = m.islands ?? DEFAULT_ISLAND_MODE;
  const progress = input.progress ? new Float64Array(input.progress) : undefined;
  const timedOut = new Set(input.timedOut ?? []);
  for (const [k, time] of times.entries()) {
    const t0 = performance.now();
    const opts: SolveOptions = { ...input.solver, ...(input.warmStart !== false && prev ? { start: prev } : {}) };
    const scenarioNet = applyScenario(base, sc, time, profiles);
    if (progress) { progress[1] = Date.now(); progress[0] = k; }
    const { net, solution, islands } = timedOut.has(k)
      ? { net: scenarioNet, solution: timedOutSolution(task, scenarioNet, input.solver?.jobTimeoutS), islands: undefined }
      : solveJob(task, scenarioNet, islandMode, opts, { cache: topo, reference: base, islandCache: islandPlans });
    if (progress) progress[0] = -1;
    solution.solveMs = performance.now() - t0;
    if (solution.converged && (task === 'pf_ac' || task === 'opf_ac')) prev = { vm: solution.bus.vm, vaDeg: solution.bus.vaDeg };
    jobs.push({ jobId: jobIdOf(task, sc.scenarioId, time), scenarioId: sc.scenarioId, time, net, solution, islands });
  }
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
    const records: JobRecord[] = jobs.map((j) => ({
      job_id: j.jobId,
      scenario_id: j.scenarioId,
      time: j.time,
      status: j.solution.converged ? 'ok' : 'failed',
      error: j.solution.error,
      converged: j.solution.converged,
      iterations: j.solution.iterations,
      duration_ms: Math.round(j.solution.solveMs * 1000) / 1000,
      objective: j.solution.objective,
      outputs: j.solution.converged ? outputs : outputs.filter((o) => o.table === 'summary'),
      islanded_buses: j.islands?.islandedBuses ?? [],
      load_lost_mw: j.solution.converged ? (j.islands?.loadLostMw ?? 0) : null,
      gen_lost_mw: j.solution.converged ? (j.islands?.genLostMw ?? 0) : null,
    }));
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

/** A job stopped by the job timeout: a failed job with that reason. */
function timedOutSolution(task: Task, net: Network, seconds: number | undefined): Solution {
  return failedSolution(task, net.bus.n, net.gen.n, net.branch.n, `job timeout: stopped after ${seconds ?? '?'} s (--job-timeout)`);
}
