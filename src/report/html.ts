/**
 * The self-contained HTML report: inline CSS and SVG, no script, no external resource. It says
 * what the batch was, how to read each chart, and where the full tables are.
 */
import { Cell } from '../io/columns';
import { ReportData } from './collect';
import { Comparison } from './compare';
import { barChart, esc, fmt, heatmap, lineChart, Series } from './svg';
import { ReportTable } from './types';

export const MAX_BARS = 40;
export const MAX_HEAT_ROWS = 30;
export const MAX_HEAT_COLS = 50;

export interface HtmlInput {
  data: ReportData;
  cmp: Comparison;
  /** tables shown in full in collapsible sections */
  tables: ReportTable[];
  generatedAt: string;
  files: string[];
}

const CSS = `body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:24px auto;max-width:1180px;color:#1d2733;padding:0 16px}
h1{font-size:24px;margin-bottom:4px}h2{font-size:19px;margin-top:36px;border-bottom:2px solid #1f3a5f;padding-bottom:4px}
.sub{color:#555;margin-top:0}.cards{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.card{border:1px solid #d5dbe3;border-radius:8px;padding:10px 14px;min-width:150px;background:#f7f9fb}
.card .v{font-size:22px;font-weight:600}.card .l{font-size:12px;color:#555}.bad{color:#b71c1c}.good{color:#1b5e20}
p.how{background:#eef4fb;border-left:4px solid #1f3a5f;padding:8px 12px}
table{border-collapse:collapse;font-size:12px;margin:8px 0}th,td{border:1px solid #d5dbe3;padding:3px 7px}
th{background:#1f3a5f;color:#fff;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
tr:nth-child(even) td{background:#f7f9fb}details{margin:8px 0}summary{cursor:pointer;font-weight:600}
.chart{overflow-x:auto}.note{color:#666;font-size:12px}`;

function cellHtml(v: Cell | undefined, numFmt?: string): string {
  if (v === null || v === undefined) return '<td></td>';
  if (typeof v === 'number') {
    const digits =
      numFmt === '0' ? 0 : numFmt?.includes('0000') ? 4 : numFmt === '0.0' ? 1 : numFmt === '0.000' ? 3 : 2;
    return `<td class="n">${fmt(v, digits)}</td>`;
  }
  return `<td>${esc(String(v))}</td>`;
}

export function tableHtml(t: ReportTable, maxRows = 2000): string {
  const head = `<tr>${t.columns.map((c) => `<th>${esc(c.label)}</th>`).join('')}</tr>`;
  const body = t.rows
    .slice(0, maxRows)
    .map((r) => `<tr>${t.columns.map((c) => cellHtml(r[c.key], c.numFmt)).join('')}</tr>`)
    .join('');
  const more =
    t.rows.length > maxRows
      ? `<p class="note">${t.rows.length - maxRows} more rows in ${esc(t.name)}.csv / .parquet / the workbook.</p>`
      : '';
  return `<table>${head}${body}</table>${more}`;
}

function costChart(data: ReportData, cmp: Comparison): string {
  const rows = cmp.rows.map((r) => ({ r, s: data.scenarios.find((s) => s.scenario_id === r.scenario_id)! }));
  const others = rows
    .filter((x) => !x.r.is_baseline)
    .sort((a, b) => Math.abs(b.r.delta_cost_mean ?? 0) - Math.abs(a.r.delta_cost_mean ?? 0));
  const shown = [...rows.filter((x) => x.r.is_baseline), ...others.slice(0, MAX_BARS - 1)];
  shown.sort((a, b) => (b.r.delta_cost_mean ?? -Infinity) - (a.r.delta_cost_mean ?? -Infinity));
  const base = rows.find((x) => x.r.is_baseline)!.s;
  const svg = barChart(
    shown.map(({ r, s }) => ({
      label: r.scenario_id,
      value: r.delta_cost_mean,
      highlight: r.is_baseline,
      note: s.cost_mean === null ? 'no solved slice' : `${fmt(s.cost_mean)} $/h`,
    })),
    {
      xLabel: `difference in mean generation cost to the baseline '${cmp.baseline}' ($/h; red = costlier, blue = cheaper)`,
    },
  );
  const cut =
    rows.length > shown.length
      ? ` Showing the ${shown.length} scenarios with the largest differences of ${rows.length}.`
      : '';
  return `<p class="how">Each bar is one scenario: how much more (red) or less (blue) its generation costs per hour than the baseline
'${esc(cmp.baseline)}' (${fmt(base.cost_mean)} $/h on average), averaged over the time slices both solved. The number at the right is the
scenario's own mean cost. ${cmp.note ? esc(cmp.note) + '.' : ''}${cut}</p><div class="chart">${svg}</div>`;
}

