/**
 * scenario_manifest.json: the resolved study as materialize wrote it. Workers read scenarios
 * from here by index, so workflow payloads carry only the output folder, ids and indices.
 */
import type { PartitionBy } from '../contracts/partition';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { readCaseFile } from '../grid/matpower-case';
import { Network } from '../grid/network';
import { ResolvedScenario } from '../scenarios/types';
import { Task } from '../solvers/solution';
import type { IslandMode } from '../solvers/islands';
import { layout } from './layout';
import { jobCount } from '../contracts/chunk-plan';

export interface StudyManifest {
  format: 'gridbatch.scenario_manifest/1';
  batch_id: string;
  task: Task;
  /** the spec and grid as the user gave them (absolute paths) */
  spec_file: string;
  grid_file: string;
  /** the copies under <out>/inputs that the run reads */
  gridCopy: string;
  /** folder of the base grid as Arrow IPC (bus, gen, branch, gencost) */
  grid_arrow?: string;
  profilesCopy?: string;
  num_scenarios: number;
  num_jobs: number;
  /** buses of the base grid */
  num_buses?: number;
  warnings: string[];
  /** the island rule of the study (spec key `islands`); absent in older manifests = deenergize */
  islands?: IslandMode;
  /** severity weights the spec set (the rest take the defaults of src/report/severity.ts) */
  severity_weights?: Partial<Record<'loading' | 'overloads' | 'voltage' | 'load_lost' | 'failed', number>>;
  /** how result files are grouped (src/contracts/partition.ts); absent in older manifests = scenario_id */
  partition_by?: PartitionBy;
  /** time slices per solve chunk (src/io/study-chunk-size.ts); absent in older manifests = the option, else 24 */
  chunk_size?: number;
  scenarios: ResolvedScenario[];
}

export function readScenarioManifest(outDir: string): StudyManifest {
  return rebaseManifestPaths(
    JSON.parse(readFileSync(layout.scenarioManifest(outDir), 'utf8')) as StudyManifest,
    outDir,
  );
}

/**
 * The manifest records its copies' paths where materialize wrote them: another machine's folder,
 * or the s3:// URL of a study in object storage. Read from `outDir`, paths that do not exist
 * here are taken relative to the folder they were recorded under (the grid's parent).
 */
export function rebaseManifestPaths(m: StudyManifest, outDir: string): StudyManifest {
  const recordedOut = m.grid_arrow ? dirname(m.grid_arrow) : dirname(dirname(m.gridCopy));
  const rebase = (p: string | undefined): string | undefined => {
    if (!p || existsSync(p) || !p.startsWith(`${recordedOut}/`)) return p;
    return join(outDir, relative(recordedOut, p));
  };
  if (m.grid_arrow && existsSync(m.grid_arrow)) return m;
  return {
    ...m,
    gridCopy: rebase(m.gridCopy) as string,
    grid_arrow: rebase(m.grid_arrow),
    profilesCopy: rebase(m.profilesCopy),
  };
}

/**
 * The base grid of a study: its Arrow IPC copy, or the .m copy for manifests that predate it.
 * Arrow is loaded when first needed (the solve threads): the CLI's and worker's main thread never
 * reads a grid, and apache-arrow's 146 modules cost ~0.15 s CPU of every start.
 */
export function loadBaseGrid(m: StudyManifest): Network {
  if (!(m.grid_arrow && existsSync(join(m.grid_arrow, 'bus.arrow')))) return readCaseFile(m.gridCopy);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { readGridArrow } = require('./grid-arrow') as typeof import('./grid-arrow');
  return readGridArrow(m.grid_arrow);
}

/** Jobs of one scenario: one per time slice, or one with time null when it has none. */
export function jobsOf(s: ResolvedScenario): number {
  return jobCount(s.timeSlices.length);
}
