/**
 * The dataset layouts (OPFData JSON, gridfm-datakit Parquet): the solved AC samples of a batch
 * in batch-manifest order, numbered contiguously, in one pass. A rerun or a retried activity
 * rewrites the layout whole (every file atomically; the layout folder is cleared first).
 * Samples a format cannot hold (de-energized buses) are counted, not written.
 */
import { jobsOf } from '../io/scenario-manifest';
import type { FeaturizeSummary } from './summary';
import { JobGraph } from './job-graph';
import { inServiceBranches } from './network-features';
import { DatasetLayout, featureLayout } from './layout';
import { GridfmWriter, gridfmColumns } from './gridfm-tables';
import { writeDatasetCard } from './dataset-card';
import { writeJsonAtomic } from '../io/atomic';
import { join } from 'node:path';
import { rmSync } from 'node:fs';
import { writeParquetAtomic } from '../io/parquet';
import { ColumnSet } from '../io/columns';
import { OpfDataJsonWriter } from './opfdata-json';
import {
  caseNameOf,
  isCompleteAcSample,
  requireAcTask,
  SampleStreamOptions,
  solvedSamples,
  studySplits,
} from './samples';
import { DEFAULT_SPLIT, Split, SplitOptions } from './splits';
import { openStudy } from '../io/study';

export interface DatasetExportOptions {
  split?: SplitOptions;
  /** list failed jobs in <layout>/failed.parquet (the formats have no row for a sample without a solution) */
  keepFailed?: boolean;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

export interface DatasetExportSummary {
  layout: DatasetLayout;
  task: string;
  caseName: string;
  /** samples written, per split */
  samples: Record<Split, number>;
  /** solved jobs left out because the format cannot hold them (de-energized buses) */
  incomplete: number;
  /** jobs without a solution (failed or skipped) */
  unsolved: number;
  split: SplitOptions;
  /** where a loader points: OPFDataset's root, or gridfm's raw folder */
  dir: string;
  /** OPFData: the num_groups to give OPFDataset */
  groups?: number;
  /** buses and in-service branches over the samples written */
  nodes: number;
  edges: number;
  /** keep_failed: jobs without a sample (failed or incomplete), listed in failedFile */
  failed?: number;
  failedFile?: string;
}

export async function exportDataset(
  outDir: string,
  layout: DatasetLayout,
  opts: DatasetExportOptions = {},
): Promise<DatasetExportSummary> {
  const study = openStudy(outDir);
  requireAcTask(study, layout);
  const split = opts.split ?? DEFAULT_SPLIT;
  const caseName = caseNameOf(study);
  const stream: SampleStreamOptions = {
    split,
    keepFailed: opts.keepFailed,
    signal: opts.signal,
    onScenario: (d, t) => opts.onProgress?.(d, t),
  };
  const samples: Record<Split, number> = { train: 0, validation: 0, test: 0 };
  let incomplete = 0,
    solved = 0,
    nodes = 0,
    edges = 0;
  let add: (j: JobGraph) => void, close: () => void, dir: string, groups: number | undefined;
  if (layout === 'opfdata-json') {
    const splits = studySplits(study, split);
    const capacity: Record<Split, number> = { train: 0, validation: 0, test: 0 };
    for (const s of study.scenarios()) capacity[splits.get(s.scenarioId)!] += jobsOf(s);
    const w = new OpfDataJsonWriter(featureLayout.opfdataJsonRoot(outDir), caseName, capacity);
    add = (j) =>
      w.add(j, {
        graph_id: j.graphId,
        job_id: j.jobId,
        scenario_id: j.scenario.scenarioId,
        time: j.time,
        split: j.split,
      });
    close = () => w.close();
    [dir, groups] = [w.root, w.groups];
  } else {
    const w = new GridfmWriter(featureLayout.gridfmRaw(outDir, caseName));
    add = (j) => w.add(j, (j.solveMs ?? 0) / 1000);
    close = () => w.close();
    dir = w.rawDir;
  }
  const failed = new FailedRows();
  for await (const j of solvedSamples(study, stream)) {
    if (j.status !== 'ok') {
      failed.add(j, 'failed', j.error);
      continue;
    }
    solved++;
    if (!isCompleteAcSample(j)) {
      incomplete++;
      failed.add(j, 'incomplete', 'de-energized buses: the format has no out-of-service bus');
      continue;
    }
    add(j);
    samples[j.split]++;
    nodes += j.net.bus.n;
    edges += inServiceBranches(j.net).length;
  }
  close();
  const failedFile = join(layoutRoot(outDir, layout), 'failed.parquet');
  if (opts.keepFailed) failed.write(failedFile);
  else rmSync(failedFile, { force: true });
  return {
    layout,
    task: study.task,
    caseName,
    samples,
    incomplete,
    unsolved: study.numJobs - solved,
    split,
    dir,
    groups,
    nodes,
    edges,
    ...(opts.keepFailed ? { failed: failed.rows, failedFile } : {}),
  };
}

function layoutRoot(outDir: string, layout: DatasetLayout): string {
  return layout === 'gridfm' ? join(outDir, 'features', 'gridfm') : featureLayout.opfdataJsonRoot(outDir);
}

/** Jobs a dataset layout has no sample for, as labelled rows (keep_failed). */
class FailedRows {
  private readonly c = new ColumnSet();
  private readonly col = {
    graph: this.c.add('graph_id', 'INT32'),
    job: this.c.add('job_id', 'STRING'),
    sid: this.c.add('scenario_id', 'STRING'),
    time: this.c.add('time', 'STRING'),
    split: this.c.add('split', 'STRING'),
    status: this.c.add('status', 'STRING'),
    error: this.c.add('error', 'STRING'),
  };
  rows = 0;

