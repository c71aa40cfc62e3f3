/**
 * The report's tables with their column labels and number formats: one definition used by the
 * Parquet, CSV and Excel writers and by the HTML page.
 */
import { Cell } from '../io/columns';
import { Comparison } from './compare';
import { ReportData } from './collect';
import { ContingencySeverity, SeverityWeights } from './severity';
import { ColumnSpec, ReportTable } from './types';

const MONEY = '#,##0.00',
  MW = '#,##0.00',
  PCT = '0.0',
  PU = '0.0000',
  INT = '0',
  DEG = '0.00';

const S = (key: string, label: string, width = 14): ColumnSpec => ({ key, label, type: 'STRING', width });
const N = (key: string, label: string, numFmt: string, width = 14): ColumnSpec => ({
  key,
  label,
  type: 'DOUBLE',
  numFmt,
  width,
});
const I = (key: string, label: string, width = 10): ColumnSpec => ({ key, label, type: 'INT32', numFmt: INT, width });
const B = (key: string, label: string): ColumnSpec => ({ key, label, type: 'BOOLEAN', width: 10 });

function finite(v: number): number | null {
  return Number.isFinite(v) ? v : null;
}

export function jobsTable(data: ReportData, cmp: Comparison): ReportTable {
  return {
    name: 'jobs',
    title: 'Jobs',
    description:
      'One row per job (scenario x time slice): KPIs of its solution and deltas against the baseline at the same time.',
    columns: [
      S('job_id', 'job', 36),
      S('scenario_id', 'scenario', 18),
      S('time', 'time', 22),
      S('status', 'status', 9),
      N('cost', 'cost ($/h)', MONEY),
      N('baseline_cost', 'baseline cost ($/h)', MONEY),
      N('delta_cost', 'Δ cost ($/h)', MONEY),
      N('losses_mw', 'losses (MW)', MW),
      N('max_loading_pct', 'max loading (%)', PCT),
      N('delta_max_loading_pct', 'Δ max loading (pp)', PCT),
      I('n_overloaded', 'overloaded branches'),
      I('n_voltage_violations', 'voltage violations'),
      N('vm_min_pu', 'min Vm (p.u.)', PU),
      N('vm_max_pu', 'max Vm (p.u.)', PU),
      N('load_mw', 'load (MW)', MW),
      N('gen_mw', 'generation (MW)', MW),
      I('islanded_buses', 'de-energized buses'),
      N('load_lost_mw', 'load lost (MW)', MW),
      N('gen_lost_mw', 'generation lost (MW)', MW),
      S('error', 'error', 40),
    ],
    rows: data.jobs.map((j) => ({ ...j, ...cmp.jobDeltas.get(j.job_id) }) as unknown as Record<string, Cell>),
  };
}

export function scenariosTable(data: ReportData): ReportTable {
  return {
    name: 'scenarios',
    title: 'Scenarios',
    description: 'KPIs per scenario over its time slices (min / mean / max over time; counts summed over time).',
    columns: [
      S('scenario_id', 'scenario', 18),
      S('description', 'description', 28),
      N('weight', 'weight', '0.###', 8),
      I('jobs', 'jobs', 7),
      I('ok', 'ok', 7),
      I('failed', 'failed', 7),
      I('skipped', 'skipped', 8),
      N('cost_sum', 'cost, sum over slices ($/h)', MONEY, 16),
      N('cost_mean', 'cost mean ($/h)', MONEY),
      N('cost_min', 'cost min ($/h)', MONEY),
      N('cost_max', 'cost max ($/h)', MONEY),
      N('losses_mw_mean', 'losses mean (MW)', MW),
      N('losses_mw_max', 'losses max (MW)', MW),
      N('max_loading_pct', 'max loading (%)', PCT),
      I('max_loading_branch', 'at branch'),
      S('max_loading_time', 'at time', 22),
      I('overloaded_branches', 'overloaded branches'),
      I('overload_hours', 'overloaded branch-slices'),
      I('voltage_violations', 'voltage violations (bus-slices)'),
      N('vm_min_pu', 'min Vm (p.u.)', PU),
      N('vm_max_pu', 'max Vm (p.u.)', PU),
      I('islanded_buses_max', 'de-energized buses (max)'),
      N('load_lost_mw_max', 'load lost, max (MW)', MW),
      S('first_error', 'first error', 40),
    ],
    rows: data.scenarios as unknown as Record<string, Cell>[],
  };
}

