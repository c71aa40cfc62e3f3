/**
 * Severity of each contingency (scenario) over all its time slices, and their ranking:
 * - worst loading: the highest branch loading (% of rateA) in any slice, with its branch and time;
 * - overloaded branches: distinct branches above 100 % in any slice;
 * - voltage violations: the most buses outside [Vmin, Vmax] in one slice (AC tasks);
 * - load lost: the most load de-energized by the island rule in one slice (MW);
 * - failed jobs: slices without a solution.
 * The composite severity index is
 *   w.loading * max(0, worst loading - 100) + w.overloads * overloaded branches
 *   + w.voltage * voltage violations + w.load_lost * load lost + w.failed * failed jobs,
 * with the weights of the spec's `severity.weights` (defaults below). Rank 1 = most severe; ties
 * go to the higher worst loading, then to the lower minimum voltage (what still tells scenarios
 * apart on a case without branch ratings), then to the spec order. This ranking is the one
 * severity rank of the report: its comparison table's rank_severity is taken from it.
 */
import { ResolvedScenario } from '../scenarios/types';
import { JobKpis, ScenarioKpis } from './types';

export interface SeverityWeights {
  /** per percentage point of the worst loading above 100 % */
  loading: number;
  /** per overloaded branch */
  overloads: number;
  /** per bus outside its voltage limits (worst slice) */
  voltage: number;
  /** per MW of load lost (worst slice) */
  load_lost: number;
  /** per failed job */
  failed: number;
}

export const DEFAULT_SEVERITY_WEIGHTS: SeverityWeights = Object.freeze({
  loading: 1,
  overloads: 10,
  voltage: 5,
  load_lost: 1,
  failed: 1000,
});

export interface ContingencySeverity {
  rank: number;
  scenario_id: string;
  outages: string;
  description: string;
  jobs: number;
  failed: number;
  worst_loading_pct: number | null;
  worst_loading_branch: number | null;
  worst_loading_time: string | null;
  overloaded_branches: number;
  voltage_violations: number;
  load_lost_mw: number;
  severity_index: number;
  /** ties with rank 1 on every severity key (ordered by the spec only) */
  tied_first: boolean;
}

export function severityIndex(
  s: Omit<ContingencySeverity, 'rank' | 'severity_index' | 'tied_first'>,
  w: SeverityWeights,
): number {
  return (
    w.loading * Math.max(0, (s.worst_loading_pct ?? 0) - 100) +
    w.overloads * s.overloaded_branches +
    w.voltage * s.voltage_violations +
    w.load_lost * s.load_lost_mw +
    w.failed * s.failed
  );
}

export function rankContingencies(
  scenarios: ScenarioKpis[],
  jobs: JobKpis[],
  /** the study's scenarios (any iterable: featurize and report pass a page-at-a-time generator) */
  resolved: Iterable<ResolvedScenario>,
  weights: SeverityWeights = DEFAULT_SEVERITY_WEIGHTS,
): ContingencySeverity[] {
  const vvMax = new Map<string, number>();
  for (const j of jobs)
    if (j.status === 'ok')
      vvMax.set(j.scenario_id, Math.max(vvMax.get(j.scenario_id) ?? 0, j.n_voltage_violations ?? 0));
  const outages = new Map<string, string>();
  for (const s of resolved) outages.set(s.scenarioId, s.outages.map((o) => `${o.type}:${o.id}`).join(','));
  const rows = scenarios.map((s, order) => {
    const r = {
      scenario_id: s.scenario_id,
      outages: outages.get(s.scenario_id) ?? '',
      description: s.description,
      jobs: s.jobs,
      failed: s.failed,
      worst_loading_pct: s.max_loading_pct,
      worst_loading_branch: s.max_loading_branch,
      worst_loading_time: s.max_loading_time,
      overloaded_branches: s.overloaded_branches,
      voltage_violations: vvMax.get(s.scenario_id) ?? 0,
      load_lost_mw: s.load_lost_mw_max ?? 0,
    };
    return { ...r, severity_index: severityIndex(r, weights), rank: 0, order };
  });
  const bySeverity = (a: SeverityKey, b: SeverityKey) =>
    severityOrder(a, b, scenarios[a.order].vm_min_pu, scenarios[b.order].vm_min_pu);
  rows.sort((a, b) => bySeverity(a, b) || a.order - b.order);
  const tied = rows.length > 1 && bySeverity(rows[0], rows[1]) === 0;
  return rows.map(({ order: _o, ...r }, k) => ({
    ...r,
    rank: k + 1,
    tied_first: tied && bySeverity(rows[0], rows[k]) === 0,
  }));
}

type SeverityKey = Pick<ContingencySeverity, 'severity_index' | 'worst_loading_pct'> & { order: number };

/** Negative when a is more severe than b: index, then worst loading, then the lower minimum voltage. */
function severityOrder(a: SeverityKey, b: SeverityKey, vmA: number | null, vmB: number | null): number {
  return (
    b.severity_index - a.severity_index ||
    (b.worst_loading_pct ?? -Infinity) - (a.worst_loading_pct ?? -Infinity) ||
    (vmA ?? Infinity) - (vmB ?? Infinity)
  );
}

/** What the report says instead of a worst scenario when the first ones tie on every key. */
export const NO_WORST =
  'none: the first scenarios tie (no branch ratings, violations, lost load or failures tell them apart)';

/**
 * The most severe scenario, or null when nothing tells the first ones apart (every key equal:
 * a case without branch ratings, no violations, no failures), so that no scenario is called
 * the worst because it comes first in the spec.
 */
export function mostSevere(ranking: ContingencySeverity[]): string | null {
  const first = ranking[0];
  return first && !first.tied_first ? first.scenario_id : null;
}
