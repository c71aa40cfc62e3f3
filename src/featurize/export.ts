/**
 * The dataset layouts (OPFData JSON, gridfm-datakit Parquet): the solved AC samples of a batch
 * in batch-manifest order, numbered contiguously, in one pass. A rerun or a retried activity
 * rewrites the layout whole (every file atomically; the layout folder is cleared first).
 * Samples a format cannot hold (de-energized buses) are counted, not written.
 */
import { jobsOf } from '../io/scenario-manifest';
import type { FeaturizeSummary } from './featurize-batch';
import { JobGraph } from './job-graph';
import { inServiceBranches } from './network-features';
import { DatasetLayout, featureLayout } from './layout';
import { GridfmWriter, gridfmColumns } from './gridfm-tables';
import { writeDatasetCard } from './dataset-card';
import { writeJsonAtomic } from '../io/atomic';
import { join } from 'node:path';
import { OpfDataJsonWriter } from './opfdata-json';
import { caseNameOf, isCompleteAcSample, requireAcTask, SampleStreamOptions, solvedSamples, studySplits } from './samples';
import { DEFAULT_SPLIT, Split, SplitOptions } from './splits';
import { openStudy } from './study';

export interface DatasetExportOptions {
  split?: SplitOptions;
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
}

export async function exportDataset(outDir: string, layout: DatasetLayout, opts: DatasetExportOptions = {}): Promise<DatasetExportSummary> {
  const study = openStudy(outDir);
  requireAcTask(study, layout);
  const split = opts.split ?? DEFAULT_SPLIT;
  const caseName = caseNameOf(study);
  const stream: SampleStreamOptions = { split, signal: opts.signal, onScenario: (d, t) => opts.onProgress?.(d, t) };
  const samples: Record<Split, number> = { train: 0, validation: 0, test: 0 };
  let incomplete = 0, solved = 0, nodes = 0, edges = 0;
  const count = (j: JobGraph) => { samples[j.split]++; nodes += j.net.bus.n; edges += inServiceBranches(j.net).length; };
  if (layout === 'opfdata-json') {
    const splits = studySplits(study, split);
    const capacity: Record<Split, number> = { train: 0, validation: 0, test: 0 };
    for (const s of study.manifest.scenarios) capacity[splits.get(s.scenarioId)!] += jobsOf(s);
    const w = new OpfDataJsonWriter(featureLayout.opfdataJsonRoot(outDir), caseName, capacity);
    for await (const j of solvedSamples(study, stream)) {
      solved++;
      if (!isCompleteAcSample(j)) { incomplete++; continue; }
      w.add(j, { graph_id: j.graphId, job_id: j.jobId, scenario_id: j.scenario.scenarioId, time: j.time, split: j.split });
      count(j);
    }
    w.close();
    return { layout, task: study.task, caseName, samples, incomplete, unsolved: study.numJobs - solved, split, dir: w.root, groups: w.groups, nodes, edges };
  }
  const w = new GridfmWriter(featureLayout.gridfmRaw(outDir, caseName));
  for await (const j of solvedSamples(study, stream)) {
    solved++;
    if (!isCompleteAcSample(j)) { incomplete++; continue; }
    w.add(j, (j.solveMs ?? 0) / 1000);
    count(j);
  }
  w.close();
  return { layout, task: study.task, caseName, samples, incomplete, unsolved: study.numJobs - solved, split, dir: w.rawDir, nodes, edges };
}

/** Thread / CLI entry: the export as a featurize summary (progress = scenarios read). */
export async function exportDatasetLayout(
  outDir: string,
  opts: Omit<DatasetExportOptions, 'onProgress'> & { layout: DatasetLayout; onProgress?: (p: { next: number; total: number }) => void },
): Promise<FeaturizeSummary & { dataset: DatasetExportSummary }> {
  const d = await exportDataset(outDir, opts.layout, { split: opts.split, signal: opts.signal, onProgress: (next, total) => opts.onProgress?.({ next, total }) });
  const graphs = d.samples.train + d.samples.validation + d.samples.test;
  const study = openStudy(outDir);
  const meta = { format: 'gridbatch.features/1', layout: opts.layout, batch_id: study.manifest.batch_id, task: d.task, case: d.caseName, split: d.split,
    samples: d.samples, incomplete: d.incomplete, unsolved: d.unsolved, graphs, ...(d.groups ? { groups: d.groups } : {}),
    ...(opts.layout === 'gridfm' ? { tables: gridfmColumns() } : {}) };
  writeJsonAtomic(opts.layout === 'gridfm' ? join(outDir, 'features', 'gridfm', 'features.json') : join(featureLayout.opfdataJsonRoot(outDir), 'features.json'), meta);
  writeDatasetCard(outDir);
  return { next: study.manifest.scenarios.length, graphs, nodes: d.nodes, edges: d.edges, layout: opts.layout, task: d.task,
    scenarios: study.manifest.scenarios.length, jobs: study.numJobs, jobsWithoutGraph: study.numJobs - graphs, dirs: [d.dir], dataset: d };
}