export function comparisonTable(cmp: Comparison): ReportTable {
  return {
    name: 'comparison',
    title: `Comparison vs ${cmp.baseline}`,
    description: `Each scenario against the baseline '${cmp.baseline}'. Cost and losses: mean of the slice-by-slice differences over the time slices both solved. Ranks: 1 = worst.`,
    columns: [
      S('scenario_id', 'scenario', 18),
      B('is_baseline', 'baseline'),
      I('rank_severity', 'severity rank'),
      I('rank_cost', 'cost rank'),
      I('matched_slices', 'slices compared'),
      N('delta_cost_mean', 'Δ cost ($/h)', MONEY),
      N('delta_cost_pct', 'Δ cost (%)', '0.000'),
      N('delta_losses_mw_mean', 'Δ losses (MW)', MW),
      N('delta_max_loading_pct', 'Δ max loading (pp)', PCT),
      I('delta_overloaded_branches', 'Δ overloaded branches'),
      I('delta_voltage_violations', 'Δ voltage violations'),
      N('delta_vm_min_pu', 'Δ min Vm (p.u.)', PU),
      I('delta_failed', 'Δ failed jobs'),
    ],
    rows: cmp.rows.slice().sort((a, b) => a.rank_severity - b.rank_severity) as unknown as Record<string, Cell>[],
  };
}

export function branchLoadingTable(data: ReportData): ReportTable {
  const L = data.loading,
    rows: Record<string, Cell>[] = [];
  data.scenarios.forEach((s, k) => {
    L.branches.forEach((b, i) => {
      const v = finite(L.max[k][i]);
      if (v !== null)
        rows.push({
          scenario_id: s.scenario_id,
          branch_index: b,
          from_bus: L.fromBus[i],
          to_bus: L.toBus[i],
          max_loading_pct: v,
          slices_over_100: L.hoursOver[k][i],
        });
    });
  });
  return {
    name: 'branch_loading',
    title: 'Branch loading',
    description:
      'Max loading of every rated, in-service branch per scenario over its time slices, and how many slices it was above 100 %.',
    columns: [
      S('scenario_id', 'scenario', 18),
      I('branch_index', 'branch'),
      I('from_bus', 'from bus'),
      I('to_bus', 'to bus'),
      N('max_loading_pct', 'max loading (%)', PCT),
      I('slices_over_100', 'slices > 100 %'),
    ],
    rows,
  };
}

export function busVoltageTable(data: ReportData): ReportTable {
  const P = data.buses,
    rows: Record<string, Cell>[] = [];
  data.scenarios.forEach((s, k) => {
    P.busIds.forEach((b, i) => {
      if (!Number.isFinite(P.vmMin[k][i])) return;
      rows.push({
        scenario_id: s.scenario_id,
        bus_id: b,
        vm_min_pu: finite(P.vmMin[k][i]),
        vm_max_pu: finite(P.vmMax[k][i]),
        va_min_deg: finite(P.vaMin[k][i]),
        va_max_deg: finite(P.vaMax[k][i]),
      });
    });
  });
  return {
    name: 'bus_voltage',
    title: 'Bus voltages',
    description:
      'Range of the voltage magnitude and angle of every bus per scenario over its time slices (DC tasks: Vm is 1 p.u. by definition).',
    columns: [
      S('scenario_id', 'scenario', 18),
      I('bus_id', 'bus'),
      N('vm_min_pu', 'min Vm (p.u.)', PU),
      N('vm_max_pu', 'max Vm (p.u.)', PU),
      N('va_min_deg', 'min Va (°)', DEG),
      N('va_max_deg', 'max Va (°)', DEG),
    ],
    rows,
  };
}

export function contingencyRankingTable(ranking: ContingencySeverity[], w: SeverityWeights): ReportTable {
  return {
    name: 'contingency_ranking',
    title: 'Contingency ranking',
    description: `Every scenario ranked by its severity index over all its time slices (1 = most severe): ${w.loading} x (worst loading - 100 %, if above) + ${w.overloads} x overloaded branches + ${w.voltage} x buses outside their voltage limits (worst slice) + ${w.load_lost} x load lost (MW, worst slice) + ${w.failed} x failed jobs (weights: the spec's severity.weights).`,
    columns: [
      I('rank', 'rank', 7),
      S('scenario_id', 'scenario', 22),
      S('outages', 'outages', 22),
      N('severity_index', 'severity index', '#,##0.00'),
      N('worst_loading_pct', 'worst loading (%)', PCT),
      I('worst_loading_branch', 'at branch'),
      S('worst_loading_time', 'at time', 22),
      I('overloaded_branches', 'overloaded branches'),
      I('voltage_violations', 'voltage violations (worst slice)'),
      N('load_lost_mw', 'load lost (MW)', MW),
      I('failed', 'failed jobs'),
      I('jobs', 'jobs', 7),
      S('description', 'description', 30),
    ],
    rows: ranking as unknown as Record<string, Cell>[],
  };
}