function loadingHeatmap(data: ReportData, cmp: Comparison): string {
  const L = data.loading;
  if (L.branches.length === 0)
    return '<p class="note">No branch of this case has a rating (rateA), so loadings are not defined.</p>';
  const idx = new Map(data.scenarios.map((s, k) => [s.scenario_id, k]));
  const bySev = cmp.rows
    .slice()
    .sort((a, b) => (b.is_baseline ? 1 : 0) - (a.is_baseline ? 1 : 0) || a.rank_severity - b.rank_severity);
  const rows = bySev.slice(0, MAX_HEAT_ROWS).map((r) => idx.get(r.scenario_id)!);
  const peak = L.branches.map((_, j) =>
    Math.max(...rows.map((k) => (Number.isFinite(L.max[k][j]) ? L.max[k][j] : -1))),
  );
  const cols = L.branches
    .map((_, j) => j)
    .sort((a, b) => peak[b] - peak[a])
    .slice(0, MAX_HEAT_COLS)
    .sort((a, b) => a - b);
  const svg = heatmap({
    rows: rows.map((k) => data.scenarios[k].scenario_id),
    cols: cols.map((j) => String(L.branches[j])),
    values: rows.map((k) => cols.map((j) => (Number.isFinite(L.max[k][j]) ? L.max[k][j] : null))),
    xLabel: 'branch (row of the case file)',
    yLabel: 'scenario',
    cellTitle: (i, j) => {
      const k = rows[i],
        c = cols[j],
        v = L.max[k][c];
      return `${data.scenarios[k].scenario_id}, branch ${L.branches[c]} (bus ${L.fromBus[c]} → ${L.toBus[c]}): ${Number.isFinite(v) ? `${fmt(v, 1)} % max, ${L.hoursOver[k][c]} slice(s) above 100 %` : 'out of service or not solved'}`;
    },
  });
  const cut = `Rows: the baseline, then the scenarios by severity rank (${rows.length} of ${data.scenarios.length}). Columns: the ${cols.length} most loaded of ${L.branches.length} rated branches, in case order.`;
  return `<p class="how">Each cell is the highest loading of one branch (column) in one scenario (row) over all its time slices, in percent
of the branch rating (rateA). Red cells are at or above 100 %: overloaded. Hatched grey cells are branches out of service in that
scenario (e.g. the N-1 outage itself) or scenarios that did not solve. ${cut} Hover a cell for its value.</p><div class="chart">${svg}</div>`;
}