  add(j: JobGraph, status: string, error: string | null): void {
    const c = this.col;
    c.graph.push(j.graphId);
    c.job.push(j.jobId);
    c.sid.push(j.scenario.scenarioId);
    c.time.push(j.time);
    c.split.push(j.split);
    c.status.push(status);
    c.error.push(error);
    this.rows++;
  }

  write(path: string): void {
    writeParquetAtomic(path, this.c.list());
  }
}

/** Thread / CLI entry: the export as a featurize summary (progress = scenarios read). */
export async function exportDatasetLayout(
  outDir: string,
  opts: Omit<DatasetExportOptions, 'onProgress'> & {
    layout: DatasetLayout;
    onProgress?: (p: { next: number; total: number }) => void;
  },
): Promise<FeaturizeSummary & { dataset: DatasetExportSummary }> {
  const d = await exportDataset(outDir, opts.layout, {
    split: opts.split,
    keepFailed: opts.keepFailed,
    signal: opts.signal,
    onProgress: (next, total) => opts.onProgress?.({ next, total }),
  });
  const graphs = d.samples.train + d.samples.validation + d.samples.test;
  const study = openStudy(outDir);
  const meta = {
    format: 'gridbatch.features/1',
    layout: opts.layout,
    batch_id: study.manifest.batch_id,
    task: d.task,
    case: d.caseName,
    split: d.split,
    samples: d.samples,
    incomplete: d.incomplete,
    unsolved: d.unsolved,
    graphs,
    ...(d.failedFile ? { failed: d.failed, failed_file: 'failed.parquet' } : {}),
    ...(d.groups ? { groups: d.groups } : {}),
    ...(opts.layout === 'gridfm' ? { tables: gridfmColumns() } : {}),
  };
  writeJsonAtomic(
    opts.layout === 'gridfm'
      ? join(outDir, 'features', 'gridfm', 'features.json')
      : join(featureLayout.opfdataJsonRoot(outDir), 'features.json'),
    meta,
  );
  writeDatasetCard(outDir);
  return {
    next: study.count,
    graphs,
    nodes: d.nodes,
    edges: d.edges,
    layout: opts.layout,
    task: d.task,
    scenarios: study.count,
    jobs: study.numJobs,
    jobsWithoutGraph: study.numJobs - graphs,
    dirs: [d.dir],
    dataset: d,
  };
}
