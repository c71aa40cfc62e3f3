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
import { jobsOf, rebaseManifestPaths, StudyManifest } from './scenario-manifest';
import { openScenarioSource, scenariosOf } from './scenario-source';
import { applyScenario } from '../scenarios/apply';
import { LoadedProfiles, ResolvedScenario } from '../scenarios/types';
import { DEFAULT_ISLAND_MODE, planIslands } from '../solvers/islands';
import { readCaseFile } from '../grid/matpower-case';
import { Network } from '../grid/network';
import { Task } from '../solvers/solution';
import { jobTimes as timesOfJobs } from '../contracts/chunk-plan';

export interface Study {
  outDir: string;
  /** the scenario manifest without its scenarios (`scenarios: []`): they are read a page at a time */
  manifest: StudyManifest;
  /** scenarios of the study */
  count: number;
  /** scenario ids in manifest order */
  scenarioIds: string[];
  /** scenario k of the manifest (its page of SCENARIO_PAGE scenarios is read once) */
  scenario(k: number): ResolvedScenario;
  /** every scenario in manifest order, a page at a time */
  scenarios(): Generator<ResolvedScenario>;
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

/** Scenarios read at once from scenario_manifest.json (featurize and report go in manifest order). */
const SCENARIO_PAGE = 500;

export function openStudy(outDir: string): Study {
  if (!existsSync(layout.scenarioManifest(outDir))) {
    throw new InputError('no scenario_manifest.json: not the output folder of a batch (run start-batch first)', {
      file: outDir,
    });
  }
  // never the whole manifest (~200 MB of JSON at a million jobs): its head, then pages of scenarios
  const source = openScenarioSource(outDir);
  const manifest = rebaseManifestPaths(source.head, outDir);
  const base = readCaseFile(inputCopy(outDir, manifest.gridCopy));
  const profiles = manifest.profilesCopy
    ? (JSON.parse(readFileSync(inputCopy(outDir, manifest.profilesCopy), 'utf8')) as LoadedProfiles)
    : undefined;
  const jobOffset: number[] = [];
  const scenarioIds: string[] = [];
  let n = 0;
  for (const s of scenariosOf(source, SCENARIO_PAGE)) {
    jobOffset.push(n);
    scenarioIds.push(s.scenarioId);
    n += jobsOf(s);
  }
  let page: { from: number; list: ResolvedScenario[] } = { from: 0, list: [] };
  const scenario = (k: number): ResolvedScenario => {
    if (k < page.from || k >= page.from + page.list.length) {
      const from = k - (k % SCENARIO_PAGE);
      page = { from, list: source.page(from, SCENARIO_PAGE) };
    }
    const s = page.list[k - page.from];
    if (!s) throw new Error(`${outDir}: no scenario ${k} in scenario_manifest.json (${source.count} scenarios)`);
    return s;
  };
  return {
    outDir,
    manifest,
    count: source.count,
    scenarioIds,
    scenario,
    scenarios: () => scenariosOf(source, SCENARIO_PAGE),
    task: manifest.task,
    base,
    profiles,
    jobOffset,
    numJobs: n,
  };
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
