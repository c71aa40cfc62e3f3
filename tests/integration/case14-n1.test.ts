/**
 * The walking skeleton end to end on the real dev server: case14, base + every single-branch
 * outage + two load levels, 2 time slices each (46 jobs, all ok: branch 14's outage de-energizes
 * bus 8); results read back by DuckDB and compared with a direct solve of each scenario's network,
 * modified here by hand.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { manifestOf, ManifestWithJobs } from '../helpers/manifest';
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { solveJob } from '../../src/solvers/solve-job';
import { studyPipeline } from '../../src/workflows';
import { replayAll } from '../helpers/replay';
import { hiveTable, query } from '../helpers/duckdb';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';
import { studyDigest } from '../chaos/digest';

const SPEC = resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml');
const CASE = resolve(__dirname, '..', '..', 'examples', 'cases', 'case14.m');

function networkFor(base: Network, scenarioId: string): Network {
  const net = cloneNetwork(base);
  const m = /^n1_branch_(\d+)$/.exec(scenarioId);
  if (m) net.branch.status[Number(m[1]) - 1] = 0;
  const scale = scenarioId === 'load_110' ? 1.1 : scenarioId === 'load_90' ? 0.9 : 1;
  for (let i = 0; i < net.bus.n; i++) {
    net.bus.Pd[i] *= scale;
    net.bus.Qd[i] *= scale;
  }
  return net;
}

describe('case14 N-1 x load levels x 2 hours on the dev server (pf_dc)', () => {
  let t: TestTemporal;
  const batchId = `it-case14-${randomBytes(3).toString('hex')}`;
  const outDir = join(ARTIFACTS, 'runs', batchId);
  let manifest: ManifestWithJobs;

  beforeAll(async () => {
    t = await testTemporal();
    const worker = await t.newWorker();
    const handle = await t.client.workflow.start(studyPipeline, {
      workflowId: batchId,
      taskQueue: t.taskQueue,
      args: [{ batchId, specPath: SPEC, outDir, task: 'pf_dc', options: { maxInFlight: 8, searchAttributes: true } }],
    });
    const result = await worker.runUntil(handle.result());
    expect(result).toMatchObject({ jobs: 46, ok: 46, failed: 0, scenarios: 23 });
    manifest = await manifestOf(outDir);
  });
  afterAll(async () => t?.close());

  test('every job is in batch_manifest.json and ok; the islanding outage de-energized bus 8', () => {
    expect(manifest.jobs).toHaveLength(46);
    expect(new Set(manifest.jobs.map((j) => j.job_id)).size).toBe(46);
    expect(manifest.jobs.filter((j) => j.status !== 'ok')).toEqual([]);
    const islanded = manifest.jobs.filter((j) => j.islanded_buses?.length);
    expect(islanded.map((j) => [j.scenario_id, j.islanded_buses, j.load_lost_mw])).toEqual([
      ['n1_branch_14', [8], 0],
      ['n1_branch_14', [8], 0],
    ]);
    for (const j of manifest.jobs) {
      expect(j.outputs.map((o) => o.table).sort()).toEqual(['branch', 'bus', 'gen', 'summary']);
      for (const o of j.outputs) expect(o.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
    expect(manifest.stats).toMatchObject({ count: 46, ok: 46, failed: 0 });
  });

  test('DuckDB reads the Hive-partitioned tables; the partition equals the scenario_id column', async () => {
    const dir = join(outDir, 'results', 'pf_dc');
    const counts = await query(
      `select count(*) n, count(distinct scenario_id) s, count(distinct time) t from ${hiveTable(join(dir, 'branch'))}`,
    );
    expect(counts[0]).toEqual({ n: 46 * 20, s: 23, t: 2 });
    const summary = await query(
      `select status, count(*) n from ${hiveTable(join(dir, 'summary'))} group by status order by status`,
    );
    expect(summary).toEqual([{ status: 'ok', n: 46 }]);
    const buses = await query(`select count(*) n from ${hiveTable(join(dir, 'bus'))}`);
    expect(buses[0].n).toBe(46 * 14);
  });

  test("each scenario's flows equal a direct solve of the same modified network", async () => {
    const base = readCaseFile(CASE);
    const rows = await query(
      `select scenario_id, time, branch_index, pf_mw, pt_mw from ${hiveTable(join(outDir, 'results', 'pf_dc', 'branch'))} order by scenario_id, time, branch_index`,
    );
    const byScenario = new Map<string, typeof rows>();
    for (const r of rows) {
      const k = r.scenario_id as string;
      if (!byScenario.has(k)) byScenario.set(k, []);
      byScenario.get(k)!.push(r);
    }
    expect(byScenario.size).toBe(23);
    for (const [sid, rs] of byScenario) {
      const s = solveJob('pf_dc', networkFor(base, sid)).solution;
      expect(s.converged).toBe(true);
      for (const r of rs) {
        const l = (r.branch_index as number) - 1;
        expect(Math.abs((r.pf_mw as number) - s.branch.pf[l])).toBeLessThan(1e-9);
        expect(Math.abs((r.pt_mw as number) - s.branch.pt[l])).toBeLessThan(1e-9);
      }
    }
  });

  test('auto placement ran the short chunks as local activities; regular activities write the same tables', async () => {
    const kinds = async (workflowId: string) => {
      const events = (await t.client.workflow.getHandle(workflowId).fetchHistory()).events ?? [];
      return {
        local: events.filter((e) => e.markerRecordedEventAttributes?.markerName === 'core_local_activity').length,
        activities: events.filter((e) => e.activityTaskScheduledEventAttributes).length,
      };
    };
    expect(await kinds(`${batchId}/base`)).toEqual({ local: 1, activities: 0 });

    const other = `${batchId}-never`;
    const otherOut = join(ARTIFACTS, 'runs', other);
    const worker = await t.newWorker();
    const handle = await t.client.workflow.start(studyPipeline, {
      workflowId: other,
      taskQueue: t.taskQueue,
      args: [
        {
          batchId: other,
          specPath: SPEC,
          outDir: otherOut,
          task: 'pf_dc',
          options: { maxInFlight: 8, localActivities: 'never' },
        },
      ],
    });
    expect(await worker.runUntil(handle.result())).toMatchObject({ jobs: 46, ok: 46, failed: 0 });
    expect(await kinds(`${other}/base`)).toEqual({ local: 0, activities: 1 });
    const [a, b] = [await studyDigest(outDir), await studyDigest(otherOut)];
    expect(b.tables).toEqual(a.tables);
    expect(b.jobs).toEqual(a.jobs);
    expect(b.files).toEqual(a.files);
  });

  test('histories of every workflow type replay without a determinism error', async () => {
    const ids = [batchId, `${batchId}/batch`, `${batchId}/base`, `${batchId}/n1_branch_14`];
    const types = await replayAll(t.client, ids, 'case14-n1');
    expect(types.sort()).toEqual(['scenarioRun', 'scenarioRun', 'studyBatch', 'studyPipeline']);
  });
});
