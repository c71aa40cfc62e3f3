/**
 * The island rule in batches on the real dev server: on case14, the outage of branch 14 (bus 8
 * cut off) and of the three branches of bus 13 are ok jobs for all four tasks, with the cut-off
 * buses' load as load_lost_mw in the summary rows (read back by DuckDB), the job records, the
 * batch manifest and the report, and the same tables as `solve --outage` of the same network.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { solveCase } from '../../src/cli/solve';
import { TASKS } from '../../src/solvers/solution';
import { studyPipeline } from '../../src/workflows';
import { hiveTable, query } from '../helpers/duckdb';
import { manifestOf } from '../helpers/manifest';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs', 'case14-islands.yaml');
const CASE = resolve(__dirname, '..', 'fixtures', 'specs', 'case14.m');
const OUTAGES: Record<string, string[]> = {
  n1_branch_14: ['branch:14'],
  bus13_cut: ['branch:13', 'branch:19', 'branch:20'],
};
const LOST: Record<string, { buses: number[]; load: number }> = {
  base: { buses: [], load: 0 },
  n1_branch_14: { buses: [8], load: 0 },
  bus13_cut: { buses: [13], load: 13.5 },
};

describe('islands in a batch: every task ok, load lost reported', () => {
  let t: TestTemporal;
  const tag = randomBytes(3).toString('hex');
  const outs: Record<string, string> = {};

  beforeAll(async () => {
    t = await testTemporal();
    const worker = await t.newWorker();
    await worker.runUntil(async () => {
      for (const task of TASKS) {
        const batchId = `it-islands-${task}-${tag}`;
        outs[task] = join(ARTIFACTS, 'runs', batchId);
        const handle = await t.client.workflow.start(studyPipeline, {
          workflowId: batchId,
          taskQueue: t.taskQueue,
          args: [
            {
              batchId,
              specPath: SPEC,
              outDir: outs[task],
              task,
              options: { skipFeaturize: true, skipReport: task !== 'pf_ac' },
            },
          ],
        });
        expect({ task, r: await handle.result() }).toMatchObject({ task, r: { jobs: 6, ok: 6, failed: 0 } });
      }
    });
  }, 600_000);
  afterAll(async () => t?.close());

  test.each(TASKS)('%s: summary rows, job records and manifest carry islanded_buses and load_lost_mw', async (task) => {
    const rows = await query(
      `select scenario_id, status, islanded_buses, islanded_bus_ids, load_lost_mw, gen_lost_mw from ${hiveTable(join(outs[task], 'results', task, 'summary'))} order by scenario_id, time`,
    );
    expect(rows).toHaveLength(6);
    for (const r of rows) {
      const want = LOST[r.scenario_id as string];
      expect(r).toEqual({
        scenario_id: r.scenario_id,
        status: 'ok',
        islanded_buses: want.buses.length,
        islanded_bus_ids: want.buses.length ? want.buses.join(',') : null,
        load_lost_mw: want.load,
        gen_lost_mw: 0,
      });
    }
    const manifest = await manifestOf(outs[task]);
    for (const j of manifest.jobs) {
      expect(j.status).toBe('ok');
      expect(j.islanded_buses).toEqual(LOST[j.scenario_id].buses);
      expect(j.load_lost_mw).toBe(LOST[j.scenario_id].load);
    }
  });

  test.each(TASKS)(
    '%s: the batch solved the same network as `solve --outage` (bus and branch tables equal)',
    async (task) => {
      for (const [sid, outages] of Object.entries(OUTAGES)) {
        const { solution } = await solveCase({ casePath: CASE, task, outages });
        expect(solution.converged).toBe(true);
        const bus = await query(
          `select bus_id, vm_pu, va_deg from ${hiveTable(join(outs[task], 'results', task, 'bus'))} where scenario_id = '${sid}' and time = '2025-01-15T08:00:00Z' order by bus_id`,
        );
        bus.forEach((r, i) => {
          const vm = solution.bus.vm[i];
          if (Number.isNaN(vm)) expect([r.bus_id, r.vm_pu, r.va_deg]).toEqual([r.bus_id, null, null]);
          else expect(Math.abs((r.vm_pu as number) - vm)).toBeLessThan(1e-6);
        });
        expect(bus.filter((r) => r.vm_pu === null).map((r) => r.bus_id)).toEqual(LOST[sid].buses);
        const br = await query(
          `select branch_index, pf_mw from ${hiveTable(join(outs[task], 'results', task, 'branch'))} where scenario_id = '${sid}' and time = '2025-01-15T08:00:00Z' order by branch_index`,
        );
        br.forEach((r, l) => expect(Math.abs((r.pf_mw as number) - solution.branch.pf[l])).toBeLessThan(1e-4));
      }
    },
  );

  test('the report lists the de-energized buses and the load lost', async () => {
    const jobs = await query(
      `select scenario_id, islanded_buses, load_lost_mw from read_parquet('${join(outs.pf_ac, 'report', 'jobs.parquet')}') order by scenario_id, time`,
    );
    expect(jobs.filter((j) => j.scenario_id === 'bus13_cut')).toEqual([
      { scenario_id: 'bus13_cut', islanded_buses: 1, load_lost_mw: 13.5 },
      { scenario_id: 'bus13_cut', islanded_buses: 1, load_lost_mw: 13.5 },
    ]);
    const html = readFileSync(join(outs.pf_ac, 'report', 'report.html'), 'utf8');
    expect(html).toContain('<th>load lost, max (MW)</th>');
    const scen = await query(
      `select scenario_id, islanded_buses_max, load_lost_mw_max from read_parquet('${join(outs.pf_ac, 'report', 'scenarios.parquet')}') order by scenario_id`,
    );
    expect(scen).toEqual([
      { scenario_id: 'base', islanded_buses_max: 0, load_lost_mw_max: 0 },
      { scenario_id: 'bus13_cut', islanded_buses_max: 1, load_lost_mw_max: 13.5 },
      { scenario_id: 'n1_branch_14', islanded_buses_max: 1, load_lost_mw_max: 0 },
    ]);
  });
});
