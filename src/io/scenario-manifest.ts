/**
 * scenario_manifest.json: the resolved study as materialize wrote it. Workers read scenarios
 * from here by index, so workflow payloads carry only the output folder, ids and indices.
 */
import { readFileSync } from 'node:fs';
import { ResolvedScenario } from '../scenarios/types';
import { Task } from '../solvers/solution';
import { layout } from './layout';

export interface StudyManifest {
  format: 'gridbatch.scenario_manifest/1';
  batch_id: string;
  task: Task;
  /** the spec and grid as the user gave them (absolute paths) */
  spec_file: string;
  grid_file: string;
  /** the copies under <out>/inputs that the run reads */
  gridCopy: string;
  profilesCopy?: string;
  num_scenarios: number;
  num_jobs: number;
  warnings: string[];
  scenarios: ResolvedScenario[];
}

export function readScenarioManifest(outDir: string): StudyManifest {
  return JSON.parse(readFileSync(layout.scenarioManifest(outDir), 'utf8')) as StudyManifest;
}

/** Jobs of one scenario: one per time slice, or one with time null when it has none. */
export function jobsOf(s: ResolvedScenario): number {
  return Math.max(1, s.timeSlices.length);
}
