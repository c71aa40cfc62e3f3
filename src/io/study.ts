/**
 * A finished batch as featurize and report see it: the scenario manifest, the base grid and
 * profiles copied under inputs/, and the position of every job in batch-manifest order
 * (scenario-manifest order, then time-slice order: the order collectJobs writes).
 * Each job's network is rebuilt exactly as the solver saw it: applyScenario(base, scenario, time,
 * profiles), then the study's island rule (de-energized buses type NONE, their generators and
 * branches out of service; slack_per_island's added references type REF).
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { InputError } from '../errors';
import { layout } from './layout';
import { jobsOf, readScenarioManifest, StudyManifest } from './scenario-manifest';
import { applyScenario } from '../scenarios/apply';
import { LoadedProfiles, ResolvedScenario } from '../scenarios/types';
import { DEFAULT_ISLAND_MODE, planIslands } from '../solvers/islands';
import { readCaseFile } from '../grid/matpower-case';
import { Network } from '../grid/network';
import { Task } from '../solvers/solution';
import { jobTimes as timesOfJobs } from '../contracts/chunk-plan';

export interface Study {
  outDir: string;
  manifest: StudyManifest;
  task: Task;
  base: Network;
  profiles?: LoadedProfiles;
  /** index of the first job of scenario k in batch-manifest order */
  jobOffset: number[];
  numJobs: number;
}

/** A copy under <out>/inputs (also found when the output folder was moved after the run). */
function inputCopy(outDir: string, recorded: string): string {
  if (existsSync(recorded)) return recorded;
  const moved = join(layout.inputs(outDir), basename(recorded));
  if (existsSync(moved)) return moved;
  throw new InputError('input copy not found (was the batch output folder changed?)', { file: recorded });
}

export function openStudy(outDir: string): Study {
  if (!existsSync(layout.scenarioManifest(outDir))) {
    throw new InputError('no scenario_manifest.json: not the output folder of a batch (run start-batch first)', {
      file: outDir,
    });
  }
  const manifest = readScenarioManifest(outDir);
  const base = readCaseFile(inputCopy(outDir, manifest.gridCopy));
  const profiles = manifest.profilesCopy
    ? (JSON.parse(readFileSync(inputCopy(outDir, manifest.profilesCopy), 'utf8')) as LoadedProfiles)
    : undefined;
  const jobOffset: number[] = [];
  let n = 0;
  for (const s of manifest.scenarios) {
    jobOffset.push(n);
    n += jobsOf(s);
  }
  return { outDir, manifest, task: manifest.task, base, profiles, jobOffset, numJobs: n };
}

/** The time slices of a scenario as its jobs see them ([null] when it has none). */
export function jobTimes(s: ResolvedScenario): (string | null)[] {
  return timesOfJobs(s.timeSlices);
}

/**
 * The network of each job of a scenario as the solver ran on it, built lazily. Without profiles
 * every slice has the same network, so it is built once per scenario. A job the island rule
 * failed (`islands: fail`) keeps its unsplit network: it has no solution to describe.
 */
export class ScenarioNetworks {
  private same?: Network;
  constructor(
    private readonly study: Study,
    private readonly scenario: ResolvedScenario,
  ) {}

  at(time: string | null): Network {
    if (this.study.profiles)
      return this.solved(applyScenario(this.study.base, this.scenario, time, this.study.profiles));
    return (this.same ??= this.solved(applyScenario(this.study.base, this.scenario, time)));
  }

  private solved(net: Network): Network {
    const plan = planIslands(net, this.study.manifest.islands ?? DEFAULT_ISLAND_MODE);
    return plan.ok ? plan.net : net;
  }
}

/** graph_id of a job: its position in batch-manifest order (stable across re-runs). */
export function graphIdOf(study: Study, scenarioIndex: number, sliceIndex: number): number {
  return study.jobOffset[scenarioIndex] + sliceIndex;
}
