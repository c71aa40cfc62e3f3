/**
 * The job records a scenario's chunks wrote (jobs/<task>/scenario_id=<id>/part-<chunk>.json):
 * which jobs are recorded, and which chunks must run (again). A chunk's record is written after
 * its Parquet parts, so it is the mark that the chunk is complete.
 */
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ResolvedScenario } from '../scenarios/types';
import { Task } from '../solvers/solution';
import { layout, partitionDir } from './layout';
import { RESULT_TABLES, type SolvedJob } from './result-tables';
import { chunkCount, chunkSlices, jobCount } from '../contracts/chunk-plan';

/** One job as its chunk recorded it (and as the batch manifest lists it). */
export interface JobRecord {
  job_id: string;
  scenario_id: string;
  time: string | null;
  status: 'ok' | 'failed';
  error: string | null;
  converged: boolean;
  iterations: number;
  duration_ms: number;
  objective: number | null;
  outputs: { table: string; path: string; sha256: string }[];
  /** bus numbers the island rule de-energized (or, with islands: fail, that were cut off) */
  islanded_buses?: number[];
  /** load and scheduled generation of the de-energized buses (MW); null for a failed job */
  load_lost_mw?: number | null;
  gen_lost_mw?: number | null;
}

/** The record of a solved job; a failed job lists only its summary output. */
export function jobRecordOf(j: SolvedJob, outputs: JobRecord['outputs']): JobRecord {
  return {
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
  };
}

/** A job of the batch manifest: its record, or `skipped` when it never ran. */
export type ManifestJob = Omit<JobRecord, 'status'> & { status: 'ok' | 'failed' | 'skipped' };

export function scenarioRecords(outDir: string, task: Task, scenarioId: string): Map<number, JobRecord[]> {
  const dir = join(layout.jobsDir(outDir), task, partitionDir(scenarioId));
  const out = new Map<number, JobRecord[]>();
  if (!existsSync(dir)) return out;
  for (const f of readdirSync(dir)) {
    const m = /^part-(\d+)\.json$/.exec(f);
    if (m) out.set(Number(m[1]), JSON.parse(readFileSync(join(dir, f), 'utf8')) as JobRecord[]);
  }
  return out;
}

export interface ChunkPlan {
  /** chunks to run, as half-open ranges [from, to) */
  chunks: [number, number][];
  /** counts of the recorded chunks that are kept */
  prior: { ok: number; failed: number };
}

/**
 * Which chunks of a scenario to run. `run`: chunks without a record. `retry-failed`: chunks
 * without a record or with a failed job.
 */
export function planChunks(
  outDir: string,
  task: Task,
  s: ResolvedScenario,
  chunkSize: number,
  retryFailed: boolean,
): ChunkPlan {
  const counts = new Map<number, { n: number; failed: number }>();
  for (const [c, r] of scenarioRecords(outDir, task, s.scenarioId))
    counts.set(c, { n: r.length, failed: r.filter((j) => j.status !== 'ok').length });
  return planFromCounts(s, chunkSize, retryFailed, counts);
}

/** planChunks from the counts of the recorded chunks (chunk -> jobs, failed jobs), whatever the layout. */
export function planFromCounts(
  s: ResolvedScenario,
  chunkSize: number,
  retryFailed: boolean,
  counts: Map<number, { n: number; failed: number }> | undefined,
): ChunkPlan {
  const jobs = jobCount(s.timeSlices.length);
  const n = chunkCount(jobs, chunkSize);
  const plan: ChunkPlan = { chunks: [], prior: { ok: 0, failed: 0 } };
  for (let c = 0; c < n; c++) {
    const r = counts?.get(c);
    const { sliceStart, sliceEnd } = chunkSlices(c, jobs, chunkSize);
    const expected = sliceEnd - sliceStart;
    const failed = r ? r.failed : 0;
    if (!r || r.n !== expected || (retryFailed && failed > 0)) {
      const last = plan.chunks[plan.chunks.length - 1];
      if (last && last[1] === c) last[1] = c + 1;
      else plan.chunks.push([c, c + 1]);
    } else {
      plan.prior.ok += r.n - failed;
      plan.prior.failed += failed;
    }
  }
  return plan;
}

/**
 * Removes result parts that have no job record (a chunk stopped between its Parquet writes and
 * its record, e.g. by cancellation): what stays on disk is exactly what the manifest lists.
 * `recs`: the scenario's records when the caller has read them already.
 */
export function removeOrphanParts(
  outDir: string,
  task: Task,
  s: ResolvedScenario,
  recs = scenarioRecords(outDir, task, s.scenarioId),
): number {
  let removed = 0;
  for (const table of RESULT_TABLES) {
    const dir = join(layout.tableDir(outDir, task, table), partitionDir(s.scenarioId));
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir)) {
      const m = /^part-(\d+)\.parquet$/.exec(f);
      if (m && !recs.has(Number(m[1]))) {
        rmSync(join(dir, f), { force: true });
        removed++;
      }
    }
  }
  return removed;
}
