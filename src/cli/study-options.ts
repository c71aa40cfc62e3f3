/**
 * Command-line flags into the study contract: the flags are collected into a StudyOptions object
 * as they are, and validated once, by the contract's zod schema (src/contracts/study-input.ts:
 * the same rules a Nexus caller meets). A rule the schema breaks is reported under the flag's
 * name, in one line.
 */
import { StudyOptionsSchema, SolverSettingsSchema } from '../contracts/study-input';
import type { SolverSettings, StudyOptions } from '../contracts/workflow-types';
import { UsageError } from './exit';

/** The flags that set solver settings (start-batch and retry-failed). */
export interface SolverFlags {
  maxIterations?: number;
  tolerance?: number;
  enforceQLims?: number;
  /** seconds one job may run (--job-timeout) */
  jobTimeout?: number;
}

/** The flags that set study options (start-batch). */
export interface StudyFlags extends SolverFlags {
  maxInFlight?: number;
  chunkSize?: number;
  localActivities?: string;
  scenarioGroups?: string;
  batchWorkflow?: string;
  partitionBy?: string;
  scenarios?: string;
  warmStart?: boolean;
  skipFeaturize?: boolean;
  featureLayout?: string;
  keepFailed?: boolean;
  skipReport?: boolean;
  baseline?: string;
}

/** Each contract field, the flag that sets it and what the flag must be. */
const FLAGS: Record<string, { flag: string; rule: string; showValue?: boolean }> = {
  'solver.maxIt': { flag: '--max-iterations', rule: 'must be a positive integer' },
  'solver.tol': { flag: '--tolerance', rule: 'must be a positive number' },
  'solver.enforceQLims': { flag: '--enforce-q-lims', rule: 'must be 0, 1 or 2' },
  'solver.jobTimeoutS': { flag: '--job-timeout', rule: 'must be a positive number of seconds' },
  maxInFlight: { flag: '--max-in-flight', rule: 'must be a positive integer' },
  chunkSize: { flag: '--chunk-size', rule: 'must be a positive integer' },
  localActivities: { flag: '--local-activities', rule: 'must be auto, always or never', showValue: true },
  scenarioGroups: { flag: '--scenario-groups', rule: 'must be auto, always or never', showValue: true },
  batchWorkflow: { flag: '--batch-workflow', rule: 'must be auto or always', showValue: true },
  partitionBy: { flag: '--partition-by', rule: 'must be auto, scenario_id or bucket', showValue: true },
  featureLayout: {
    flag: '--feature-layout',
    rule: 'must be gnn, opfdata, both, opfdata-json or gridfm',
    showValue: true,
  },
  scenarios: { flag: '--scenarios', rule: 'must name at least one scenario id' },
  baseline: { flag: '--baseline', rule: 'must be a scenario id' },
};

function valueAt(obj: unknown, path: PropertyKey[]): unknown {
  let v: unknown = obj;
  for (const k of path) v = v === null || typeof v !== 'object' ? undefined : (v as Record<PropertyKey, unknown>)[k];
  return v;
}

type Schema = {
  safeParse(
    v: unknown,
  ): { success: true } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
};

/**
 * Checks `raw` against the schema; the first issue becomes a UsageError naming its flag. `raw`
 * itself is returned (the schema transforms nothing): its key order is the one the batch id
 * hashes (deriveBatchId), which the schema's own order would change.
 */
function parseFlags<T>(schema: Schema, raw: T, prefix: string[]): T {
  const r = schema.safeParse(raw);
  if (r.success) return raw;
  const issue = r.error.issues[0];
  const key = [...prefix, ...issue.path.map(String)].join('.');
  const f = FLAGS[key];
  if (!f) throw new UsageError(`${key}: ${issue.message}`);
  const got = f.showValue ? ` (got '${String(valueAt(raw, issue.path))}')` : '';
  throw new UsageError(`${f.flag} ${f.rule}${got}`);
}

/** Removes the keys whose value is undefined (absent flags leave the contract's defaults). */
function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** Solver settings from the flags, validated by the contract; undefined when no flag is given. */
export function solverSettings(a: SolverFlags): SolverSettings | undefined {
  const raw = defined({
    maxIt: a.maxIterations,
    tol: a.tolerance,
    enforceQLims: a.enforceQLims,
    jobTimeoutS: a.jobTimeout,
  });
  if (Object.keys(raw).length === 0) return undefined;
  return parseFlags(SolverSettingsSchema, raw as SolverSettings, ['solver']);
}

/** Study options from the flags, validated once by the contract (StudyOptionsSchema). */
export function studyOptions(a: StudyFlags): StudyOptions {
  const solver = solverSettings(a);
  const raw = defined({
    maxInFlight: a.maxInFlight,
    chunkSize: a.chunkSize,
    localActivities: a.localActivities,
    scenarioGroups: a.scenarioGroups,
    batchWorkflow: a.batchWorkflow,
    partitionBy: a.partitionBy,
    warmStart: a.warmStart,
    scenarios: a.scenarios
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    solver,
    skipFeaturize: a.skipFeaturize || undefined,
    featureLayout: a.featureLayout,
    keepFailed: a.keepFailed || undefined,
    skipReport: a.skipReport || undefined,
    baseline: a.baseline,
  });
  return parseFlags(StudyOptionsSchema, raw as StudyOptions, []);
}
