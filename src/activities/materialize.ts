/**
 * Materialize: resolve the spec against its grid, copy the inputs into the output folder and
 * write scenario_manifest.json and run_record.json. Idempotent: a retry rewrites the same files.
 * Input errors are found before anything is written.
 */
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { sha256, writeFileAtomic, writeJsonAtomic } from '../io/atomic';
import { layout } from '../io/layout';
import { checkOutputLocation, makeDirs } from '../io/output-location';
import { jobsOf, StudyManifest } from '../io/scenario-manifest';
import { writeScenarioManifest } from '../io/scenario-index';
import type { ScenarioSource } from '../io/scenario-source';
import { loadSpec, loadStudy } from '../scenarios/load-spec';
import { Network } from '../grid/network';
import { ResolvedStudy } from '../scenarios/types';
import { studySpecFiles } from '../scenarios/spec-folder';
import { MaterializeResult, PageRequest, ScenarioRef, StudyInput } from '../contracts/workflow-types';
import { planChunks, planFromCounts } from '../io/job-records';
import { recordedChunks } from '../io/bucket-records';
import { partitionToWrite } from '../io/study-partition';
import { chunkSizeToWrite } from '../io/study-chunk-size';
import { gridbatchVersion } from '../version';

export function resolveStudy(input: Pick<StudyInput, 'specPath' | 'options'>): ResolvedStudy {
  return loadSpec(input.specPath, { scenarios: input.options?.scenarios });
}

/**
 * Writes the inputs, the grid and the manifests. `loaded` is the study and its grid as loadStudy
 * returns them (the grid is parsed once, by the spec loader); callers may pass it in.
 */
export function materializeStudy(
  input: StudyInput,
  loaded: { study: ResolvedStudy; grid: Network } = loadStudy(input.specPath, { scenarios: input.options?.scenarios }),
): MaterializeResult {
  const { study, grid } = loaded;
  const out = input.outDir;
  const partition = partitionToWrite(out, input.options?.partitionBy, study.scenarios.length);
  const chunkSize = chunkSizeToWrite(out, input.options?.chunkSize, input.task, {
    buses: grid.bus.n,
    branches: grid.branch.n,
    gens: grid.gen.n,
  });
  const inputsDir = layout.inputs(out);
  checkOutputLocation(out); // a file, a read-only or pseudo file system: one OutputError, never retried
  makeDirs(inputsDir);
  const copies: { role: string; source: string; copy: string; sha256: string; bytes: number }[] = [];
  const copy = (role: string, src: string): string => {
    const dst = join(inputsDir, `${role}-${basename(src)}`);
    const bytes = readFileSync(src);
    writeFileAtomic(dst, bytes);
    copies.push({ role, source: src, copy: dst, sha256: sha256(bytes), bytes: bytes.length });
    return dst;
  };
  for (const f of studySpecFiles(study)) copy('spec', f);
  const gridCopy = copy('grid', study.gridFile);
  // the base grid once, as Arrow IPC: what every solve thread loads (never one copy per scenario)
  const gridArrow = join(out, 'grid');
  // loaded here, not at import: the worker's main thread imports this module for scenarioPage only
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { writeGridArrow } = require('../io/grid-arrow') as typeof import('../io/grid-arrow');
  writeGridArrow(grid, gridArrow);
  let profilesCopy: string | undefined;
  if (study.profiles) {
    copy('profiles', study.profiles.file);
    profilesCopy = join(inputsDir, 'profiles.resolved.json');
    writeJsonAtomic(profilesCopy, study.profiles);
  }
  const jobs = study.scenarios.reduce((n, s) => n + jobsOf(s), 0);
  const manifest: StudyManifest = {
    format: 'gridbatch.scenario_manifest/1',
    batch_id: input.batchId,
    task: input.task,
    spec_file: study.specFile,
    grid_file: study.gridFile,
    gridCopy,
    grid_arrow: gridArrow,
    profilesCopy,
    num_scenarios: study.scenarios.length,
    num_jobs: jobs,
    num_buses: grid.bus.n,
    warnings: study.warnings,
    islands: study.islands,
    partition_by: partition,
    chunk_size: chunkSize,
    ...(study.severityWeights ? { severity_weights: study.severityWeights } : {}),
    scenarios: study.scenarios,
  };
  writeScenarioManifest(out, manifest); // with its index: threads read one scenario, not the whole file
  writeJsonAtomic(layout.runRecord(out), {
    format: 'gridbatch.run_record/1',
    batch_id: input.batchId,
    task: input.task,
    gridbatch_version: gridbatchVersion(),
    node_version: process.version,
    options: input.options ?? {},
    inputs: copies,
    num_scenarios: study.scenarios.length,
    num_jobs: jobs,
  });
  return { scenarios: study.scenarios.length, jobs, warnings: study.warnings, buses: grid.bus.n, chunkSize };
}

/** Worker-thread entry (see runInPool in solve-pool.ts): materialize `input` into `outDir`. */
export function materializeInto(outDir: string, input: StudyInput): MaterializeResult {
  return materializeStudy({
    batchId: input.batchId,
    specPath: input.specPath,
    outDir,
    task: input.task,
    options: input.options,
    mode: input.mode,
  });
}

/**
 * A page of scenarios for the batch workflow (small payloads, whatever the batch size), each
 * with the chunks still to run: finished chunks are skipped, so starting a batch again resumes it.
 */
export async function scenarioPage(source: ScenarioSource, req: PageRequest): Promise<ScenarioRef[]> {
  const retry = req.mode === 'retry-failed';
  const bucketed = (source.head.partition_by ?? 'scenario_id') === 'bucket';
  const recorded = bucketed ? await recordedChunks(req.outDir, req.task) : undefined;
  // retry-failed only: it rewrites Parquet parts, and the writer loads with it (require: see io/bucket-records.ts)
  if (recorded && retry)
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    await (require('../io/bucket-retry') as typeof import('../io/bucket-retry')).releaseFailedChunks(
      req.outDir,
      req.task,
      recorded,
    );
  return source.page(req.offset, req.limit).map((s, k) => {
    const i = req.offset + k;
    const plan = recorded
      ? planFromCounts(s, req.chunkSize, retry, recorded.get(i))
      : planChunks(req.outDir, req.task, s, req.chunkSize, retry);
    return { index: i, id: s.scenarioId, jobs: jobsOf(s), chunks: plan.chunks, prior: plan.prior };
  });
}
