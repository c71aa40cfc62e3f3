/**
 * Featurize a finished batch: for each scenario (in manifest order) rebuild its network as the
 * chunk runner did, read its result partition, and write one part file per feature table.
 * Streams scenario by scenario, so memory is one scenario's results whatever the batch size.
 * Resumable: `from` carries the next scenario index and the counts so far (an activity keeps it
 * in its heartbeat details); the part of a scenario is rewritten whole, under the same name.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { sweepTempFiles, writeJsonAtomic } from '../io/atomic';
import { Column, writeParquetAtomic } from '../io/parquet';
import { ColumnSet } from '../io/columns';
import { GNN_TABLES, GnnTables } from './gnn-tables';
import { inServiceBranches } from './network-features';
import {
  clearLayoutFolders,
  FeatureLayout,
  featureLayout,
  isDatasetLayout,
  writesGnn,
  writesOpfTables,
} from './layout';
import { exportDatasetLayout } from './export';
import { writeDatasetCard } from './dataset-card';
import { OPFDATA_TABLES, OpfDataTables } from './opfdata-tables';
import { openStudy } from '../io/study';
import { isBucketed } from '../io/study-partition';
import { featurePartScenarios } from '../contracts/partition';
import { scenarioGraphs } from './scenario-graphs';
export { scenarioGraphs } from './scenario-graphs';
import { assignSplits, DEFAULT_SPLIT, SplitOptions } from './splits';
import type { FeaturizeProgress, FeaturizeSummary } from './summary';

export type { FeaturizeProgress, FeaturizeSummary };

export interface FeaturizeOptions {
  layout?: FeatureLayout;
  /** train / validation / test assignment (default: seed 0, 0.8 / 0.1 / 0.1 of the scenarios) */
  split?: SplitOptions;
  /** keep failed jobs as labelled rows (status failed) */
  keepFailed?: boolean;
  from?: FeaturizeProgress;
  /** called after every scenario (an activity heartbeats from here) */
  onProgress?: (p: FeaturizeProgress, total: number) => void;
  signal?: AbortSignal;
}

function writeOrRemove(path: string, cols: ColumnSet): void {
  if (cols.rows > 0) writeParquetAtomic(path, cols.list());
  else rmSync(path, { force: true });
}

function columnsOf(cols: Column[]): { name: string; type: string }[] {
  return cols.map((c) => ({ name: c.name, type: c.type }));
}

export interface FeaturizeRangeOptions {
  layout?: FeatureLayout;
  /** where to start (resume) within the range, with the counts of the range so far */
  from?: FeaturizeProgress;
  /** end of the range (exclusive scenario index); default: every scenario */
  to?: number;
  /** train / validation / test assignment (default: seed 0, 0.8 / 0.1 / 0.1 of the scenarios) */
  split?: SplitOptions;
  /** also a graph for every failed job (status failed, solved columns null) */
  keepFailed?: boolean;
  onProgress?: (p: FeaturizeProgress, total: number) => void;
  signal?: AbortSignal;
}

/**
 * Writes the feature parts of scenarios [from.next, to) and returns the counts of that range.
 * Ranges are independent (a part file per scenario and table, graph ids from the manifest
 * position), so several threads can featurize disjoint ranges of one batch at once. The
 * caller sweeps temporary files first, once, and writes the metadata after the last range.
 */
export async function featurizeRange(outDir: string, opts: FeaturizeRangeOptions = {}): Promise<FeaturizeProgress> {
  const layout = opts.layout ?? 'gnn';
  const gnn = writesGnn(layout),
    opf = writesOpfTables(layout);
  const study = openStudy(outDir);
  const to = Math.min(opts.to ?? study.count, study.count);
  const p: FeaturizeProgress = { ...(opts.from ?? { next: 0, graphs: 0, nodes: 0, edges: 0 }) };
  const splits = assignSplits(study.scenarioIds, opts.split ?? DEFAULT_SPLIT);
  // a bucketed study: one part per `group` consecutive scenarios (named after the first), else one per scenario
  const group = isBucketed(outDir) ? featurePartScenarios(study.count, study.numJobs) : 1;
  let g = gnn ? new GnnTables(study.task) : undefined;
  let o = opf ? new OpfDataTables(study.task) : undefined;
  const counted = { graphs: 0, nodes: 0, edges: 0 };
  let first = p.next;
  for (let k = p.next; k < to; k++) {
    if (opts.signal?.aborted)
      throw opts.signal.reason instanceof Error ? opts.signal.reason : new Error('featurize cancelled');
    const graphs = await scenarioGraphs(study, k, splits, opts.keepFailed);
    for (const j of graphs) {
      g?.add(j);
      o?.add(j);
      counted.nodes += j.net.bus.n; // buses and in-service branches, whatever the layout
      counted.edges += inServiceBranches(j.net).length;
    }
    counted.graphs += graphs.length;
    if ((k + 1) % group !== 0 && k + 1 !== to) continue;
    if (g) for (const t of GNN_TABLES) writeOrRemove(featureLayout.part(outDir, 'gnn', t, first), g[t]);
    if (o) for (const t of OPFDATA_TABLES) writeOrRemove(featureLayout.part(outDir, 'opfdata', t, first), o.tables[t]);
    // progress moves only when a part is written: a resumed range rewrites the part it was in, whole
    p.graphs += counted.graphs;
    p.nodes += counted.nodes;
    p.edges += counted.edges;
    Object.assign(counted, { graphs: 0, nodes: 0, edges: 0 });
    p.next = first = k + 1;
    g = gnn ? new GnnTables(study.task) : undefined;
    o = opf ? new OpfDataTables(study.task) : undefined;
    opts.onProgress?.({ ...p }, to);
    await new Promise((r) => setImmediate(r)); // let heartbeats and cancellation through
  }
  return p;
}

