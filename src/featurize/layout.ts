/**
 * Where the feature tables live under a batch's output folder:
 *
 *   <out>/features/gnn/{nodes,edges,graphs}/part-<scenario index>.parquet         homogeneous layout
 *   <out>/features/opfdata/{graphs,bus,generator,load,shunt,ac_line,transformer}/part-<scenario index>.parquet
 *   <out>/features/<layout>/features.json                                         tables, columns, counts
 *   <out>/features/opfdata-json/dataset_release_1/<case>/raw/...                    OPFData's own JSON release (PyG OPFDataset root)
 *   <out>/features/gridfm/<case>/raw/{bus,gen,branch,y_bus,runtime}_data.parquet/  gridfm-datakit's layout
 *   <out>/features/croissant.json, README.md                                      the dataset card
 *
 * One part per scenario (its row in scenario_manifest.json), so a retry rewrites the same names
 * and a reader opens a folder as one table (no partition directories to declare).
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';

export type FeatureLayout = 'gnn' | 'opfdata' | 'both' | 'opfdata-json' | 'gridfm';
export const FEATURE_LAYOUTS: readonly FeatureLayout[] = ['gnn', 'opfdata', 'both', 'opfdata-json', 'gridfm'];

/** Layouts that are datasets of another tool, written in one ordered pass (export.ts). */
export type DatasetLayout = 'opfdata-json' | 'gridfm';
export const isDatasetLayout = (l: FeatureLayout): l is DatasetLayout => l === 'opfdata-json' || l === 'gridfm';
/** Which of the per-scenario table layouts a layout option writes. */
export const writesGnn = (l: FeatureLayout): boolean => l === 'gnn' || l === 'both';
export const writesOpfTables = (l: FeatureLayout): boolean => l === 'opfdata' || l === 'both';

export function isFeatureLayout(s: string): s is FeatureLayout {
  return (FEATURE_LAYOUTS as readonly string[]).includes(s);
}

/**
 * The folders under <out>/features that a layout writes. A fresh featurize run removes them
 * first: parts of an earlier run (other scenario ranges, bucket sizes, a case or sample count
 * that changed) must not stay beside the new ones, where a reader would count them twice.
 * Other layouts' folders stay (the dataset card describes every layout present).
 */
export function layoutFolders(out: string, layout: FeatureLayout): string[] {
  return layoutPrefixes(layout).map((p) => join(out, p));
}

/** layoutFolders as keys relative to the study ('features/gnn/'), for a study in object storage. */
export function layoutPrefixes(layout: FeatureLayout): string[] {
  return (layout === 'both' ? ['gnn', 'opfdata'] : [layout]).map((k) => `features/${k}/`);
}

/** Removes the folders a layout writes, before a fresh (not resumed) run of it. */
export function clearLayoutFolders(out: string, layout: FeatureLayout = 'gnn'): void {
  for (const dir of layoutFolders(out, layout)) rmSync(dir, { recursive: true, force: true });
}

export const featureLayout = {
  root: (out: string, kind: 'gnn' | 'opfdata') => join(out, 'features', kind),
  tableDir: (out: string, kind: 'gnn' | 'opfdata', table: string) => join(out, 'features', kind, table),
  part: (out: string, kind: 'gnn' | 'opfdata', table: string, scenarioIndex: number) =>
    join(out, 'features', kind, table, `part-${String(scenarioIndex).padStart(6, '0')}.parquet`),
  meta: (out: string, kind: 'gnn' | 'opfdata') => join(out, 'features', kind, 'features.json'),
  /** PyG OPFDataset(root=...) */
  opfdataJsonRoot: (out: string) => join(out, 'features', 'opfdata-json'),
  /** gridfm-datakit's <data_dir>/<network>/raw */
  gridfmRaw: (out: string, caseName: string) => join(out, 'features', 'gridfm', caseName, 'raw'),
  card: (out: string) => join(out, 'features', 'croissant.json'),
  readme: (out: string) => join(out, 'features', 'README.md'),
};
