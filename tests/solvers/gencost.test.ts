/**
 * generationCost (the report's and featurize's cost of a dispatch) is MATPOWER's totcost summed
 * over in-service generators: at MATPOWER's OPF dispatch it gives MATPOWER's objective f, for
 * piecewise-linear rows (t_case9_opf) and polynomials (pglib cases).
 */
import { GenCostRow } from '../../src/grid/network';
import { generationCost, totcost } from '../../src/solvers/gencost';
import { loadCase, mpRun, relErr } from './opf-helpers';

// piecewise-linear costs: MATPOWER's f is the sum of the cost variables y, which sit on the cost
// curve only to the solver's tolerance (8e-8 relative here); polynomials are exact
const CASES: Array<[string, 'rundcopf' | 'runopf_ac', number]> = [
  ['t_case9_opf', 'runopf_ac', 1e-6],
  ['t_case9_opf', 'rundcopf', 1e-6],
  ['pglib_opf_case14_ieee', 'runopf_ac', 1e-12],
  ['pglib_opf_case118_ieee', 'runopf_ac', 1e-12],
  ['case30', 'rundcopf', 1e-12],
];

describe('generationCost', () => {
  it.each(CASES)('%s %s: the cost of MATPOWER dispatch is its objective f', (name, run, tol) => {
    const net = loadCase(name);
    const mp = mpRun(name, run);
    expect(relErr(generationCost(net, mp.pg ?? []), mp.f ?? NaN)).toBeLessThan(tol);
  });

  it('interpolates and extrapolates piecewise-linear rows as totcost', () => {
    const row: GenCostRow = { model: 1, startup: 0, shutdown: 0, coeffs: [0, 0, 100, 2500, 200, 5500] };
    expect(totcost(row, 50)).toBe(1250);
    expect(totcost(row, 150)).toBe(4000);
    expect(totcost(row, 250)).toBe(7000);
    expect(totcost(row, -10)).toBe(-250);
    expect(totcost({ model: 2, startup: 0, shutdown: 0, coeffs: [0.11, 5, 150] } as GenCostRow, 100)).toBeCloseTo(
      1750,
      9,
    );
  });
});
