/** AC OPF on case9241pegase (slow: run on its own). */
import { solveOpfAc } from '../../src/solvers/opf';
import { balanceMismatch, limitViolation, loadCase, mpRun, relErr } from './opf-helpers';

it('case9241pegase converges to MATPOWER runopf objective', () => {
  const mp = mpRun('case9241pegase', 'runopf_ac');
  const net = loadCase('case9241pegase');
  const s = solveOpfAc(net);
  expect(s.error).toBeNull();
  expect(s.converged).toBe(true);
  expect(relErr(s.objective as number, mp.f as number)).toBeLessThan(1e-5);
  expect(balanceMismatch(net, s, true)).toBeLessThan(1e-2);
  expect(limitViolation(net, s, true)).toBeLessThan(1e-3);
}, 1_800_000);
