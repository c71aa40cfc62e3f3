/**
 * How result files and job records are grouped on disk (`--partition-by`), one source for the
 * rule. `scenario_id`: one Hive folder per scenario and table, one part file per chunk (the
 * layout of every study before this option). `bucket`: folders `bucket=<k>` of BUCKET_SCENARIOS
 * consecutive scenarios, and one part file per table for many scenarios at a time (a "part", at
 * most PART_MAX_JOBS jobs), with its job records in one Parquet file of the same name; every
 * row still carries scenario_id. `auto` (default): bucket from BUCKET_MIN_SCENARIOS scenarios on.
 */
export type PartitionBy = 'scenario_id' | 'bucket';
export type PartitionOption = PartitionBy | 'auto';
export const PARTITION_OPTIONS = ['auto', 'scenario_id', 'bucket'] as const;

/**
 * `auto` writes buckets when a study has at least this many scenarios (smaller studies keep one
 * folder per scenario). 1,000 one-slice case118 scenarios cost 4.9 CPU s in buckets against
 * 9-11 CPU s in 4,000 per-scenario files (bench:batch's GAT-format pair, README "Scale").
 */
export const BUCKET_MIN_SCENARIOS = 1_000;
/** Scenarios per bucket folder (by their index in the scenario manifest). */
export const BUCKET_SCENARIOS = 1_000;
/** A part (one file per table) closes at this many jobs: bounds a solve thread's memory (~360 rows a case118 job). */
export const PART_MAX_JOBS = 1_200;

/** The layout a study is written in. */
export function partitionFor(option: PartitionOption | undefined, scenarios: number): PartitionBy {
  if (option === 'scenario_id' || option === 'bucket') return option;
  return scenarios >= BUCKET_MIN_SCENARIOS ? 'bucket' : 'scenario_id';
}

/** The bucket of a scenario (its folder `bucket=<k>`). */
export function bucketOf(scenarioIndex: number): number {
  return Math.floor(scenarioIndex / BUCKET_SCENARIOS);
}

/**
 * A scenario group's work is split into at least this many parts (when it has PART_MIN_JOBS jobs
 * a part or more), so two solve threads work on one group: one part per group kept a thread idle
 * (1,000 one-slice case118 scenarios took 6.48 s in buckets against 3.53 s per scenario). A
 * constant, not the thread count: every attempt of a group, on any worker, splits the same way.
 */
export const GROUP_MIN_PARTS = 2;
/** Parts of a split group hold at least this many jobs (bounds the file count of tiny scenarios). */
export const PART_MIN_JOBS = 200;

/**
 * Splits consecutive scenarios into parts of at most PART_MAX_JOBS jobs (a scenario is never
 * split: a larger one is a part of its own). `jobs` is what each scenario will run. With
 * `minParts`, parts are capped at the total / minParts jobs too (never below PART_MIN_JOBS).
 */
export function partsOf<T>(items: T[], jobs: (t: T) => number, minParts = 1): T[][] {
  const total = items.reduce((a, t) => a + jobs(t), 0);
  const cap = Math.min(PART_MAX_JOBS, Math.max(PART_MIN_JOBS, Math.ceil(total / Math.max(1, minParts))));
  const parts: T[][] = [];
  let cur: T[] = [];
  let n = 0;
  for (const it of items) {
    const j = jobs(it);
    if (cur.length && n + j > cap) {
      parts.push(cur);
      cur = [];
      n = 0;
    }
    cur.push(it);
    n += j;
  }
  if (cur.length) parts.push(cur);
  return parts;
}

/**
 * Featurize of a bucketed study writes one part per table for this many consecutive scenarios
 * (about PART_MAX_JOBS jobs, by the study's mean scenario size), named after the first; the
 * featurize activity's thread ranges start on multiples of it, so every attempt names the same parts.
 */
export function featurePartScenarios(scenarios: number, jobs: number): number {
  return Math.max(1, Math.floor((PART_MAX_JOBS * Math.max(1, scenarios)) / Math.max(1, jobs)));
}
