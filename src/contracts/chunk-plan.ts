/**
 * The chunk plan: how a scenario's jobs are numbered and split into solve chunks. One source for
 * the workflows (which chunks to start), the activities (which slices a chunk solves), the
 * manifests (which jobs a scenario has) and the preview (how many jobs a study has).
 *
 * A scenario has one job per time slice; a scenario without time slices is one job (time null).
 * Chunk `c` holds jobs [c * chunkSize, min(jobs, (c + 1) * chunkSize)). Pure and deterministic,
 * with no imports: workflow code uses it too.
 */

/** Jobs of a scenario with `timeSlices` time slices: one per slice, one when it has none. */
export function jobCount(timeSlices: number): number {
  return Math.max(1, timeSlices);
}

/** The time of each job of a scenario: its time slices, or one job with time null when it has none. */
export function jobTimes<T>(timeSlices: T[]): (T | null)[] {
  return timeSlices.length ? timeSlices : [null];
}

/** Chunks of a scenario of `jobs` jobs. */
export function chunkCount(jobs: number, chunkSize: number): number {
  return Math.ceil(jobCount(jobs) / chunkSize);
}

/** The jobs of chunk `chunk` as a half-open range of job (slice) numbers. */
export function chunkSlices(chunk: number, jobs: number, chunkSize: number): { sliceStart: number; sliceEnd: number } {
  const sliceStart = chunk * chunkSize;
  return { sliceStart, sliceEnd: Math.min(jobCount(jobs), sliceStart + chunkSize) };
}

/** Chunks to run as half-open ranges [from, to): the given plan, else every chunk of the scenario. */
export function chunkRanges(jobs: number, chunkSize: number, planned?: [number, number][]): [number, number][] {
  return planned ?? [[0, chunkCount(jobs, chunkSize)]];
}
