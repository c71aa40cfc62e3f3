import { join } from 'node:path';
import { loadSpec, previewStudy } from '../../src/scenarios';
import { canonicalJson } from '../../src/scenarios/hash';
import { CASE14, FIXTURES, head, tempDir, writeSpec } from './helpers';

describe('GAT-format specs run unchanged', () => {
  test("GAT's own example (rts_nminus1.yaml) over case14", () => {
    const study = loadSpec(join(FIXTURES, 'gat-nminus1.yaml'));
    expect(study.gridFile).toBe(CASE14);
    expect(study.scenarios.map((s) => s.scenarioId)).toEqual(['base', 'n-1_branch_5_6']);
    const [base, n1] = study.scenarios;
    expect(base).toMatchObject({
      description: 'Base operating point',
      tags: [],
      outages: [],
      loadScale: 1,
      renewableScale: 1,
      weight: 1,
      timeSlices: ['2025-01-01T12:00:00Z'],
      metadata: { study: 'rts-nminus1' },
      dispatchOverrides: [],
    });
    expect(base.islanding).toBeUndefined();
    // GAT-style branch name resolved to the 1-based branch row (row 10 of case14 is 5-6)
    expect(n1.outages).toEqual([{ type: 'branch', id: '10' }]);
    expect(n1.tags).toEqual(['n-1']);
    expect(study.warnings).toEqual([]);
    expect(previewStudy(study)).toEqual({ scenarios: 2, jobs: 2, sampleIds: ['base', 'n-1_branch_5_6'], warnings: [] });
  });

  test('every GAT key: scenario values replace defaults, tags/metadata replaced whole, ids normalised to strings', () => {
    const study = loadSpec(join(FIXTURES, 'gat-full.yaml'));
    const byId = Object.fromEntries(study.scenarios.map((s) => [s.scenarioId, s]));
    expect(byId.base).toMatchObject({
      loadScale: 1.05,
      tags: ['winter'],
      metadata: { study: 'gat-full', owner: 'planning' },
    });
    // 02:00+01:00 is normalised to UTC
    expect(byId.base.timeSlices).toEqual(['2025-01-01T00:00:00Z', '2025-01-01T01:00:00Z']);
    expect(byId.peak).toMatchObject({
      loadScale: 1.2,
      renewableScale: 0.5,
      weight: 2.5,
      tags: ['peak'],
      metadata: { case: 'peak' },
      timeSlices: ['2025-07-01T17:00:00Z'],
    });
    expect(byId.outages.outages).toEqual([
      { type: 'branch', id: '3' },
      { type: 'gen', id: '2' },
      { type: 'bus', id: '14' },
    ]);
    expect(byId.outages.dispatchOverrides).toEqual([
      { resource_id: '1', p_max_mw: 300, p_min_mw: 10, must_run: true, cost_multiplier: 1.5 },
    ]);
    expect(previewStudy(study).jobs).toBe(5);
    expect(study.warnings.join('\n')).toMatch(/no genfuel/);
  });

  test('the same spec as JSON gives the same scenarios and hashes', () => {
    const dir = tempDir();
    const spec = {
      version: 1,
      grid_file: CASE14,
      defaults: { time_slices: ['2025-01-01T12:00:00Z'], metadata: { study: 'rts-nminus1' } },
      scenarios: [
        { scenario_id: 'base', description: 'Base operating point' },
        {
          scenario_id: 'n-1_branch_5_6',
          description: 'Outage of branch 5-6',
          outages: [{ type: 'branch', id: 'branch_5_6' }],
          tags: ['n-1'],
        },
      ],
    };
    const fromJson = loadSpec(writeSpec(dir, 'spec.json', JSON.stringify(spec, null, 2)));
    const fromYaml = loadSpec(join(FIXTURES, 'gat-nminus1.yaml'));
    expect(fromJson.scenarios.map((s) => s.hash)).toEqual(fromYaml.scenarios.map((s) => s.hash));
  });

  test('hash: sha256 of the canonical JSON, stable under key order, changes with content', () => {
    const dir = tempDir();
    const a = loadSpec(
      writeSpec(dir, 'a.yaml', head('scenarios:\n  - {scenario_id: s, load_scale: 1.1, metadata: {x: 1, y: 2}}\n')),
    ).scenarios[0];
    const b = loadSpec(
      writeSpec(dir, 'b.yaml', head('scenarios:\n  - {metadata: {y: 2, x: 1}, load_scale: 1.1, scenario_id: s}\n')),
    ).scenarios[0];
    const c = loadSpec(
      writeSpec(dir, 'c.yaml', head('scenarios:\n  - {scenario_id: s, load_scale: 1.2, metadata: {x: 1, y: 2}}\n')),
    ).scenarios[0];
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(canonicalJson({ b: 1, a: [2, { d: 3, c: null }] })).toBe('{"a":[2,{"c":null,"d":3}],"b":1}');
  });

  test('numbers given for ids, scenario_id and outage ids become strings', () => {
    const dir = tempDir();
    const s = loadSpec(
      writeSpec(
        dir,
        's.yaml',
        head(
          'scenarios:\n  - scenario_id: 7\n    outages: [{type: gen, id: 5}, {type: bus, id: "bus:9"}, {type: branch, id: "branch:2"}]\n',
        ),
      ),
    ).scenarios[0];
    expect(s.scenarioId).toBe('7');
    expect(s.outages).toEqual([
      { type: 'gen', id: '5' },
      { type: 'bus', id: '9' },
      { type: 'branch', id: '2' },
    ]);
    expect(s.timeSlices).toEqual([]);
  });
});
