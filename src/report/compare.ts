/**
 * Comparison of every scenario against a baseline scenario (default `base`): deltas of the
 * KPIs, cost and losses compared slice by slice over the time slices both solved, and two
 * rankings (1 = worst): severity, as the contingency ranking orders them (severity.ts), and cost
 * increase.
 */
import { InputError } from '../errors';
import { timeKey } from '../io/read-results';
import { JobKpis, ScenarioKpis } from './types';

export interface ComparisonRow {
  scenario_id: string;
  is_baseline: boolean;
  rank_severity: number;
  rank_cost: number;
  matched_slices: number;
  delta_cost_mean: number | null;
  delta_cost_pct: number | null;
  delta_losses_mw_mean: number | null;
  delta_max_loading_pct: number | null;
  delta_overloaded_branches: number | null;
  delta_voltage_violations: number | null;
  delta_vm_min_pu: number | null;
  delta_failed: number;
}

export interface JobDelta {
  baseline_cost: number | null;
  delta_cost: number | null;
  delta_max_loading_pct: number | null;
}

export interface Comparison {
  baseline: string;
  /** why the baseline is not the one asked for (default `base` missing), else null */
  note: string | null;
  rows: ComparisonRow[];
  jobDeltas: Map<string, JobDelta>;
}

export function resolveBaseline(ids: string[], requested: string | undefined): { id: string; note: string | null } {
  if (ids.length === 0) throw new InputError('the batch has no scenarios to compare');
  if (requested !== undefined) {
    if (ids.includes(requested)) return { id: requested, note: null };
    const some = ids.slice(0, 5).join(', ');
    throw new InputError(
      `baseline scenario '${requested}' is not in the batch (scenarios: ${some}${ids.length > 5 ? ', ...' : ''})`,
      { key: '--baseline' },
    );
  }
  if (ids.includes('base')) return { id: 'base', note: null };
  return { id: ids[0], note: `the batch has no scenario 'base'; the first scenario, '${ids[0]}', is the baseline` };
}

const d = (a: number | null, b: number | null) => (a === null || b === null ? null : a - b);

function rankBy<T>(items: T[], cmp: (a: T, b: T) => number): Map<T, number> {
  const sorted = items.slice().sort(cmp);
  return new Map(sorted.map((x, i) => [x, i + 1]));
}

/** Descending with nulls last. */
const desc = (a: number | null, b: number | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : b - a);

/** `severityRank`: the rank of each scenario in the contingency ranking (rankContingencies). */
export function compareScenarios(
  scenarios: ScenarioKpis[],
  jobs: JobKpis[],
  severityRank: ReadonlyMap<string, number>,
  requested?: string,
): Comparison {
  const { id: baseline, note } = resolveBaseline(
    scenarios.map((s) => s.scenario_id),
    requested,
  );
  const base = scenarios.find((s) => s.scenario_id === baseline)!;
  const baseJobs = new Map(
    jobs.filter((j) => j.scenario_id === baseline && j.status === 'ok').map((j) => [timeKey(j.time), j]),
  );
  const jobDeltas = new Map<string, JobDelta>();
  const perScenario = new Map<string, { n: number; cost: number; costBase: number; losses: number; nLoss: number }>();
  for (const j of jobs) {
    const b = baseJobs.get(timeKey(j.time));
    const ok = j.status === 'ok' && b !== undefined;
    jobDeltas.set(j.job_id, {
      baseline_cost: b?.cost ?? null,
      delta_cost: ok ? d(j.cost, b.cost) : null,
      delta_max_loading_pct: ok ? d(j.max_loading_pct, b.max_loading_pct) : null,
    });
    if (!ok) continue;
    let a = perScenario.get(j.scenario_id);
    if (!a) perScenario.set(j.scenario_id, (a = { n: 0, cost: 0, costBase: 0, losses: 0, nLoss: 0 }));
    if (j.cost !== null && b.cost !== null) {
      a.n++;
      a.cost += j.cost - b.cost;
      a.costBase += b.cost;
    }
    if (j.losses_mw !== null && b.losses_mw !== null) {
      a.nLoss++;
      a.losses += j.losses_mw - b.losses_mw;
    }
  }
  const rows: ComparisonRow[] = scenarios.map((s) => {
    const a = perScenario.get(s.scenario_id);
    return {
      scenario_id: s.scenario_id,
      is_baseline: s.scenario_id === baseline,
      rank_severity: 0,
      rank_cost: 0,
      matched_slices: a?.n ?? 0,
      delta_cost_mean: a && a.n ? a.cost / a.n : null,
      delta_cost_pct: a && a.n && a.costBase !== 0 ? (100 * a.cost) / Math.abs(a.costBase) : null,
      delta_losses_mw_mean: a && a.nLoss ? a.losses / a.nLoss : null,
      delta_max_loading_pct: d(s.max_loading_pct, base.max_loading_pct),
      delta_overloaded_branches: s.overloaded_branches - base.overloaded_branches,
      delta_voltage_violations: s.voltage_violations - base.voltage_violations,
      delta_vm_min_pu: d(s.vm_min_pu, base.vm_min_pu),
      delta_failed: s.failed - base.failed,
    };
  });
  const cost = rankBy(rows, (x, y) => desc(x.delta_cost_mean, y.delta_cost_mean));
  for (const r of rows) {
    const rank = severityRank.get(r.scenario_id);
    if (rank === undefined) throw new Error(`scenario '${r.scenario_id}' is not in the contingency ranking`);
    r.rank_severity = rank;
    r.rank_cost = cost.get(r)!;
  }
  return { baseline, note, rows, jobDeltas };
}
