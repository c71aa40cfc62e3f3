/**
 * An exhaustive N-2 study on the real dev server (pglib IEEE 118-bus, every pair of the branches at
 * its 345 kV buses, pf_dc) and its contingency ranking: the report's contingency_ranking table
 * (Parquet read back by DuckDB, CSV, Excel sheet, HTML section), recomputed here from the result
 * tables with the spec's weights, and `results --top N`.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { resultsCommand } from '../../src/cli/results';
import { startBatch } from '../../src/cli/start-batch';
import { capture } from '../helpers/cli';
import { hiveTable, query } from '../helpers/duckdb';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';
import ExcelJS from 'exceljs';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs', 'case118-n2-345kv.yaml');
const W = { loading: 2, overloads: 10, voltage: 5, load_lost: 1, failed: 1000 };

describe('N-2 over the 345 kV branches of case118, ranked by severity', () => {
  let t: TestTemporal;
  const batchId = `it-n2-${randomBytes(3).toString('hex')}`;
  const out = join(ARTIFACTS, 'runs', batchId);
  const ranking = () => `read_parquet('${join(out, 'report', 'contingency_ranking.parquet')}')`;
  let jobs = 0;

  beforeAll(async () => {
    t = await testTemporal();
    // through the CLI, as a planner starts it (results --id then finds the folder in the memo)
    const r = await capture(() =>
      startBatch({ spec: SPEC, task: 'pf_dc', out, id: batchId, wait: true, json: true, skipFeaturize: true }),
    );
    expect(r.code).toBe(0);
    const res = JSON.parse(r.out) as { jobs: number; failed: number };
    jobs = res.jobs;
    expect(res.failed).toBe(0);
  }, 600_000);
  afterAll(async () => t?.close());

  test('one ranking row per scenario, ranks 1..n by descending severity index', async () => {
    const rows = await query(`select rank, scenario_id, severity_index from ${ranking()} order by rank`);
    expect(rows).toHaveLength(jobs);
    expect(jobs).toBeGreaterThan(150); // base + C(n, 2) pairs of the 345 kV branches
    rows.forEach((r, k) => {
      expect(r.rank).toBe(k + 1);
      if (k > 0) expect(r.severity_index as number).toBeLessThanOrEqual(rows[k - 1].severity_index as number);
    });
  });

  test('every severity index equals the weighted sum recomputed from the result tables (DuckDB)', async () => {
    const res = join(out, 'results', 'pf_dc');
    const fromResults = await query(`
      with br as (select scenario_id, max(loading_pct) worst, count(distinct case when loading_pct > 100 + 1e-6 then branch_index end) over_n
                  from ${hiveTable(join(res, 'branch'))} where in_service group by scenario_id),
           su as (select scenario_id, max(load_lost_mw) lost, max(n_voltage_violations) vv, sum(case when status = 'ok' then 0 else 1 end) failed
                  from ${hiveTable(join(res, 'summary'))} group by scenario_id)
      select su.scenario_id, worst, over_n, lost, vv, failed from su left join br using (scenario_id)`);
    const ranked = new Map((await query(`select * from ${ranking()}`)).map((r) => [r.scenario_id as string, r]));
    expect(fromResults).toHaveLength(ranked.size);
    let overloadedSomewhere = 0;
    for (const r of fromResults) {
      const k = ranked.get(r.scenario_id as string)!;
      const worst = r.worst as number | null;
      const expected =
        W.loading * Math.max(0, (worst ?? 0) - 100) +
        W.overloads * (r.over_n as number) +
        W.voltage * (r.vv as number) +
        W.load_lost * (r.lost as number) +
        W.failed * (r.failed as number);
      expect(Math.abs((k.severity_index as number) - expected)).toBeLessThan(1e-6);
      expect(Math.abs((k.worst_loading_pct as number) - (worst as number))).toBeLessThan(1e-9);
      expect(k.overloaded_branches).toBe(r.over_n);
      expect(k.load_lost_mw).toBe(r.lost);
      if ((r.over_n as number) > 0) overloadedSomewhere++;
    }
    console.log(
      `N-2 345 kV case118 pf_dc: ${fromResults.length} scenarios, ${overloadedSomewhere} with an overloaded branch, top: ${JSON.stringify(await query(`select scenario_id, severity_index from ${ranking()} where rank <= 3 order by rank`))}`,
    );
  });

  test('the HTML has the ranking section, the workbook a contingency_ranking sheet, the CSV every row', async () => {
    const html = readFileSync(join(out, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<h2>5. Contingency ranking</h2>');
    expect(html).toContain('2 x (worst loading - 100 %, if above)');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(join(out, 'report', 'report.xlsx'));
    expect(wb.worksheets.map((w) => w.name)).toContain('contingency_ranking');
    expect(wb.getWorksheet('contingency_ranking')!.rowCount).toBe(jobs + 1);
    const csv = readFileSync(join(out, 'report', 'contingency_ranking.csv'), 'utf8')
      .trim()
      .split('\n');
    expect(csv).toHaveLength(jobs + 1);
  });

  test('results --top 5 prints the five most severe, in rank order', async () => {
    const top = await query(`select scenario_id from ${ranking()} order by rank limit 5`);
    const r = await capture(() => resultsCommand({ id: batchId, top: 5 }));
    expect(r.code).toBe(0);
    const lines = r.out.split('\n');
    const at = lines.findIndex((l) => l.startsWith('the 5 most severe contingencies'));
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 2, at + 7).map((l) => l.split('\t')[1])).toEqual(top.map((x) => x.scenario_id));
    const j = JSON.parse((await capture(() => resultsCommand({ id: batchId, top: 5, json: true }))).out) as {
      top: { scenario_id: string }[];
    };
    expect(j.top.map((x) => x.scenario_id)).toEqual(top.map((x) => x.scenario_id));
  });
});