/** Removes temporary files of an attempt killed mid-write (once, before any range runs). */
export function sweepFeatureTemps(outDir: string): void {
  sweepTempFiles(join(outDir, 'features'));
}

/** Writes features/<layout>/_meta.json from the counts of every range; returns the summary. */
export function writeFeatureMeta(
  outDir: string,
  opts: { layout?: FeatureLayout; split?: SplitOptions; counts: Omit<FeaturizeProgress, 'next'> },
): FeaturizeSummary {
  const layout = opts.layout ?? 'gnn';
  const gnn = writesGnn(layout),
    opf = writesOpfTables(layout);
  const study = openStudy(outDir);
  const total = study.count;
  const p: FeaturizeProgress = { next: total, ...opts.counts };
  // columns depend on the task only
  const gs = new GnnTables(study.task),
    os = new OpfDataTables(study.task);
  const common = {
    format: 'gridbatch.features/1',
    batch_id: study.manifest.batch_id,
    task: study.task,
    scenarios: total,
    jobs: study.numJobs,
    graphs: p.graphs,
    split: opts.split ?? DEFAULT_SPLIT,
    graph_id:
      'position of the job in batch_manifest.parquet (scenario-manifest order, then time order); jobs that did not solve have no graph',
  };
  if (gnn) {
    writeJsonAtomic(featureLayout.meta(outDir, 'gnn'), {
      ...common,
      layout: 'gnn',
      nodes: p.nodes,
      edges: p.edges,
      tables: Object.fromEntries(GNN_TABLES.map((t) => [t, columnsOf(gs[t].list())])),
    });
  }
  if (opf) {
    writeJsonAtomic(featureLayout.meta(outDir, 'opfdata'), {
      ...common,
      layout: 'opfdata',
      units: 'per unit on base_mva, angles in radians',
      tables: Object.fromEntries(OPFDATA_TABLES.map((t) => [t, columnsOf(os.tables[t].list())])),
    });
  }
  const dirs = [
    ...(gnn ? [featureLayout.root(outDir, 'gnn')] : []),
    ...(opf ? [featureLayout.root(outDir, 'opfdata')] : []),
  ];
  writeDatasetCard(outDir);
  return {
    ...p,
    layout,
    task: study.task,
    scenarios: total,
    jobs: study.numJobs,
    jobsWithoutGraph: study.numJobs - p.graphs,
    dirs,
  };
}

/** Featurizes the whole batch in this thread (the CLI; the activity splits it across threads). */
export async function featurizeBatch(outDir: string, opts: FeaturizeOptions = {}): Promise<FeaturizeSummary> {
  sweepFeatureTemps(outDir);
  if (!opts.from) clearLayoutFolders(outDir, opts.layout);
  if (opts.layout && isDatasetLayout(opts.layout)) {
    const layout = opts.layout;
    return exportDatasetLayout(outDir, {
      layout,
      split: opts.split,
      keepFailed: opts.keepFailed,
      signal: opts.signal,
      onProgress: (p) => opts.onProgress?.({ next: p.next, graphs: 0, nodes: 0, edges: 0 }, p.total),
    });
  }
  const p = await featurizeRange(outDir, {
    layout: opts.layout,
    split: opts.split,
    keepFailed: opts.keepFailed,
    from: opts.from,
    onProgress: opts.onProgress,
    signal: opts.signal,
  });
  return writeFeatureMeta(outDir, {
    layout: opts.layout,
    split: opts.split,
    counts: { graphs: p.graphs, nodes: p.nodes, edges: p.edges },
  });
}
