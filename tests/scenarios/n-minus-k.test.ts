/**
 * n_minus_k (exhaustive N-k over filtered elements) and random_outages (seeded k-outage sampling
 * with a probability per k, as gridfm-datakit draws them), and the spec key `islands`.
 */
import { validateCommand } from '../../src/cli/validate';
import { loadSpec } from '../../src/scenarios';
import { IslandChecker } from '../../src/scenarios/islands';
import { readCaseFile } from '../../src/grid/matpower-case';
import { capture } from '../helpers/cli';
import { CASE118, CASE14, head, inputError, tempDir, writeSpec } from './helpers';

const dir = tempDir();
let n = 0;
const load = (text: string, grid = CASE14) =>
  loadSpec(writeSpec(dir, `k${n++}.yaml`, `version: 1\ngrid_file: ${JSON.stringify(grid)}\n${text}`));
const outageKey = (o: { type: string; id: string }[]) => o.map((x) => `${x.type}:${x.id}`).join(',');

describe('n_minus_k', () => {
  test('k = 2 over explicit ids: every pair once, in order, with ids, outages and metadata', () => {
    const s = load('generators: [{type: n_minus_k, k: 2, elements: [branch], filter: {ids: [1, 2, 3]}}]\n');
    expect(s.scenarios.map((x) => x.scenarioId)).toEqual([
      'n-2_branch_1_branch_2',
      'n-2_branch_1_branch_3',
      'n-2_branch_2_branch_3',
    ]);
    expect(s.scenarios[1].outages).toEqual([
      { type: 'branch', id: '1' },
      { type: 'branch', id: '3' },
    ]);
    expect(s.scenarios[1].description).toBe('N-2: branch 1 (1-2), branch 3 (2-3) out of service');
    expect(s.scenarios[1].metadata).toEqual({
      generator: { type: 'n_minus_k', index: 1, k: 2, elements: 'branch:1,branch:3' },
    });
    expect(s.notes).toEqual(['generators[0] (n_minus_k k=2): 3 outage set(s) of 2 over 3 element(s)']);
  });

  test('all case14 branch pairs: C(20, 2) = 190; exclude_islanding drops exactly the pairs that island', () => {
    expect(load('generators: [{type: n_minus_k, k: 2, elements: [branch]}]\n').scenarios).toHaveLength(190);
    const net = readCaseFile(CASE14);
    const ch = new IslandChecker(net);
    let islanding = 0;
    for (let a = 0; a < 20; a++)
      for (let b = a + 1; b < 20; b++) if (!ch.check(new Set([a, b]), new Set()).ok) islanding++;
    const kept = load('generators: [{type: n_minus_k, k: 2, elements: [branch], exclude_islanding: true}]\n');
    expect(kept.scenarios).toHaveLength(190 - islanding);
    expect(kept.scenarios.every((s) => !s.islanding)).toBe(true);
    expect(kept.notes?.[0]).toBe(
      `generators[0] (n_minus_k k=2): ${190 - islanding} outage set(s) of 2 over 20 element(s), ${islanding} islanding set(s) dropped (exclude_islanding)`,
    );
  });

  test('case118 N-2 over the branches at its 345 kV buses (filter base_kv), with mixed elements and templates', () => {
    const net = readCaseFile(CASE118);
    const kv = (b: number) => net.bus.baseKV[net.busIndex.get(b) as number];
    let at345 = 0;
    for (let l = 0; l < net.branch.n; l++)
      if (net.branch.status[l] && (kv(net.branch.fbus[l]) === 345 || kv(net.branch.tbus[l]) === 345)) at345++;
    expect(at345).toBeGreaterThan(10);
    const s = load(
      'generators: [{type: n_minus_k, k: 2, elements: [branch], filter: {base_kv: [345]}, name: hv, id_template: "{name}_{ids}"}]\n',
      CASE118,
    );
    expect(s.scenarios).toHaveLength((at345 * (at345 - 1)) / 2);
    expect(s.scenarios[0].scenarioId).toMatch(/^hv_\d+_\d+$/);
    for (const sc of s.scenarios) {
      for (const o of sc.outages) {
        const l = Number(o.id) - 1;
        expect(kv(net.branch.fbus[l]) === 345 || kv(net.branch.tbus[l]) === 345).toBe(true);
      }
    }
    const inArea = load(
      'generators: [{type: n_minus_k, k: 1, elements: [gen], filter: {areas: [1]}}]\n',
      CASE118,
    ).scenarios;
    const genIn1 = [...Array(net.gen.n).keys()].filter(
      (g) => net.gen.status[g] > 0 && net.bus.area[net.busIndex.get(net.gen.bus[g]) as number] === 1,
    );
    expect(inArea.map((x) => x.outages[0].id)).toEqual(genIn1.map((g) => String(g + 1)));
  });

  test('bad input names the key: k out of range, too many sets, unknown filter key', () => {
    expect(inputError(() => load('generators: [{type: n_minus_k, k: 4, elements: [branch]}]\n')).key).toBe(
      'generators[0].k',
    );
    expect(
      inputError(() => load('generators: [{type: n_minus_k, k: 3, elements: [branch, gen]}]\n', CASE118)).message,
    ).toMatch(/make [\d,]+ outage sets, over the limit/);
    expect(
      inputError(() => load('generators: [{type: n_minus_k, k: 2, elements: [branch], filter: {kv: [345]}}]\n')).key,
    ).toBe('generators[0].filter.kv');
  });
});

