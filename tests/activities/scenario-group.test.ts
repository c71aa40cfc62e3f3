/**
 * The solveScenarioGroup activity on a real materialized study (case14 N-1, the real solve pool
 * and Parquet writers), in Temporal's MockActivityEnvironment: every scenario's chunks run once,
 * the heartbeat carries each finished scenario's counts, and a retried attempt (heartbeat details
 * of the one before) runs only the scenarios that had not finished.
 */
import { MockActivityEnvironment } from '@temporalio/testing';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { solveScenarioGroup } from '../../src/activities';
import { materializeStudy } from '../../src/activities/materialize';
import { layout } from '../../src/io/layout';
import { readScenarioManifest } from '../../src/io/scenario-manifest';
import { closeSolvePool } from '../../src/activities/solve-pool';
import type { GroupInput } from '../../src/contracts/workflow-types';

const SPEC = resolve(__dirname, '..', '..', 'examples', 'case14-n1.yaml');

describe('solveScenarioGroup', () => {
  const out = mkdtempSync(join(tmpdir(), 'gb-group-'));
  let input: GroupInput;
  beforeAll(() => {
    materializeStudy({ batchId: 'group-test', specPath: SPEC, outDir: out, task: 'pf_dc' });
    const m = readScenarioManifest(out);
    // base, an islanding outage (n1_branch_14: bus 8 de-energized, 2 ok jobs) and two more; chunks of one slice
    const pick = ['base', 'n1_branch_01', 'n1_branch_14', 'load_110'].map((id) =>
      m.scenarios.findIndex((s) => s.scenarioId === id),
    );
    input = {
      batchId: 'group-test',
      outDir: out,
      task: 'pf_dc',
      chunkSize: 1,
      warmStart: true,
      searchAttributes: false,
      scenarios: pick.map((index) => ({
        index,
        id: m.scenarios[index].scenarioId,
        jobs: m.scenarios[index].timeSlices.length,
      })),
    };
  });
  afterAll(async () => {
    await closeSolvePool();
    rmSync(out, { recursive: true, force: true });
  });

  const records = (id: string) => {
    const dir = join(layout.jobsDir(out), 'pf_dc', `scenario_id=${id}`);
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  };

  test('a retried attempt skips the scenarios its heartbeat reported, runs the others once', async () => {
    // attempt 2 of a group whose attempt 1 finished n1_branch_01 (counts carried in the heartbeat)
    const env = new MockActivityEnvironment({
      attempt: 2,
      heartbeatDetails: { done: { [input.scenarios[1].index]: { ok: 2, failed: 0 } } },
    });
    const beats: unknown[] = [];
    env.on('heartbeat', (d: unknown) => beats.push(d));
    const r = await env.run(solveScenarioGroup, input);
    expect(r).toEqual([
      { scenarioId: 'base', ok: 2, failed: 0 },
      { scenarioId: 'n1_branch_01', ok: 2, failed: 0 },
      { scenarioId: 'n1_branch_14', ok: 2, failed: 0 },
      { scenarioId: 'load_110', ok: 2, failed: 0 },
    ]);
    expect(records('n1_branch_01')).toEqual([]); // not run again
    for (const id of ['base', 'n1_branch_14', 'load_110'])
      expect(records(id)).toEqual(['part-00000.json', 'part-00001.json']);
    const last = beats[beats.length - 1] as { done: Record<number, { ok: number; failed: number }> };
    expect(Object.keys(last.done)).toHaveLength(4);
  });

  test('a first attempt runs every chunk; running it again replaces the files, never adds any', async () => {
    const r = await new MockActivityEnvironment().run(solveScenarioGroup, {
      ...input,
      scenarios: [input.scenarios[1]],
    });
    expect(r).toEqual([{ scenarioId: 'n1_branch_01', ok: 2, failed: 0 }]);
    const before = readdirSync(join(layout.tableDir(out, 'pf_dc', 'bus'), 'scenario_id=base')).sort();
    await new MockActivityEnvironment().run(solveScenarioGroup, input);
    expect(readdirSync(join(layout.tableDir(out, 'pf_dc', 'bus'), 'scenario_id=base')).sort()).toEqual(before);
    expect(records('n1_branch_01')).toEqual(['part-00000.json', 'part-00001.json']);
  });

  test('only the planned chunks of a scenario run (resume and retry-failed plans), with their prior counts', async () => {
    rmSync(join(layout.jobsDir(out), 'pf_dc', 'scenario_id=load_110'), { recursive: true, force: true });
    const s = { ...input.scenarios[3], chunks: [[1, 2]] as [number, number][], prior: { ok: 1, failed: 0 } };
    const r = await new MockActivityEnvironment().run(solveScenarioGroup, { ...input, scenarios: [s] });
    expect(r).toEqual([{ scenarioId: 'load_110', ok: 2, failed: 0 }]);
    expect(records('load_110')).toEqual(['part-00001.json']);
  });
});
