import { join } from 'node:path';
import { loadSpec } from '../../src/scenarios';
import { mulberry32, sampleSeed } from '../../src/scenarios/prng';
import { compileTemplate } from '../../src/scenarios/template';
import { FIXTURES, head, inputError, tempDir, writeSpec } from './helpers';

const dir = tempDir();
let n = 0;
const load = (text: string) => loadSpec(writeSpec(dir, `g${n++}.yaml`, head(text)));
/** hash of sample 0 of {samples: 1, seed: 42, global_range: [0.8, 1.2], local_noise: 0.05} over case14 */
const PINNED_HASH = '2bc0bc6e3d9543a63750e27716e37df460b1267d803b47c2d1c79a31fb27f126';
const CASE14_LOAD_BUSES = ['2', '3', '4', '5', '6', '9', '10', '11', '12', '13', '14'];

describe('n_minus_1', () => {
  test('case14 branches: 20 scenarios, only branch 14 (7-8) islands, cutting off bus 8', () => {
    const study = load('generators:\n  - {type: n_minus_1, elements: [branch]}\n');
    expect(study.scenarios).toHaveLength(20);
    expect(study.scenarios.map((s) => s.scenarioId)).toEqual(
      Array.from({ length: 20 }, (_, i) => `n-1_branch_${i + 1}`),
    );
    const islanded = study.scenarios.filter((s) => s.islanding);
    expect(islanded.map((s) => s.scenarioId)).toEqual(['n-1_branch_14']);
    expect(islanded[0].islanding).toBe(
      'the outages split the network: bus 8 is not connected to a reference bus through in-service branches',
    );
    expect(study.scenarios[13]).toMatchObject({
      outages: [{ type: 'branch', id: '14' }],
      description: 'N-1: branch 14 (7-8) out of service',
    });
    expect(study.scenarios[13].metadata).toEqual({
      generator: { type: 'n_minus_1', index: 13, element: 'branch', row: 14 },
    });
    expect(study.warnings).toContain(
      '1 of 20 scenario(s) split the network; their islands without a reference bus are de-energized and the load they carry is reported as lost (islands: deenergize) (e.g. n-1_branch_14: the outages split the network: bus 8 is not connected to a reference bus through in-service branches)',
    );
  });

  test('exclude_islanding drops branch 14; gens; filter by buses and ids', () => {
    expect(
      load('generators: [{type: n_minus_1, elements: [branch], exclude_islanding: true}]\n').scenarios,
    ).toHaveLength(19);
    const gens = load('generators: [{type: n_minus_1, elements: [gen]}]\n').scenarios;
    expect(gens.map((s) => s.scenarioId)).toEqual(['n-1_gen_1', 'n-1_gen_2', 'n-1_gen_3', 'n-1_gen_4', 'n-1_gen_5']);
    expect(gens.every((s) => !s.islanding)).toBe(true);
    const byBus = load('generators: [{type: n_minus_1, elements: [branch, gen], filter: {buses: [8]}}]\n').scenarios;
    expect(byBus.map((s) => s.scenarioId)).toEqual(['n-1_branch_14', 'n-1_gen_5']);
    const byIds = load(
      'generators: [{type: n_minus_1, elements: [branch, gen], filter: {ids: ["branch:3", "Branch 9-14", "gen:2"]}}]\n',
    ).scenarios;
    expect(byIds.map((s) => s.scenarioId)).toEqual(['n-1_branch_3', 'n-1_branch_17', 'n-1_gen_2']);
    const err = inputError(() =>
      load('generators: [{type: n_minus_1, elements: [branch, gen], filter: {ids: [3]}}]\n'),
    );
    expect(err.key).toBe('generators[0].filter.ids[0]');
    expect(err.message).toMatch(/write "branch:3" or "gen:3"/);
  });

  test('min_rate_a (0 = unlimited), out-of-service gens skipped, base outages added', () => {
    // the spec sits in a temp dir: point grid_file at the fixture
    const text = `grid_file: ${JSON.stringify(join(FIXTURES, 'case4fuel.m'))}\ngenerators:\n  - {type: n_minus_1, elements: [branch, gen], filter: {min_rate_a: 100}, outages: [{type: branch, id: 4}]}\n`;
    const study = loadSpec(writeSpec(dir, 'rate.yaml', text));
    // branches 1 (250), 2 (100), 3 (0 = unlimited); branch 4 (50) filtered out; gen 4 is off in the case
    expect(study.scenarios.map((s) => s.scenarioId)).toEqual([
      'n-1_branch_1',
      'n-1_branch_2',
      'n-1_branch_3',
      'n-1_gen_1',
      'n-1_gen_2',
      'n-1_gen_3',
    ]);
    expect(study.scenarios[0].outages).toEqual([
      { type: 'branch', id: '4' },
      { type: 'branch', id: '1' },
    ]);
    expect(study.warnings.join('\n')).toMatch(/skipped 1 element\(s\) already out of service/);
  });
});

