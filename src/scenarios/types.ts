import type { IslandMode } from '../solvers/islands';

/**
 * Public types of the scenario module: what a resolved study looks like to the rest of gridbatch
 * (materialize, the job layer, activities). Everything here is plain JSON data (no Maps, no class
 * instances), so a ResolvedStudy can be written to scenario_manifest.json as is.
 */

/**
 * One element taken out of service.
 * - `branch`: 1-based row of mpc.branch, as a decimal string ("14").
 * - `gen`: 1-based row of mpc.gen, as a decimal string ("3").
 * - `bus`: the bus number (mpc.bus column BUS_I), as a decimal string ("8").
 *
 * The spec may spell ids more loosely (numbers, "branch:14", "gen:3", GAT-style branch names
 * "Branch 7-8" / "branch_7_8"); loadSpec resolves them against the grid and always stores the
 * canonical decimal form above.
 *
 * Note: GAT numbers branches and generators from 0 (and skips out-of-service rows); gridbatch
 * uses MATPOWER's 1-based file rows, which do not shift when a status changes.
 */
export interface Outage {
  type: 'branch' | 'gen' | 'bus';
  id: string;
}

/**
 * A change to one generator. `resource_id` is stored as the canonical 1-based gen row ("3");
 * the spec may say `3` or `"gen:3"`.
 * - `p_max_mw` / `p_min_mw`: replace Pmax / Pmin (MW) of that row.
 * - `must_run: true`: the generator's status is set to 1 (committed), even when the base case has
 *   it off; Pmin is left as it is (use p_min_mw to raise it). `must_run: false` changes nothing.
 *   A generator that is both outaged and must_run in the same scenario is rejected by loadSpec.
 * - `cost_multiplier`: multiplies the active-power gencost row of that generator: every
 *   polynomial coefficient (model 2), or every y value (cost) of a piecewise-linear row (model 1).
 *   Startup/shutdown costs and reactive-power cost rows are not changed.
 */
export interface DispatchOverride {
  resource_id: string;
  p_max_mw?: number;
  p_min_mw?: number;
  must_run?: boolean;
  cost_multiplier?: number;
}

/**
 * One scenario after defaults, extends and generators are resolved.
 *
 * Time: `timeSlices` holds normalised RFC 3339 UTC strings ("2025-01-01T12:00:00Z", with
 * milliseconds only when non-zero), in the order the spec gives them. When neither the scenario
 * nor `defaults` gives any time slice, `timeSlices` is `[]` and the job layer runs the scenario
 * as ONE job with `time = null` (no profile is applied then). So the job count of a scenario is
 * `max(1, timeSlices.length)`. (GAT rejects a scenario without a time slice; gridbatch accepts it.)
 *
 * Scenarios made by a generator carry `metadata.generator` ({type, index, ...: the N-1 element and
 * row, the perturbation seed}) unless the spec's own metadata has a `generator` key.
 * Treat a ResolvedScenario as read-only: scenarios of one generator share their `tags`,
 * `timeSlices`, `outages` (apart from the generated one) and `dispatchOverrides` arrays.
 */
export interface ResolvedScenario {
  scenarioId: string;
  description: string;
  tags: string[];
  outages: Outage[];
  loadScale: number;
  renewableScale: number;
  dispatchOverrides: DispatchOverride[];
  /** per-load (by bus number) multipliers from random perturbation generators; absent = 1 */
  loadFactors?: Record<string, number>;
  /** load_perturbation's cost_perturbation: the cost row (0-based gen row) each generator takes */
  genCostSource?: number[];
  /** load_perturbation's cost_perturbation (scale): per generator, a factor per cost coefficient */
  genCostFactors?: number[][];
  /** load_perturbation's admittance_perturbation: per branch, the factor on r and x */
  branchImpedanceFactors?: number[];
  /** RFC 3339 UTC strings; [] = one job with time null (see above). */
  timeSlices: string[];
  weight: number;
  metadata: Record<string, unknown>;
  /**
   * sha256 (hex) of the canonical JSON of this scenario: keys sorted by code unit at every level,
   * no whitespace, and without the fields `hash` and `islanding` (islanding is derived from the
   * grid, not part of the scenario's content).
   */
  hash: string;
  /** set at materialize time if the outages split the network: message naming the cut-off buses */
  islanding?: string;
}

/** What a profile value changes. Loads are keyed by bus number, generators by 1-based gen row. */
export type ProfileElement = 'load' | 'gen';
/** `p`: Pd (load) or Pg (gen); `q`: Qd (load) or Qg (gen); `pmax`: Pmax (gen only). */
export type ProfileField = 'p' | 'q' | 'pmax';

export interface ProfileSeries {
  element: ProfileElement;
  /** bus number for loads, 1-based gen row for generators */
  id: number;
  field: ProfileField;
}

/**
 * A time-series profile, read from CSV (long `time,element,field,value` or wide
 * `time,load:5:p,gen:3:pmax,...`). `kind: multiplier` multiplies the base-case value,
 * `kind: value` replaces it (MW / MVAr).
 * `values[t][s]` is the value of `series[s]` at `times[t]`; null = not given at that time
 * (the element keeps its base value).
 */
export interface LoadedProfiles {
  file: string;
  kind: 'multiplier' | 'value';
  series: ProfileSeries[];
  /** normalised RFC 3339 UTC strings, sorted ascending, unique */
  times: string[];
  values: (number | null)[][];
}

export interface ResolvedStudy {
  /** absolute path of the spec file that was loaded (a spec folder: the folder) */
  specFile: string;
  /** a spec folder (`--spec dir/`): the spec files it was joined from, in order */
  specFiles?: string[];
  /** absolute path of the grid (MATPOWER .m) */
  gridFile: string;
  profiles?: LoadedProfiles;
  /** what a job does when its outages split the network (spec key `islands`, default deenergize) */
  islands: IslandMode;
  /** weights of the contingency severity index the spec sets (spec key `severity.weights`); absent = defaults */
  severityWeights?: Partial<Record<'loading' | 'overloads' | 'voltage' | 'load_lost' | 'failed', number>>;
  scenarios: ResolvedScenario[];
  warnings: string[];
  /** counts per generator (outage sets drawn, kept, dropped), shown by `validate` */
  notes?: string[];
}

export interface StudyPreview {
  scenarios: number;
  jobs: number;
  sampleIds: string[];
  warnings: string[];
}

export interface LoadSpecOptions {
  /** keep only these scenario ids (in spec order); an id that the spec does not produce is an error */
  scenarios?: string[];
  /** grid to use instead of the spec's grid_file (GAT's `--grid-file`); required when the spec has none */
  gridFile?: string;
}
