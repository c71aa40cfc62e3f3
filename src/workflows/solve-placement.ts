/**
 * Where a scenario's chunks run: as regular activities (a task each on the server's task queue,
 * visible one by one in the Web UI) or as local activities (run by the worker that holds the
 * scenario's workflow task, recorded as markers: no activity task round trip through the
 * server). For short chunks the round trips cost more than the solves (bench:batch prints the
 * dev server's CPU seconds); long chunks stay regular activities so they heartbeat, and a crash
 * loses no more than a short chunk.
 *
 * Pure and deterministic (workflow code): the decision depends on the study's options and on
 * the grid size reported by materialize, both recorded in history.
 */
import type { LocalActivitiesMode, StudyTask } from '../contracts/workflow-types';

/**
 * Rough time of one job in ms: `ms100 * (buses / 100) ** exponent`, fitted to this project's
 * benchmarks (apply + solve + Parquet rows) on case118, case1354pegase and case9241pegase.
 */
export const JOB_COST: Record<StudyTask, { ms100: number; exponent: number }> = {
  pf_dc: { ms100: 0.4, exponent: 1 },
  pf_ac: { ms100: 0.7, exponent: 1 },
  opf_dc: { ms100: 6, exponent: 1.2 },
  opf_ac: { ms100: 13, exponent: 1.7 },
};

/** `auto` runs a chunk locally when its estimated solve time is at most this. */
export const LOCAL_CHUNK_MS = 1_000;

export function estimatedChunkMs(task: StudyTask, buses: number, chunkSize: number): number {
  const c = JOB_COST[task];
  return chunkSize * c.ms100 * (buses / 100) ** c.exponent;
}

/** True when the solve chunks of this study run as local activities. */
export function chunksRunLocal(
  mode: LocalActivitiesMode | undefined,
  task: StudyTask,
  buses: number | undefined,
  chunkSize: number,
): boolean {
  if (mode === 'always') return true;
  // buses unknown: a batch started before this option (remove once no such batch can be open)
  if (mode === 'never' || buses === undefined) return false;
  return estimatedChunkMs(task, buses, chunkSize) <= LOCAL_CHUNK_MS;
}

/** Files and bookkeeping of one chunk (4 Parquet parts and a job record), beyond its jobs' time. */
export const CHUNK_FIXED_MS = 5;

/** Estimated time of a scenario of `jobs` jobs in chunks of `chunkSize` (a group's size comes from it). */
export function estimatedScenarioMs(task: StudyTask, buses: number, jobs: number, chunkSize: number): number {
  const c = JOB_COST[task];
  return (
    Math.ceil(Math.max(1, jobs) / chunkSize) * CHUNK_FIXED_MS +
    Math.max(1, jobs) * c.ms100 * (buses / 100) ** c.exponent
  );
}

/** `auto` sizes a solve chunk to about this much estimated solving. */
export const AUTO_CHUNK_MS = 2_000;

/**
 * `auto` keeps a chunk's result rows (buses + branches + generators + 1 summary row per slice)
 * at most this many: a solve thread holds a chunk's solved networks and rows until its parts are
 * written (about 0.6 KB a row on case118), so the cap bounds its memory (~80 MB).
 */
export const AUTO_CHUNK_ROWS = 131_072;

/** The most time slices `auto` puts in one chunk: a year of hours (a leap year's 8,784). */
export const AUTO_CHUNK_MAX = 8_784;

/**
 * Time slices per solve chunk when the study does not set `--chunk-size`: about AUTO_CHUNK_MS of
 * estimated solving and at most AUTO_CHUNK_ROWS result rows, never fewer than `minimum` (the
 * default's 24) nor more than AUTO_CHUNK_MAX. A year of hourly case118 pf_ac slices runs as 24
 * chunks (24 Parquet parts per table) instead of 365; a case9241pegase scenario keeps 24.
 */
export function autoChunkSize(task: StudyTask, buses: number, rowsPerSlice: number, minimum: number): number {
  const byTime = Math.floor(AUTO_CHUNK_MS / estimatedChunkMs(task, buses, 1));
  const byRows = Math.floor(AUTO_CHUNK_ROWS / Math.max(1, rowsPerSlice));
  return Math.min(AUTO_CHUNK_MAX, Math.max(minimum, Math.min(byTime, byRows)));
}

/**
 * Estimated solving a solve thread must have before the CLI's in-process worker starts it: a
 * fresh thread's first part costs ~0.45 s of CPU more than a warm one (its code is not yet
 * optimized), so a study estimated under this runs on one thread. Measured on the 1,000 one-slice
 * case118 pf_dc scenarios (estimated 0.47 s, quiet 2-core machine): 2.00 s wall and 2.98 CPU s on
 * one thread against 2.26 s and 3.87 CPU s on two.
 */
export const LOCAL_THREAD_MS = 1_000;

/** Solve threads the CLI's in-process worker starts for a study: one per LOCAL_THREAD_MS of estimated solving, 1 to `available`. */
export function localSolveThreads(task: StudyTask, buses: number, jobs: number, available: number): number {
  const ms = Math.max(1, jobs) * estimatedChunkMs(task, buses, 1);
  return Math.max(1, Math.min(available, Math.ceil(ms / LOCAL_THREAD_MS)));
}

/**
 * The CLI's in-process worker warms a one-thread study's solve thread up on a tiny study like the
 * user's (same grid, task and layout: src/activities/thread-warmup.ts) while the thread would
 * wait anyway (solve-pool.ts warmSolveThread): about this much estimated solving, at most
 * WARM_UP_MAX_JOBS jobs, in steps of WARM_UP_STEP_JOBS (a study task waits for at most one step).
 * A fresh thread's first 250-job parts cost far more than warm ones (V8 compiling and optimizing
 * the solve, table and Parquet code; CPU ms in one process, case118 pf_dc: materialize 110, parts
 * 545, 300, 180, 160); after 32 jobs in steps of 4 (~0.36 s) they cost 60, 200, 180, 180, 150:
 * small steps get the code optimized for less than a big first part pays.
 */
export const WARM_UP_MS = 16;
export const WARM_UP_MAX_JOBS = 32;
export const WARM_UP_STEP_JOBS = 4;

/**
 * Jobs of the warm-up of the solve thread of a study of `jobs` jobs: at most the study's own
 * count, 0 (none) when fewer than one step's worth fit in WARM_UP_MS (big grids, OPF) or the
 * study has fewer jobs than a step (a one-job study's own job is its warm-up).
 */
export function warmUpJobs(task: StudyTask, buses: number, jobs: number): number {
  const n = Math.min(WARM_UP_MAX_JOBS, jobs, Math.floor(WARM_UP_MS / estimatedChunkMs(task, buses, 1)));
  return n >= WARM_UP_STEP_JOBS ? n : 0;
}