describe('load_perturbation', () => {
  const spec = (seed: number, samples: number, extra = '') =>
    `generators:\n  - {type: load_perturbation, samples: ${samples}, seed: ${seed}, global_range: [0.8, 1.2], local_noise: 0.05${extra}}\n`;

  test('seeded: the same spec gives the same numbers, sample k does not depend on samples', () => {
    const a = load(spec(42, 10)).scenarios;
    const b = load(spec(42, 10)).scenarios;
    const c = load(spec(42, 4)).scenarios;
    const d = load(spec(43, 10)).scenarios;
    expect(a.map((s) => s.scenarioId)).toEqual(Array.from({ length: 10 }, (_, i) => `sample_${i}`));
    expect(a.map((s) => [s.loadScale, s.loadFactors, s.hash])).toEqual(
      b.map((s) => [s.loadScale, s.loadFactors, s.hash]),
    );
    expect(c.map((s) => s.hash)).toEqual(a.slice(0, 4).map((s) => s.hash));
    expect(d[0].loadScale).not.toBe(a[0].loadScale);
    for (const s of a) {
      expect(s.loadScale).toBeGreaterThanOrEqual(0.8);
      expect(s.loadScale).toBeLessThanOrEqual(1.2);
      expect(Object.keys(s.loadFactors ?? {}).sort((x, y) => Number(x) - Number(y))).toEqual(CASE14_LOAD_BUSES);
      for (const f of Object.values(s.loadFactors ?? {})) {
        expect(f).toBeGreaterThanOrEqual(0.95);
        expect(f).toBeLessThanOrEqual(1.05);
      }
      expect(s.metadata).toEqual({
        generator: { type: 'load_perturbation', index: Number(s.scenarioId.slice(7)), seed: 42 },
      });
    }
  });

  test('reproducible across runs and machines: pinned values of the PRNG and of sample 0', () => {
    const r = mulberry32(1);
    expect([r(), r(), r()]).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    const rng = mulberry32(sampleSeed(42, 0));
    const global = 0.8 + (1.2 - 0.8) * rng();
    const s0 = load(spec(42, 1)).scenarios[0];
    expect(s0.loadScale).toBe(global);
    expect(s0.loadFactors?.['2']).toBe(1 - 0.05 + (1 + 0.05 - (1 - 0.05)) * rng());
    // pinned: a change here changes every perturbation study's numbers and hashes
    expect(s0.loadScale).toBe(1.107414389308542);
    expect(s0.hash).toBe(PINNED_HASH);
  });

  test('id template with name, zfill and fixed; load_scale may not be set', () => {
    const s = load(
      spec(7, 3, ', name: "Winter Peak", id_template: "{name|slug}_{index|zfill:4}_g={load_scale|fixed:3}"'),
    ).scenarios;
    expect(s[0].scenarioId).toBe(`winter-peak_0000_g=${s[0].loadScale.toFixed(3)}`);
    expect(s[2].scenarioId.startsWith('winter-peak_0002_g=')).toBe(true);
    const err = inputError(() => load(spec(7, 3, ', load_scale: 1.1')));
    expect(err.key).toBe('generators[0].load_scale');
  });
});