function voltageProfile(data: ReportData, cmp: Comparison): string {
  const P = data.buses,
    net = data.study.base;
  const ac = data.study.task === 'pf_ac' || data.study.task === 'opf_ac';
  const k0 = data.scenarios.findIndex((s) => s.scenario_id === cmp.baseline);
  const arr = (a: Float64Array) => Array.from(a, (v) => (Number.isFinite(v) ? v : null));
  const labels = P.busIds.map(String);
  if (!ac) {
    const series: Series[] = [
      {
        name: `baseline '${cmp.baseline}' (range over time)`,
        color: '#1f77b4',
        lo: arr(P.vaMin[k0]),
        hi: arr(P.vaMax[k0]),
      },
    ];
    return `<p class="how">This is a ${esc(data.study.task)} (DC) study: voltage magnitudes are 1 p.u. by definition, so the profile shows the voltage
<b>angles</b> of the baseline by bus (the band spans the time slices). Run the study with pf_ac or opf_ac for magnitudes.</p>
<div class="chart">${lineChart(labels, series, { xLabel: 'bus (case order)', yLabel: 'voltage angle (degrees)' })}</div>`;
  }
  let worst = -1;
  data.scenarios.forEach((s, k) => {
    if (s.vm_min_pu !== null && (worst < 0 || s.vm_min_pu < (data.scenarios[worst].vm_min_pu ?? Infinity))) worst = k;
  });
  const series: Series[] = [
    { name: 'Vmin / Vmax limits', color: '#888', line: Array.from(net.bus.Vmin), dashed: true },
    { name: '', color: '#888', line: Array.from(net.bus.Vmax), dashed: true },
    {
      name: `baseline '${cmp.baseline}' (min–max over time)`,
      color: '#1f77b4',
      lo: arr(P.vmMin[k0]),
      hi: arr(P.vmMax[k0]),
      line: arr(P.vmMin[k0]),
    },
  ];
  if (worst >= 0 && worst !== k0) {
    series.push({
      name: `lowest voltage: '${data.scenarios[worst].scenario_id}' (min over time)`,
      color: '#d62728',
      lo: arr(P.vmMin[worst]),
      hi: arr(P.vmMax[worst]),
      line: arr(P.vmMin[worst]),
    });
  }
  const visible = series.filter((s) => s.name !== '');
  const svg = lineChart(labels, series, { xLabel: 'bus (case order)', yLabel: 'voltage magnitude (p.u.)' });
  return `<p class="how">Voltage magnitude of every bus (x axis, in case order). The blue band spans the baseline's lowest to highest
value over the time slices; the red band is the scenario with the lowest voltage anywhere${worst >= 0 && worst !== k0 ? ` ('${esc(data.scenarios[worst].scenario_id)}')` : ''}.
Dashed grey lines are the buses' limits: a band crossing them is a voltage violation. Series: ${visible.map((s) => esc(s.name)).join('; ')}.</p><div class="chart">${svg}</div>`;
}

function cards(data: ReportData, cmp: Comparison): string {
  const s = data.scenarios,
    ok = data.jobs.filter((j) => j.status === 'ok').length;
  const failed = data.jobs.filter((j) => j.status === 'failed').length,
    skipped = data.jobs.length - ok - failed;
  const base = s.find((x) => x.scenario_id === cmp.baseline)!;
  const worstLoad = s.reduce<(typeof s)[number] | undefined>(
    (a, x) => (x.max_loading_pct !== null && (!a || x.max_loading_pct > (a.max_loading_pct ?? -1)) ? x : a),
    undefined,
  );
  const withOver = s.filter((x) => x.overloaded_branches > 0).length,
    withVv = s.filter((x) => x.voltage_violations > 0).length;
  const c = (v: string, l: string, cls = '') =>
    `<div class="card"><div class="v ${cls}">${v}</div><div class="l">${l}</div></div>`;
  return `<div class="cards">${[
    c(
      `${ok} / ${data.jobs.length}`,
      `jobs solved (${failed} failed${skipped ? `, ${skipped} not run` : ''})`,
      failed ? 'bad' : 'good',
    ),
    c(String(s.length), 'scenarios'),
    c(`${fmt(base.cost_mean)} $/h`, `baseline '${esc(cmp.baseline)}' mean cost`),
    c(
      worstLoad ? `${fmt(worstLoad.max_loading_pct, 1)} %` : '–',
      worstLoad
        ? `highest loading (${esc(worstLoad.scenario_id)}, branch ${worstLoad.max_loading_branch})`
        : 'highest loading',
      worstLoad && (worstLoad.max_loading_pct ?? 0) > 100 ? 'bad' : '',
    ),
    c(String(withOver), 'scenarios with an overloaded branch', withOver ? 'bad' : 'good'),
    c(String(withVv), 'scenarios with a voltage violation', withVv ? 'bad' : 'good'),
  ].join('')}</div>`;
}

