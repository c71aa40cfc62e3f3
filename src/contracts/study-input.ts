/**
 * The contract other Temporal services start a study with: a zod schema of StudyInput (the
 * argument of the `studyPipeline` workflow and of the Nexus operation `runStudy`).
 *
 * Workflow code never imports this file (workflows stay free of zod and I/O): the Nexus handler
 * validates its input with it, and `npm run schema` writes it as JSON Schema to
 * schema/study-input.schema.json for callers in other languages. The compile-time checks at the
 * bottom keep it identical to the TypeScript types of src/contracts/workflow-types.ts.
 */
import { z } from 'zod';
import { TASKS } from './tasks';
import type { StudyInput } from './workflow-types';

export const SCHEMA_ID = 'urn:gridbatch:schema:study-input:v1';

/** An absolute POSIX or Windows path (workers read and write it; relative paths have no meaning there). */
const absolutePath = (what: string) =>
  z
    .string()
    .min(1)
    .regex(/^(\/|[A-Za-z]:[\\/]|\\\\|s3:\/\/)/, `${what} must be an absolute path or an s3:// URL`);

const positiveInt = (description: string) => z.number().int().positive().describe(description);

export const StudyTaskSchema = z
  .enum(TASKS)
  .describe('what to solve per job: DC/AC power flow or DC/AC optimal power flow');

export const SolverSettingsSchema = z
  .strictObject({
    tol: z
      .number()
      .positive()
      .describe('AC power flow mismatch tolerance in p.u. (MATPOWER pf.tol, default 1e-8)')
      .optional(),
    maxIt: positiveInt('AC power flow Newton iterations (MATPOWER pf.nr.max_it, default 10)').optional(),
    enforceQLims: z
      .union([z.literal(0), z.literal(1), z.literal(2)])
      .describe('reactive limits (MATPOWER pf.enforce_q_lims): 0 off, 1 all at once, 2 one at a time')
      .optional(),
    jobTimeoutS: z
      .number()
      .positive()
      .describe('seconds one job may run; a job over it is stopped and recorded as failed (the batch goes on)')
      .optional(),
  })
  .describe('solver settings');

export const StudyOptionsSchema = z
  .strictObject({
    maxInFlight: positiveInt('scenario child workflows running at once (sliding window, default 64)').optional(),
    chunkSize: positiveInt(
      'time slices per solve activity and per Parquet part file (default: sized from the grid and task, at least 24)',
    ).optional(),
    warmStart: z.boolean().describe('warm-start AC solves from the previous time slice (default true)').optional(),
    scenarios: z.array(z.string().min(1)).min(1).describe('run only these scenario ids').optional(),
    historyLimit: positiveInt(
      'continue-as-new when a batch run passes this many history events (default 5000)',
    ).optional(),
    pageSize: positiveInt('scenario ids fetched per page by the batch workflow (default 500)').optional(),
    searchAttributes: z
      .boolean()
      .describe(
        'upsert the custom search attributes BatchId, ScenarioId, Stage (Keyword); only where the namespace has them',
      )
      .optional(),
    solver: SolverSettingsSchema.optional(),
    skipFeaturize: z.boolean().describe('skip the featurize stage (GNN tables under <outDir>/features/)').optional(),
    featureLayout: z
      .enum(['gnn', 'opfdata', 'both', 'opfdata-json', 'gridfm'])
      .describe(
        "GNN table layout: homogeneous gnn (default), OPFData-style tables opfdata, both, OPFData's JSON release opfdata-json (PyG OPFDataset), or gridfm-datakit's Parquet gridfm (AC tasks)",
      )
      .optional(),
    keepFailed: z.boolean().describe('featurize: keep failed jobs as labelled rows (status failed)').optional(),
    skipReport: z.boolean().describe('skip the report stage (<outDir>/report/)').optional(),
    baseline: z
      .string()
      .min(1)
      .describe("baseline scenario of the report's comparison (default base, else the first scenario)")
      .optional(),
    localActivities: z
      .enum(['auto', 'always', 'never'])
      .describe(
        'solve chunks as local activities: auto (default) when a chunk is estimated at 1 s or less, always, never',
      )
      .optional(),
    scenarioGroups: z
      .enum(['auto', 'always', 'never'])
      .describe(
        'run small scenarios several to a workflow (scenarioGroup): auto (default) when the study has more than 100 scenarios, always, never',
      )
      .optional(),
    batchWorkflow: z
      .enum(['auto', 'always'])
      .describe(
        'auto (default): a small study of grouped scenarios runs its groups from its pipeline, no studyBatch workflow; always: a studyBatch workflow for every study',
      )
      .optional(),
    partitionBy: z
      .enum(['auto', 'scenario_id', 'bucket'])
      .describe(
        'result files: scenario_id (one folder per scenario), bucket (files of many scenarios, src/contracts/partition.ts), auto (default) bucket from 1,000 scenarios on',
      )
      .optional(),
  })
  .describe('options of the study');

export const StudyInputSchema = z
  .strictObject({
    batchId: z
      .string()
      .min(1)
      .max(200)
      .describe(
        'workflow id of the study; the same id runs the study once (scenario children get <batchId>/<scenarioId>)',
      ),
    specPath: absolutePath('specPath').describe(
      'absolute path of the scenario spec (YAML or JSON), readable by the gridbatch workers, or its s3:// URL',
    ),
    outDir: absolutePath('outDir').describe(
      'absolute path of the output folder, writable by the gridbatch workers, or an s3://bucket/prefix',
    ),
    task: StudyTaskSchema,
    options: StudyOptionsSchema.optional(),
    mode: z
      .enum(['run', 'retry-failed'])
      .describe(
        'run: materialize and run what is not recorded yet (default); retry-failed: re-run only failed or skipped jobs',
      )
      .optional(),
  })
  .meta({
    title: 'gridbatch StudyInput',
    description: 'argument of the studyPipeline workflow and of the Nexus operation gridbatch.runStudy',
  });

/** The JSON Schema (draft 2020-12) of StudyInput, as committed in schema/study-input.schema.json. */
export function studyInputJsonSchema(): Record<string, unknown> {
  const s = z.toJSONSchema(StudyInputSchema, { target: 'draft-2020-12', io: 'input', reused: 'inline' }) as Record<
    string,
    unknown
  >;
  const { $schema, ...rest } = s;
  return { $schema, $id: SCHEMA_ID, ...rest };
}

/** Parses a StudyInput; the error message names the key path of every problem. */
export function parseStudyInput(value: unknown): { ok: true; input: StudyInput } | { ok: false; message: string } {
  const r = StudyInputSchema.safeParse(value);
  if (r.success) return { ok: true, input: r.data };
  const message = r.error.issues.map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`).join('; ');
  return { ok: false, message: `invalid StudyInput: ${message}` };
}

// ---- compile-time check: the schema and the TypeScript type describe exactly the same thing ----
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const sameAsStudyInput: Equals<z.infer<typeof StudyInputSchema>, StudyInput> = true;
void sameAsStudyInput;
