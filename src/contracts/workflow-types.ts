/**
 * Workflow inputs and outputs: ids, paths, counters. Never grids or tables (Temporal payloads
 * stay small whatever the batch size). Shared by workflows, activities and clients.
 */
import type { Task } from './tasks';
import type { PartitionOption } from './partition';

/** What a study solves per job (the task list: src/contracts/tasks.ts). */
export type StudyTask = Task;

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
  /** solver settings (AC PF: tolerance, iterations, reactive limits as MATPOWER's pf.*) */
  solver?: SolverSettings;
  /** skip the featurize stage (GNN tables under <out>/features/) */
  skipFeaturize?: boolean;
  /** feature layout: homogeneous `gnn` (default), OPFData-style tables `opfdata`, `both`, OPFData's own JSON `opfdata-json`, or gridfm-datakit's Parquet `gridfm` */
  featureLayout?: FeatureLayout;
  /** featurize: keep failed jobs as labelled rows (status failed) */
  keepFailed?: boolean;
  /** skip the report stage (<out>/report/) */
  skipReport?: boolean;
  /** baseline scenario of the report's comparison (default `base`, else the first scenario) */
  baseline?: string;
  /**
   * solve chunks as local activities: `auto` (default) when a chunk's estimated solve time is
   * at most 1 s (no activity task round trip through the server), `always`, or `never`
   */
  localActivities?: LocalActivitiesMode;
  /**
   * run small scenarios several to a workflow (scenarioGroup, one solve activity each, sized to
   * seconds of solving): `auto` (default) when the study has more than 100 scenarios, `always`,
   * or `never` (one scenarioRun workflow per scenario)
   */
  scenarioGroups?: ScenarioGroupsMode;
  /**
   * where the scenarios run from: `auto` (default) lets a small study of grouped scenarios run
   * its groups as activities of its pipeline (small-study.ts), `always` starts a studyBatch
   * workflow for every study
   */
  batchWorkflow?: BatchWorkflowMode;
  /** result files: one folder per `scenario_id`, `bucket`s of many scenarios, or `auto` (partition.ts) */
  partitionBy?: PartitionOption;
}

export type LocalActivitiesMode = 'auto' | 'always' | 'never';

/** Scenario groups (see scenario-groups.ts): `auto` when the study has many scenarios, `always`, `never`. */
export type ScenarioGroupsMode = 'auto' | 'always' | 'never';

/** The batch workflow (see small-study.ts): `auto` (none for a small study of grouped scenarios) or `always`. */
export type BatchWorkflowMode = 'auto' | 'always';

export type FeatureLayout = 'gnn' | 'opfdata' | 'both' | 'opfdata-json' | 'gridfm';

export interface FeaturizeInput {
  outDir: string;
  layout?: FeatureLayout;
  keepFailed?: boolean;
}

export interface FeaturizeResult {
  graphs: number;
  nodes: number;
  edges: number;
  /** jobs that did not solve (failed or skipped): no graph */
  jobsWithoutGraph: number;
  dirs: string[];
}

export interface ReportInput {
  outDir: string;
  baseline?: string;
}

export interface ReportResult {
  dir: string;
  baseline: string;
  /** scenario ranked worst by severity; null when the first ones tie on every severity key */
  worst: string | null;
  files: string[];
}

export interface SolverSettings {
  tol?: number;
  maxIt?: number;
  enforceQLims?: 0 | 1 | 2;
  /** a job running longer than this (seconds) is stopped and recorded as a failed job; the rest of its chunk still runs */
  jobTimeoutS?: number;
}

/**
 * `run`: materialize and run every scenario whose chunks are not all recorded yet (so starting
 * a stopped batch again skips what finished). `retry-failed`: keep the manifest and re-run only
 * the chunks that hold failed or skipped jobs.
 */
export type StudyMode = 'run' | 'retry-failed';

export interface StudyInput {
  batchId: string;
  /** absolute path of the spec file, readable by the workers */
  specPath: string;
  /** absolute path of the output folder, writable by the workers */
  outDir: string;
  task: StudyTask;
  options?: StudyOptions;
  mode?: StudyMode;
}

export interface MaterializeResult {
  scenarios: number;
  jobs: number;
  warnings: string[];
  /** buses of the base grid (absent for studies materialized before it was recorded) */
  buses?: number;
  /** time slices per solve chunk, as materialize chose it (absent before it was recorded: the option, else 24) */
  chunkSize?: number;
}

export interface ScenarioRef {
  index: number;
  id: string;
  jobs: number;
  /** chunks to run, as half-open ranges [from, to) of chunk numbers; absent = all */
  chunks?: [number, number][];
  /** counts already recorded for the chunks that are not run again */
  prior?: { ok: number; failed: number };
}

export interface PageRequest {
  outDir: string;
  task: StudyTask;
  offset: number;
  limit: number;
  chunkSize: number;
  mode: StudyMode;
}

export interface BatchInput {
  batchId: string;
  outDir: string;
  task: StudyTask;
  mode?: StudyMode;
  totalScenarios: number;
  totalJobs: number;
  /** buses of the base grid (sizes the solve chunks' placement, see solve-placement.ts) */
  buses?: number;
  /** time slices per solve chunk as materialize recorded it (options.chunkSize wins; absent: 24) */
  chunkSize?: number;
  options: StudyOptions;
  /** carried across continue-as-new */
  cursor?: number;
  counters?: BatchCounters;
}

export interface BatchCounters {
  scenariosDone: number;
  /** scenarios whose results were already complete (not run again) */
  scenariosSkipped?: number;
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
  solver?: SolverSettings;
  /** continue-as-new past this many history events (a scenario with very many chunks) */
  historyLimit?: number;
  /** run the solve chunks as local activities */
  local?: boolean;
}

/** A group of small scenarios run by one scenarioGroup workflow (one solveScenarioGroup activity). */
export interface GroupInput {
  batchId: string;
  outDir: string;
  task: StudyTask;
  scenarios: ScenarioRef[];
  chunkSize: number;
  warmStart: boolean;
  searchAttributes: boolean;
  solver?: SolverSettings;
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
  solver?: SolverSettings;
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
  /** absent when the stage was skipped */
  features?: FeaturizeResult;
  report?: ReportResult;
}

export type Stage = 'materialize' | 'batch' | 'manifest' | 'featurize' | 'report' | 'done' | 'cancelled';

export interface StudyProgress {
  stage: Stage;
  scenarios: number;
  jobs: number;
  scenariosDone: number;
  /** scenarios whose results were already complete (not run again) */
  scenariosSkipped?: number;
  jobsOk: number;
  jobsFailed: number;
}

/** A two-stage contingency study: DC on every scenario, then the study's task on the worst K. */
export interface ScreenedStudyInput {
  /** the final (second) stage as a study: its batch id, spec, output folder, task and options */
  study: StudyInput;
  /** the screening task of the first stage */
  screenTask: 'pf_dc';
  /** scenarios of the second stage: the K most severe of the first (contingency ranking) */
  screenTop: number;
}

/** The K scenarios the screening stage ranked most severe. */
export interface ScreenSelection {
  /** scenario ids, most severe first */
  ids: string[];
  /** scenarios ranked in the screening stage */
  ranked: number;
}

export interface ScreenedStudyResult extends StudyResult {
  screening: {
    task: 'pf_dc';
    batchId: string;
    outDir: string;
    scenarios: number;
    jobs: number;
    ok: number;
    failed: number;
    selected: string[];
  };
}
