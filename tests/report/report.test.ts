/**
 * The report of a finished batch: KPIs per job and per scenario against the result tables,
 * the comparison with a baseline, the Parquet / CSV / Excel / HTML files.
 */
import ExcelJS from 'exceljs';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { readParquetRows, readPartition, Row } from '../../src/io/read-results';
import { generationCost } from '../../src/solvers/gencost';
import { openStudy } from '../../src/io/study';
import { applyScenario } from '../../src/scenarios/apply';
import { buildReport, ReportSummary } from '../../src/report';
import { runLocalBatch } from '../featurize/local-batch';

const FIXED = '2026-01-01T00:00:00.000Z';

async function table(dir: string, name: string): Promise<Row[]> {
  return readParquetRows(join(dir, `${name}.parquet`));
}

describe('report of a pf_ac batch (case14, 7 scenarios x 3 hours)', () => {
  let out: string;
  let r: ReportSummary;
  let jobs: Row[];
  let scenarios: Row[];
  let comparison: Row[];

  beforeAll(async () => {
    out = runLocalBatch('pf_ac', 'report');
    r = await buildReport(out, { generatedAt: FIXED });
    [jobs, scenarios, comparison] = await Promise.all(['jobs', 'scenarios', 'comparison'].map((t) => table(r.dir, t)));
  });

  test('summary, files and the worst scenario', () => {
    expect(r).toMatchObject({
      baseline: 'base',
      note: null,
      scenarios: 7,
      jobs: 21,
      ok: 18,
      failed: 3,
      worst: 'island_bus8',
    });
    for (const f of r.files) expect(existsSync(join(r.dir, f))).toBe(true);
    expect(r.files).toEqual(
      expect.arrayContaining([
        'jobs.parquet',
        'jobs.csv',
        'scenarios.csv',
        'comparison.parquet',
        'branch_loading.csv',
        'bus_voltage.parquet',
        'report.xlsx',
        'report.html',
      ]),
    );
  });

  test("job KPIs equal the summary table; cost = gencost of the solved dispatch under the scenario's costs", async () => {
    const study = openStudy(out);
    expect(jobs).toHaveLength(21);
    for (const sc of [...study.scenarios()]) {
      const summary = await readPartition(out, 'pf_ac', 'summary', sc.scenarioId);
      const gen = await readPartition(out, 'pf_ac', 'gen', sc.scenarioId);
      for (const s of summary) {
        const j = jobs.find((x) => x.job_id === s.job_id)!;
        expect(j.status).toBe(s.status);
        if (s.status !== 'ok') {
          expect(j.error).toBe(s.error);
          expect(j.cost).toBeNull();
          continue;
        }
        expect(j.max_loading_pct).toBe(s.max_loading_pct);
        expect(j.losses_mw).toBe(s.losses_mw);
        expect(j.n_voltage_violations).toBe(s.n_voltage_violations);
        const net = applyScenario(study.base, sc, s.time as string, study.profiles);
        const pg = gen
          .filter((g) => g.time === s.time)
          .sort((a, b) => Number(a.gen_index) - Number(b.gen_index))
          .map((g) => Number(g.pg_mw));
        expect(j.cost).toBeCloseTo(generationCost(net, pg), 9);
      }
    }
  });

  test('scenario KPIs aggregate their jobs over time', () => {
    for (const s of scenarios) {
      const mine = jobs.filter((j) => j.scenario_id === s.scenario_id && j.status === 'ok');
      expect(s.ok).toBe(mine.length);
      if (!mine.length) {
        expect(s).toMatchObject({ failed: 3, cost_mean: null, first_error: expect.stringMatching(/bus 8/) });
        continue;
      }
      expect(s.max_loading_pct).toBe(Math.max(...mine.map((j) => Number(j.max_loading_pct))));
      expect(s.cost_sum).toBeCloseTo(
        mine.reduce((a, j) => a + Number(j.cost), 0),
        6,
      );
      expect(s.vm_min_pu).toBe(Math.min(...mine.map((j) => Number(j.vm_min_pu))));
      expect(s.overload_hours).toBe(mine.reduce((a, j) => a + Number(j.n_overloaded), 0));
    }
  });

  test('comparison: zero deltas for the baseline, permutation ranks, cost delta of a cost multiplier', async () => {
    const base = comparison.find((c) => c.is_baseline)!;
    expect(base).toMatchObject({
      scenario_id: 'base',
      delta_cost_mean: 0,
      delta_max_loading_pct: 0,
      delta_overloaded_branches: 0,
      matched_slices: 3,
    });
    for (const k of ['rank_severity', 'rank_cost'])
      expect(comparison.map((c) => c[k]).sort((a, b) => Number(a) - Number(b))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(comparison.find((c) => c.rank_severity === 1)!.scenario_id).toBe('island_bus8');
    // one severity rule: the comparison's rank is the contingency ranking's
    const ranking = await table(r.dir, 'contingency_ranking');
    expect(new Map(comparison.map((c) => [c.scenario_id, Number(c.rank_severity)]))).toEqual(
      new Map(ranking.map((c) => [c.scenario_id, Number(c.rank)])),
    );
    // gen 2 costs 1.5x: the same dispatch (PF) costs 0.5 * c1 * Pg2 more, Pg2 = 29.5 MW x profile (0.9, 1.0, 1.1)
    const costly = comparison.find((c) => c.scenario_id === 'gen2_costly')!;
    expect(costly.delta_cost_mean).toBeCloseTo(0.5 * 23.269494 * 29.5, 6);
    expect(comparison.find((c) => c.scenario_id === 'load_130')!.delta_cost_mean).toBeGreaterThan(0);
    const perJob = jobs.filter((j) => j.scenario_id === 'gen2_costly').map((j) => Number(j.delta_cost));
    expect(perJob.map((d) => d / (0.5 * 23.269494 * 29.5))).toEqual([0.9, 1, 1.1].map((f) => expect.closeTo(f, 9)));
  });

  test('branch loading and bus voltage tables: one row per rated in-service branch / bus of each solved scenario', async () => {
    const bl = await table(r.dir, 'branch_loading');
    const line = bl.filter((x) => x.scenario_id === 'line_2-3_out');
    expect(line.map((x) => x.branch_index)).not.toContain(3);
    expect(line).toHaveLength(19);
    expect(bl.filter((x) => x.scenario_id === 'base')).toHaveLength(20);
    expect(bl.some((x) => x.scenario_id === 'island_bus8')).toBe(false);
    const bv = await table(r.dir, 'bus_voltage');
    expect(bv.filter((x) => x.scenario_id === 'base')).toHaveLength(14);
    for (const x of bv) expect(Number(x.vm_min_pu)).toBeLessThanOrEqual(Number(x.vm_max_pu));
  });

  test('CSV files hold the same rows as the Parquet files', async () => {
    for (const t of ['jobs', 'scenarios', 'comparison', 'branch_loading', 'bus_voltage']) {
      const csv = readFileSync(join(r.dir, `${t}.csv`), 'utf8')
        .trimEnd()
        .split('\n');
      const pq = await table(r.dir, t);
      expect(csv).toHaveLength(pq.length + 1);
      expect(csv[0].split(',')).toEqual(Object.keys(pq[0]));
    }
  });

  test('the workbook reads back: summary sheet, a sheet per table, frozen headers, number formats', async () => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(r.dir, 'report.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'Summary',
      'scenarios',
      'comparison',
      'jobs',
      'branch_loading',
      'bus_voltage',
      'contingency_ranking',
    ]);
    const summary = wb.getWorksheet('Summary')!;
    const labels = new Map<string, unknown>();
    summary.eachRow((row) => labels.set(String(row.getCell(1).value), row.getCell(2).value));
    expect(labels.get('baseline scenario')).toBe('base');
    expect(labels.get('jobs failed')).toBe(3);
    expect(labels.get('worst scenario (severity rank 1)')).toBe('island_bus8');
    const js = wb.getWorksheet('jobs')!;
    expect(js.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(js.rowCount).toBe(22);
    expect(js.getRow(1).getCell(5).value).toBe('cost ($/h)');
    expect(js.getRow(1).font?.bold).toBe(true);
    const costCell = js.getRow(2).getCell(5);
    expect(costCell.numFmt).toBe('#,##0.00');
    expect(costCell.value).toBeCloseTo(Number(jobs[0].cost), 9);
    const sc = wb.getWorksheet('scenarios')!;
    expect(sc.rowCount).toBe(8);
    expect(sc.getRow(2).getCell(1).value).toBe('base');
  });

  test('the HTML report is self-contained and has the three plots', () => {
    const html = readFileSync(join(r.dir, 'report.html'), 'utf8');
    expect(html.match(/<svg /g)).toHaveLength(4); // cost, loading, voltage, contingency ranking
    expect(html).not.toMatch(/<script|<link|<img|@import|url\(http/i);
    expect(html.replace(/xmlns="http:\/\/www\.w3\.org\/2000\/svg"/g, '')).not.toMatch(/https?:\/\//);
    for (const h of [
      'Cost by scenario',
      'Branch loading: scenario × branch',
      'Voltage profile',
      'Worst scenarios',
      'Failures',
    ])
      expect(html).toContain(h);
  });

  test('a rerun rewrites the same tables; an unknown baseline fails before writing anything', async () => {
    const before = ['jobs', 'scenarios', 'comparison'].map((t) => readFileSync(join(r.dir, `${t}.parquet`)));
    await buildReport(out, { generatedAt: FIXED });
    expect(['jobs', 'scenarios', 'comparison'].map((t) => readFileSync(join(r.dir, `${t}.parquet`)))).toEqual(before);
    rmSync(r.dir, { recursive: true });
    await expect(buildReport(out, { baseline: 'nope' })).rejects.toThrow(
      /baseline scenario 'nope' is not in the batch \(scenarios: base, load_130/,
    );
    expect(existsSync(r.dir)).toBe(false);
  });
});

describe('report baseline choice', () => {
  test('another baseline; without a scenario `base` the first scenario is the baseline, with a note', async () => {
    const out = runLocalBatch('pf_dc', 'baseline', undefined, ['load_130', 'gen2_out', 'line_2-3_out']);
    const r = await buildReport(out);
    expect(r).toMatchObject({
      baseline: 'load_130',
      note: "the batch has no scenario 'base'; the first scenario, 'load_130', is the baseline",
    });
    const r2 = await buildReport(out, { baseline: 'gen2_out' });
    expect(r2).toMatchObject({ baseline: 'gen2_out', note: null });
    const cmp = await table(r2.dir, 'comparison');
    expect(cmp.find((c) => c.is_baseline)!.scenario_id).toBe('gen2_out');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(r2.dir, 'report.xlsx'));
    expect(wb.getWorksheet('comparison')!.rowCount).toBe(4);
  });
});

describe('report of an OPF batch', () => {
  test('opf_dc: the job cost is the OPF objective', async () => {
    const out = runLocalBatch('opf_dc', 'report-opf', undefined, ['base', 'load_130', 'gen2_costly']);
    const r = await buildReport(out);
    const jobs = await table(r.dir, 'jobs');
    for (const sid of ['base', 'load_130', 'gen2_costly']) {
      for (const s of await readPartition(out, 'opf_dc', 'summary', sid)) {
        expect(jobs.find((j) => j.job_id === s.job_id)!.cost).toBe(s.objective);
      }
    }
    const cmp = await table(r.dir, 'comparison');
    expect(cmp.find((c) => c.scenario_id === 'load_130')!.rank_cost).toBe(1);
  });
});

describe('report of an unrated case (examples/case14-n1.yaml, pf_dc: no branch ratings)', () => {
  test('every scenario ties: no worst scenario is named, the summary says why', async () => {
    const out = runLocalBatch('pf_dc', 'report-unrated', resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml'));
    const r = await buildReport(out, { generatedAt: FIXED });
    expect([r.ok, r.failed, r.worst]).toEqual([46, 0, null]);
    const ranking = await table(r.dir, 'contingency_ranking');
    expect(new Set(ranking.map((x) => Number(x.severity_index)))).toEqual(new Set([0]));
    const summary = JSON.parse(readFileSync(join(r.dir, 'report.json'), 'utf8')) as { worst: string | null };
    expect(summary.worst).toBeNull();
    expect(readFileSync(join(r.dir, 'report.html'), 'utf8')).not.toContain("worst 'base'");
  });
});
