/**
 * A screened contingency study on the real dev server (`start-batch --screen dc --screen-top 10`):
 * N-2 over the 345 kV branches of pglib's case118 (191 scenarios) screened with DC power flow, then
 * AC power flow on the 10 the DC stage ranked most severe; both stages in batch_manifest.json, the
 * AC stage's tables holding exactly those 10, equal to direct solves; histories replay.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { resultsCommand } from '../../src/cli/results';
import { startBatch } from '../../src/cli/start-batch';
import { openStudy } from '../../src/io/study';
import { applyScenario } from '../../src/scenarios/apply';
import { solveJob } from '../../src/solvers/solve-job';
import { capture } from '../helpers/cli';
import { hiveTable, query } from '../helpers/duckdb';
import { replayAll } from '../helpers/replay';
import { testTemporal, TestTemporal } from '../helpers/temporal';
import { ARTIFACTS } from '../helpers/test-server';
import { historyToFixture } from '../replay/history-json';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs', 'case118-n2-345kv.yaml');

describe('screened study: DC on every N-2 outage, AC on the worst 10', () => {
  let t: TestTemporal;
  const batchId = `it-screen-${randomBytes(3).toString('hex')}`;
  const out = join(ARTIFACTS, 'runs', batchId);
  let result: {
    jobs: number;
    ok: number;
    failed: number;
    task: string;
    screening: { jobs: number; scenarios: number; selected: string[]; outDir: string };
  };

  beforeAll(async () => {
    t = await testTemporal();
    const r = await capture(() =>
      startBatch({
        spec: SPEC,
        task: 'pf_ac',
        out,
        id: batchId,
        wait: true,
        json: true,
        screen: 'dc',
        screenTop: 10,
        skipFeaturize: true,
      }),
    );
    // the most severe N-2 outages collapse the AC power flow (7 of the 10 here): failed jobs, exit 1
    expect(r.code).toBe(1);
    result = JSON.parse(r.out);
  }, 900_000);
  afterAll(async () => t?.close());

  test('the AC stage ran only the 10 scenarios the DC ranking put first; the manifest records both stages', async () => {
    expect(result).toMatchObject({ task: 'pf_ac', jobs: 10, screening: { jobs: 191, scenarios: 191 } });
    expect(result.ok + result.failed).toBe(10);
    expect(result.ok).toBeGreaterThan(0);
    const dcTop = await query(
      `select scenario_id from read_parquet('${join(out, 'screen-dc', 'report', 'contingency_ranking.parquet')}') order by rank limit 10`,
    );
    expect(result.screening.selected).toEqual(dcTop.map((r) => r.scenario_id));
    const acIds = await query(
      `select distinct scenario_id from ${hiveTable(join(out, 'results', 'pf_ac', 'summary'))} order by scenario_id`,
    );
    expect(acIds.map((r) => r.scenario_id)).toEqual([...result.screening.selected].sort());
    const m = JSON.parse(readFileSync(join(out, 'batch_manifest.json'), 'utf8')) as {
      num_jobs: number;
      stages: { stage: string; task: string; jobs: number; selected?: string[] }[];
    };
    expect(m.num_jobs).toBe(10);
    expect(m.stages.map((s) => [s.stage, s.task, s.jobs])).toEqual([
      ['screening', 'pf_dc', 191],
      ['final', 'pf_ac', 10],
    ]);
    expect(m.stages[0].selected).toEqual(result.screening.selected);
  });

  test('the AC results equal a direct AC solve of the same outage', async () => {
    const okIds = await query(
      `select scenario_id from ${hiveTable(join(out, 'results', 'pf_ac', 'summary'))} where status = 'ok' order by scenario_id`,
    );
    const sid = okIds[0].scenario_id as string;
    const study = openStudy(out);
    const sc = [...study.scenarios()].find((s) => s.scenarioId === sid)!;
    const direct = solveJob('pf_ac', applyScenario(study.base, sc, null)).solution;
    const rows = await query(
      `select bus_id, vm_pu from ${hiveTable(join(out, 'results', 'pf_ac', 'bus'))} where scenario_id = '${sid}' order by bus_id`,
    );
    rows.forEach((r, i) =>
      Number.isNaN(direct.bus.vm[i])
        ? expect(r.vm_pu).toBeNull()
        : expect(Math.abs((r.vm_pu as number) - direct.bus.vm[i])).toBeLessThan(1e-9),
    );
  });

  test('results --id finds the final stage; every workflow history replays', async () => {
    const r = await capture(() => resultsCommand({ id: batchId, json: true }));
    expect(r.code).toBe(1);
    expect(JSON.parse(r.out)).toMatchObject({ task: 'pf_ac', stats: { count: 10 } });
    const types = await replayAll(t.client, [batchId, `${batchId}-screen-dc`, `${batchId}-final`], 'screening');
    expect(types).toEqual(['screenedStudy', 'studyPipeline', 'studyPipeline']);
    const history = await t.client.workflow.getHandle(batchId).fetchHistory();
    writeFileSync(join(ARTIFACTS, 'histories', 'screenedStudy--dc-then-ac.json'), historyToFixture(history));
  });
});
