/**
 * Workflow inputs and outputs: ids, paths, counters. Never grids or tables (Temporal payloads
 * stay small whatever the batch size). Shared by workflows, activities and clients.
 */
export type StudyTask = 'pf_dc' | 'pf_ac' | 'opf_dc' | 'opf_ac';

export interface StudyOptions {
  /** scenario children running at once (sliding window) */
  maxInFlight?: number;
  /** time slices per solve activity (and per Parquet part file) */
  chunkSize?: number;
  /** warm-start AC solves from the previous time slice (default true) */
  warmStart?: boolean;
  /** run only these scenario ids */
  scenarios?: string[];
  /** continue-as-new when a run's history passes this many events (default 5,000) */
  historyLimit?: number;
  /** scenario ids fetched per page by the batch workflow */
  pageSize?: number;
  /** upsert the custom search attributes (BatchId, ScenarioId, Stage); off for servers without them */
  searchAttributes?: boolean;
}

export interface StudyInput {
  batchId: string;
  /** absolute path of the spec file, readable by the workers */
  specPath: string;
  /** absolute path of the output folder, writable by the workers */
  outDir: string;
  task: StudyTask;
  options?: StudyOptions;
}

export interface MaterializeResult {
  scenarios: number;
  jobs: number;
  warnings: string[];
}

export interface ScenarioRef {
  index: number;
  id: string;
  jobs: number;
}

export interface BatchInput {
  batchId: string;
  outDir: string;
  task: StudyTask;
  totalScenarios: number;
  totalJobs: number;
  options: StudyOptions;
  /** carried across continue-as-new */
  cursor?: number;
  counters?: BatchCounters;
}

export interface BatchCounters {
  scenariosDone: number;
  jobsOk: number;
  jobsFailed: number;
  runs: number;
}

export interface ScenarioInput {
  batchId: string;
  outDir: string;
  task: StudyTask;
  scenario: ScenarioRef;
  chunkSize: number;
  warmStart: boolean;
  searchAttributes: boolean;
}

export interface ScenarioResult {
  scenarioId: string;
  ok: number;
  failed: number;
}

export interface ChunkRef {
  outDir: string;
  task: StudyTask;
  scenarioIndex: number;
  scenarioId: string;
  chunk: number;
  sliceStart: number;
  sliceEnd: number;
  warmStart?: boolean;
}

export interface BatchStats {
  count: number;
  ok: number;
  failed: number;
  skipped: number;
  convergence_rate: number;
  p50_ms: number;
  p95_ms: number;
  mean_ms: number;
  max_ms: number;
  avg_iterations: number;
}

export interface StudyResult {
  batchId: string;
  outDir: string;
  task: StudyTask;
  scenarios: number;
  jobs: number;
  ok: number;
  failed: number;
  stats: BatchStats;
}

export type Stage = 'materialize' | 'batch' | 'manifest' | 'done';

export interface StudyProgress {
  stage: Stage;
  scenarios: number;
  jobs: number;
  scenariosDone: number;
  jobsOk: number;
  jobsFailed: number;
}