/** Bar chart of the severity index of the most severe contingencies and their table. */
function contingencyRanking(t: ReportTable | undefined): string {
  if (!t) return '';
  const shown = t.rows.slice(0, MAX_BARS);
  const svg = barChart(
    shown.map((r) => ({
      label: String(r.scenario_id),
      value: r.severity_index as number,
      highlight: false,
      note: r.load_lost_mw
        ? `${fmt(r.load_lost_mw as number)} MW lost`
        : r.worst_loading_pct !== null && r.worst_loading_pct !== undefined
          ? `${fmt(r.worst_loading_pct as number, 1)} % max`
          : '',
    })),
    { xLabel: 'severity index (higher = more severe)' },
  );
  const top: ReportTable = { ...t, rows: t.rows.slice(0, 20) };
  const cut =
    t.rows.length > shown.length
      ? ` The chart shows the ${shown.length} most severe of ${t.rows.length}; contingency_ranking.parquet / .csv and the workbook have all.`
      : '';
  return `<p class="how">Every scenario (contingency) ranked by a severity index over all its time slices: ${esc(t.description.replace(/^[^:]*: /, ''))}
The number at the right of a bar is the load lost, or else the worst loading.${cut}</p><div class="chart">${svg}</div>${tableHtml(top)}`;
}

export function reportHtml(h: HtmlInput): string {
  const { data, cmp } = h,
    m = data.study.manifest;
  const [scen, comp] = [h.tables.find((t) => t.name === 'scenarios')!, h.tables.find((t) => t.name === 'comparison')!];
  const top: ReportTable = { ...comp, rows: comp.rows.slice(0, 15) };
  const failures = data.jobs.filter((j) => j.status !== 'ok');
  const failTable: ReportTable = {
    name: 'failures',
    title: 'Failures',
    description: '',
    rows: failures.slice(0, 200) as unknown as Record<string, Cell>[],
    columns: [
      { key: 'scenario_id', label: 'scenario', type: 'STRING' },
      { key: 'time', label: 'time', type: 'STRING' },
      { key: 'status', label: 'status', type: 'STRING' },
      { key: 'error', label: 'reason', type: 'STRING' },
    ],
  };
  return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>gridbatch report: ${esc(m.batch_id)}</title><style>${CSS}</style></head><body>
<h1>Scenario study report</h1>
<p class="sub">Batch <b>${esc(m.batch_id)}</b>: ${esc(data.study.task)} on <b>${esc(data.study.base.name || m.grid_file)}</b> (${data.study.base.bus.n} buses, ${data.study.base.branch.n} branches),
${m.num_scenarios} scenarios, ${m.num_jobs} jobs. Baseline: <b>${esc(cmp.baseline)}</b>. Generated ${esc(h.generatedAt)}.</p>
${cards(data, cmp)}
<h2>1. Cost by scenario</h2>${costChart(data, cmp)}
<h2>2. Branch loading: scenario × branch</h2>${loadingHeatmap(data, cmp)}
<h2>3. Voltage profile</h2>${voltageProfile(data, cmp)}
<h2>4. Worst scenarios</h2><p class="how">Ranked by the severity index of the contingency ranking (1 = worst; section 5 gives its
weights), ties to the highest loading, then the lowest voltage. Δ columns are differences to the baseline.</p>${tableHtml(top)}
<h2>5. Contingency ranking</h2>${contingencyRanking(h.tables.find((t) => t.name === 'contingency_ranking'))}
<h2>6. Failures</h2>${failures.length ? `<p class="how">${failures.length} job(s) did not produce a solution; the reason is the solver's.</p>${tableHtml(failTable)}` : '<p>Every job solved.</p>'}
<h2>7. All tables</h2>
<details><summary>${esc(scen.title)}: ${scen.rows.length} rows</summary><p class="note">${esc(scen.description)}</p>${tableHtml(scen)}</details>
<details><summary>${esc(comp.title)}: ${comp.rows.length} rows</summary><p class="note">${esc(comp.description)}</p>${tableHtml(comp)}</details>
<p class="note">Files next to this page: ${h.files.map(esc).join(', ')}.</p>
</body></html>
`;
}
