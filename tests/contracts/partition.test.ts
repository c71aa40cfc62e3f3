/**
 * The one rule for the result layout (src/contracts/partition.ts) and how a study keeps the
 * layout it began with (src/io/study-partition.ts), including studies written before the option.
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  featurePartScenarios,
  GROUP_MIN_PARTS,
  PART_MAX_JOBS,
  PART_MIN_JOBS,
  partitionFor,
  partsOf,
} from '../../src/contracts/partition';
import { materializeStudy } from '../../src/activities/materialize';
import { scenarioRanges } from '../../src/activities/featurize';
import { layout } from '../../src/io/layout';
import { partitionToWrite, studyPartition } from '../../src/io/study-partition';
import { InputError } from '../../src/errors';
import { ARTIFACTS } from '../helpers/test-server';

const SPEC = resolve(__dirname, '..', 'fixtures', 'specs-ops', 'case14-perturb-120.yaml');

describe('partition rule', () => {
  test('auto keeps one folder per scenario below 1,000 scenarios, buckets from 1,000 on', () => {
    expect(partitionFor(undefined, 999)).toBe('scenario_id');
    expect(partitionFor(undefined, 1_000)).toBe('bucket');
    expect(partitionFor('auto', 1_001)).toBe('bucket');
    expect(partitionFor('scenario_id', 50_000)).toBe('scenario_id');
    expect(partitionFor('bucket', 3)).toBe('bucket');
  });

  test('parts: consecutive scenarios up to PART_MAX_JOBS jobs, a bigger scenario alone', () => {
    const jobs = [500, 500, 500, PART_MAX_JOBS + 1, 24, 24];
    expect(partsOf(jobs, (j) => j)).toEqual([[500, 500], [500], [PART_MAX_JOBS + 1], [24, 24]]);
    expect(featurePartScenarios(4_167, 100_008)).toBe(50);
  });

  test('a group splits into at least GROUP_MIN_PARTS parts, none under PART_MIN_JOBS jobs', () => {
    expect(GROUP_MIN_PARTS).toBe(2);
    // 500 one-slice scenarios (a group of the GAT-format study): two parts of 250, one for each thread
    const ones = partsOf(
      Array.from({ length: 500 }, () => 1),
      (j) => j,
      GROUP_MIN_PARTS,
    );
    expect(ones.map((p) => p.length)).toEqual([250, 250]);
    // 30 two-job scenarios: 60 jobs stay one part (parts of at least PART_MIN_JOBS jobs)
    expect(
      partsOf(
        Array.from({ length: 30 }, () => 2),
        (j) => j,
        GROUP_MIN_PARTS,
      ),
    ).toHaveLength(1);
    expect(PART_MIN_JOBS).toBeGreaterThan(60);
    // a large group is split by PART_MAX_JOBS as before
    const big = partsOf(
      Array.from({ length: 200 }, () => 24),
      (j) => j,
      GROUP_MIN_PARTS,
    );
    expect(big.map((p) => p.length)).toEqual([50, 50, 50, 50]);
    // the same input always splits the same way (a retried attempt names the same parts)
    expect(partsOf([7, 300, 5, 120, 90], (j) => j, GROUP_MIN_PARTS)).toEqual(
      partsOf([7, 300, 5, 120, 90], (j) => j, 2),
    );
    expect(featurePartScenarios(3, 30_000)).toBe(1);
  });

  test('featurize ranges start on multiples of the feature part', () => {
    expect(scenarioRanges(10, 3)).toEqual([
      { from: 0, to: 3 },
      { from: 3, to: 6 },
      { from: 6, to: 10 },
    ]);
    for (const r of scenarioRanges(4_167, 2, 50)) expect(r.from % 50).toBe(0);
    expect(scenarioRanges(120, 2, 600)).toEqual([{ from: 0, to: 120 }]);
  });
});

describe('a study keeps its layout', () => {
  const out = join(ARTIFACTS, 'partition-contract');
  beforeEach(() => rmSync(out, { recursive: true, force: true }));

  test('started again: the recorded layout, an explicit other one is an input error', () => {
    materializeStudy({ batchId: 'p1', specPath: SPEC, outDir: out, task: 'pf_dc', options: { partitionBy: 'bucket' } });
    expect(studyPartition(out)).toBe('bucket');
    expect(partitionToWrite(out, 'auto', 120)).toBe('bucket');
    expect(() => partitionToWrite(out, 'scenario_id', 120)).toThrow(InputError);
    expect(() =>
      materializeStudy({
        batchId: 'p1',
        specPath: SPEC,
        outDir: out,
        task: 'pf_dc',
        options: { partitionBy: 'scenario_id' },
      }),
    ).toThrow(/--partition-by bucket/);
  });

  test('a study materialized before --partition-by resumes in the per-scenario layout, whatever auto says', () => {
    materializeStudy({ batchId: 'p2', specPath: SPEC, outDir: out, task: 'pf_dc' });
    const path = layout.scenarioManifest(out);
    const m = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
    expect(m.partition_by).toBe('scenario_id');
    delete m.partition_by; // as written before the option
    writeFileSync(path, JSON.stringify(m));
    expect(studyPartition(out)).toBe('scenario_id');
    expect(partitionToWrite(out, 'auto', 5_000)).toBe('scenario_id');
  });
});
