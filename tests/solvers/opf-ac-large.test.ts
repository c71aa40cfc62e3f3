/**
 * AC OPF on case9241pegase (slow: run on its own), with the README's bounds: objective within
 * 1e-13 relative of MATPOWER's runopf (measured 2.2e-15), Vm within 1e-8 p.u. (1.7e-9), Pg within
 * 1e-5 MW (1.1e-7 to 3.0e-6 depending on the LU backend and Ybus ordering), lam_p within 1e-9
 * $/MWh (1.4e-11), the same 44 MIPS iterations.
 */
import { solveOpfAc } from '../../src/solvers/opf';
import { luBackends, useLuBackend } from '../helpers/lu-backends';
import { balanceMismatch, limitViolation, loadCase, maxAbs, mpRun, relErr } from './opf-helpers';

// KKT systems on KLU where it is installed and on the TypeScript LU (kkt-solver.ts)
describe.each(luBackends('AC OPF case9241pegase'))('LU %s', (backend) => {
  useLuBackend(backend);
  it('case9241pegase converges to MATPOWER runopf, iteration for iteration', () => {
    const mp = mpRun('case9241pegase', 'runopf_ac');
    const net = loadCase('case9241pegase');
    const s = solveOpfAc(net);
    expect(s.error).toBeNull();
    expect(s.converged).toBe(true);
    expect(relErr(s.objective as number, mp.f as number)).toBeLessThan(1e-13);
    expect(maxAbs(s.bus.vm, mp.vm as number[])).toBeLessThan(1e-8);
    expect(maxAbs(s.gen.pg, mp.pg as number[])).toBeLessThan(1e-5);
    expect(maxAbs(s.bus.lamP as Float64Array, mp.lam_p as number[])).toBeLessThan(1e-9);
    expect(s.iterations).toBe(mp.solver_iterations);
    expect(s.iterations).toBe(44);
    expect(balanceMismatch(net, s, true)).toBeLessThan(1e-2);
    expect(limitViolation(net, s, true)).toBeLessThan(1e-3);
  }, 1_800_000);
});
