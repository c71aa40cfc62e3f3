/**
 * Where the feature tables live under a batch's output folder:
 *
 *   <out>/features/gnn/{nodes,edges,graphs}/part-<scenario index>.parquet         homogeneous layout
 *   <out>/features/opfdata/{graphs,bus,generator,load,shunt,ac_line,transformer}/part-<scenario index>.parquet
 *   <out>/features/<layout>/features.json                                         tables, columns, counts
 *
 * One part per scenario (its row in scenario_manifest.json), so a retry rewrites the same names
 * and a reader opens a folder as one table (no partition directories to declare).
 */
import { join } from 'node:path';

export type FeatureLayout = 'gnn' | 'opfdata' | 'both';
export const FEATURE_LAYOUTS: readonly FeatureLayout[] = ['gnn', 'opfdata', 'both'];

export function isFeatureLayout(s: string): s is FeatureLayout {
  return (FEATURE_LAYOUTS as readonly string[]).includes(s);
}

export const featureLayout = {
  root: (out: string, kind: 'gnn' | 'opfdata') => join(out, 'features', kind),
  tableDir: (out: string, kind: 'gnn' | 'opfdata', table: string) => join(out, 'features', kind, table),
  part: (out: string, kind: 'gnn' | 'opfdata', table: string, scenarioIndex: number) =>
    join(out, 'features', kind, table, `part-${String(scenarioIndex).padStart(6, '0')}.parquet`),
  meta: (out: string, kind: 'gnn' | 'opfdata') => join(out, 'features', kind, 'features.json'),
};