describe('cartesian and include_base', () => {
  test('every combination, load_scale outer; default ids; explicit template', () => {
    const s = load(
      'include_base: true\ngenerators:\n  - {type: cartesian, factors: {load_scale: [0.9, 1.0, 1.1], renewable_scale: [0.5, 1]}}\n',
    ).scenarios;
    expect(s.map((x) => x.scenarioId)).toEqual([
      'base',
      'ls=0.9_rs=0.5',
      'ls=0.9_rs=1',
      'ls=1_rs=0.5',
      'ls=1_rs=1',
      'ls=1.1_rs=0.5',
      'ls=1.1_rs=1',
    ]);
    expect(s[5]).toMatchObject({
      loadScale: 1.1,
      renewableScale: 0.5,
      description: 'load_scale=1.1, renewable_scale=0.5',
    });
    expect(s[0]).toMatchObject({ loadScale: 1, renewableScale: 1, outages: [], description: 'base case' });
    const t = load(
      'generators:\n  - {type: cartesian, name: grow, factors: {load_scale: [1.05]}, renewable_scale: 0.7, id_template: "{name|upper}-{index|zfill:2}-{load_scale}-{renewable_scale}", description: "growth {load_scale}"}\n',
    ).scenarios;
    expect(t[0]).toMatchObject({ scenarioId: 'GROW-00-1.05-0.7', renewableScale: 0.7, description: 'growth 1.05' });
    expect(
      inputError(() => load('generators: [{type: cartesian, factors: {load_scale: [1]}, load_scale: 2}]\n')).message,
    ).toMatch(/already a factor/);
    expect(inputError(() => load('generators: [{type: cartesian, factors: {}}]\n')).message).toMatch(
      /at least one factor/,
    );
  });
});

describe('id templates', () => {
  test('helpers', () => {
    const t = compileTemplate('{name|slug}/{index|zfill:4}/{v|fixed:2}/{name|lower}/{{x}}', ['name', 'index', 'v']);
    expect(t({ name: 'Hot  Summer!', index: 7, v: 1.005 })).toBe('hot-summer/0007/1.00/hot  summer!/{x}');
  });

  test('unknown variables and helpers are errors at the id_template key, listing what is available', () => {
    let err = inputError(() =>
      load('generators: [{type: n_minus_1, elements: [branch], id_template: "{kind}_{id}"}]\n'),
    );
    expect(err.key).toBe('generators[0].id_template');
    expect(err.line).toBe(3);
    expect(err.message).toMatch(
      /unknown template variable \{kind\}.*available here: \{name\}, \{index\}, \{type\}, \{id\}, \{from\}, \{to\}, \{bus\}/,
    );
    err = inputError(() => load('generators: [{type: n_minus_1, elements: [branch], id_template: "{id|pad:3}"}]\n'));
    expect(err.message).toMatch(/unknown template helper 'pad'/);
    err = inputError(() => load('generators: [{type: n_minus_1, elements: [branch], id_template: "{id|zfill}"}]\n'));
    expect(err.message).toMatch(/needs a width/);
    err = inputError(() => load('generators: [{type: n_minus_1, elements: [branch], id_template: "{id"}]\n'));
    expect(err.message).toMatch(/unclosed '\{'/);
  });

  test('a template that maps different items to one id is a duplicate error naming both items', () => {
    const err = inputError(() =>
      load('generators: [{type: n_minus_1, elements: [branch], id_template: "out_{from}"}]\n'),
    );
    expect(err.message).toMatch(
      /duplicate scenario id 'out_1': produced by generators\[0\] \(n_minus_1, branch 1 \(1-2\)\).* and by generators\[0\] \(n_minus_1, branch 2 \(1-5\)\)/,
    );
  });
});
