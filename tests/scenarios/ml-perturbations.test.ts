/** Generator cost and branch admittance perturbations of load_perturbation samples: seeded, recorded, applied. */
import { loadStudy } from '../../src/scenarios/load-spec';
import { applyScenario } from '../../src/scenarios/apply';
import { perturbableGenerators } from '../../src/scenarios/ml-perturbations';
import { head, inputError, tempDir, writeSpec } from './helpers';

const gen = (extra: string) =>
  head(
    `generators:\n  - {type: load_perturbation, samples: 20, seed: 11, global_range: [0.9, 1.1], local_noise: 0.05${extra}}\n`,
  );

function load(extra: string) {
  return loadStudy(writeSpec(tempDir(), 'study.yaml', gen(extra)));
}

describe('ML perturbations of load_perturbation samples', () => {
  test('permute: each sample records a permutation of the non-constant cost rows, applied by applyScenario; load factors unchanged', () => {
    const { study, grid } = load(', cost_perturbation: {type: permute}');
    const plain = load('').study;
    const movable = perturbableGenerators(grid);
    expect(movable.length).toBeGreaterThan(1);
    const seen = new Set<string>();
    study.scenarios.forEach((s, k) => {
      expect(s.loadFactors).toEqual(plain.scenarios[k].loadFactors);
      expect(s.loadScale).toBe(plain.scenarios[k].loadScale);
      const src = s.genCostSource!;
      expect([...src].sort((a, b) => a - b)).toEqual([...Array(grid.gen.n).keys()]);
      for (let g = 0; g < grid.gen.n; g++) if (!movable.includes(g)) expect(src[g]).toBe(g);
      seen.add(src.join(','));
      const net = applyScenario(grid, s, null);
      for (let g = 0; g < grid.gen.n; g++) expect(net.gencost[g].coeffs).toEqual(grid.gencost[src[g]].coeffs);
    });
    expect(seen.size).toBeGreaterThan(1);
    expect(load(', cost_perturbation: {type: permute}').study.scenarios.map((s) => s.genCostSource)).toEqual(
      study.scenarios.map((s) => s.genCostSource),
    );
  });

  test('scale and admittance: factors within [1 - sigma, 1 + sigma], constant costs untouched, r and x scaled', () => {
    const { study, grid } = load(
      ', cost_perturbation: {type: scale, sigma: 0.2}, admittance_perturbation: {sigma: 0.1}',
    );
    const movable = new Set(perturbableGenerators(grid));
    for (const s of study.scenarios) {
      const net = applyScenario(grid, s, null);
      s.genCostFactors!.forEach((f, g) => {
        for (const x of f) {
          if (movable.has(g)) {
            expect(x).toBeGreaterThanOrEqual(0.8);
            expect(x).toBeLessThan(1.2);
          } else expect(x).toBe(1);
        }
        expect(net.gencost[g].coeffs).toEqual(grid.gencost[g].coeffs.map((c, i) => c * f[i]));
      });
      expect(s.branchImpedanceFactors).toHaveLength(grid.branch.n);
      s.branchImpedanceFactors!.forEach((f, l) => {
        expect(f).toBeGreaterThanOrEqual(0.9);
        expect(f).toBeLessThan(1.1);
        expect(net.branch.r[l]).toBeCloseTo(grid.branch.r[l] * f, 15);
        expect(net.branch.x[l]).toBeCloseTo(grid.branch.x[l] * f, 15);
      });
    }
    // the draws are part of the scenario's content
    expect(new Set(study.scenarios.map((s) => s.hash)).size).toBe(20);
    expect(study.scenarios[0].hash).not.toBe(load('').study.scenarios[0].hash);
  });

  test('scale without sigma and an unknown type are errors naming the key', () => {
    expect(inputError(() => load(', cost_perturbation: {type: scale}')).message).toMatch(
      /cost_perturbation.*needs sigma/,
    );
    expect(inputError(() => load(', cost_perturbation: {type: shuffle}')).message).toMatch(
      /cost_perturbation.*type must be permute or scale/,
    );
    expect(inputError(() => load(', admittance_perturbation: {sigma: 2}')).message).toMatch(
      /admittance_perturbation.*sigma must be between 0 and 1/,
    );
  });
});