describe('random_outages', () => {
  const spec = (samples: number, extra = '') =>
    `generators: [{type: random_outages, samples: ${samples}, seed: 11, k_probabilities: [0.2, 0.5, 0.3], elements: [branch, gen]${extra}}]\n`;

  test('seeded: the same draws every time, sample s the same whatever samples is; no repeated outage set', () => {
    const bySample = (xs: ReturnType<typeof load>['scenarios']) =>
      xs.map((s) => [(s.metadata.generator as { index: number }).index, outageKey(s.outages)]);
    const a = load(spec(400), CASE118).scenarios;
    const b = load(spec(400), CASE118).scenarios;
    const c = load(spec(100), CASE118).scenarios;
    expect(b.map((s) => s.scenarioId)).toEqual(a.map((s) => s.scenarioId));
    expect(bySample(b)).toEqual(bySample(a));
    expect(bySample(c)).toEqual(bySample(a).filter(([i]) => (i as number) < 100));
    expect(a[0].scenarioId).toBe('outages_000');
    const keys = a.map((s) =>
      s.outages
        .map((o) => `${o.type}:${o.id}`)
        .sort()
        .join(','),
    );
    expect(new Set(keys).size).toBe(keys.length);
  });

  test('k follows k_probabilities (3,000 draws: within 3 percentage points); repeated sets are dropped and counted', () => {
    // k = 2 and 3 over 240 elements: repeats are rare, so the kept sets show the drawn distribution
    const s = load(
      'generators: [{type: random_outages, samples: 3000, seed: 5, k_probabilities: [0, 0.4, 0.6], elements: [branch, gen]}]\n',
      CASE118,
    );
    const counts = [2, 3].map((k) => s.scenarios.filter((x) => x.outages.length === k).length);
    const dropped = 3000 - s.scenarios.length;
    expect(dropped).toBeLessThan(30);
    [0.4, 0.6].forEach((p, i) => expect(Math.abs(counts[i] / 3000 - p)).toBeLessThan(0.03));
    expect(s.notes?.[0]).toBe(
      `generators[0] (random_outages): ${s.scenarios.length} distinct outage set(s) from 3000 draw(s) over 240 element(s) (${counts[0]} with k=2, ${counts[1]} with k=3); ${dropped} repeated draw(s) dropped`,
    );
    // case14 has 20 branches: k = 1 can only be drawn 20 distinct ways, so repeats appear and are dropped
    const small = load(
      'generators: [{type: random_outages, samples: 200, seed: 1, k_probabilities: [1], elements: [branch]}]\n',
    );
    expect(small.scenarios).toHaveLength(20);
    expect(small.notes?.[0]).toMatch(
      /20 distinct outage set\(s\) from 200 draw\(s\) over 20 element\(s\) \(20 with k=1\); 180 repeated draw\(s\) dropped/,
    );
  });

  test('probabilities must add up to 1 and k cannot exceed the filtered elements', () => {
    expect(
      inputError(() =>
        load(
          'generators: [{type: random_outages, samples: 5, seed: 1, k_probabilities: [0.5, 0.4], elements: [branch]}]\n',
        ),
      ).message,
    ).toMatch(/k_probabilities must add up to 1/);
    const e = inputError(() =>
      load(
        'generators: [{type: random_outages, samples: 5, seed: 1, k_probabilities: [0, 0, 1], elements: [branch], filter: {ids: [1, 2]}}]\n',
      ),
    );
    expect(e.key).toBe('generators[0].k_probabilities');
    expect(e.message).toMatch(/k = 3 has a probability above 0 but only 2 element\(s\) pass the filter/);
  });
});

describe('validate shows the counts before anything runs; the islands key', () => {
  test('validate --json lists the notes and the island rule', async () => {
    const file = writeSpec(
      dir,
      'v.yaml',
      head(
        'islands: slack_per_island\ngenerators: [{type: n_minus_k, k: 2, elements: [branch], filter: {ids: [13, 14, 19]}}]\n',
      ),
    );
    const r = await capture(() => validateCommand({ spec: file, json: true }));
    const out = JSON.parse(r.out) as { scenarios: number; notes: string[]; islands: string; islanding: unknown[] };
    expect(out).toMatchObject({
      scenarios: 3,
      islands: 'slack_per_island',
      notes: ['generators[0] (n_minus_k k=2): 3 outage set(s) of 2 over 3 element(s)'],
    });
    expect(out.islanding).toHaveLength(2); // both pairs with branch 14 cut bus 8 off
    const text = await capture(() => validateCommand({ spec: file }));
    expect(text.out).toContain(
      '2 scenario(s) split the network and run with their cut-off islands de-energized (islands: slack_per_island)',
    );
  });

  test('islands: a bad value names the key', () => {
    const e = inputError(() => loadSpec(writeSpec(dir, 'bad.yaml', head('islands: drop\ninclude_base: true\n'))));
    expect(e.key).toBe('islands');
    expect(e.message).toMatch(/islands must be deenergize, slack_per_island or fail, got "drop"/);
  });
});
