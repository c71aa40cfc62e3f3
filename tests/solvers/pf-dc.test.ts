/** DC power flow against MATPOWER 8.1 rundcpf on every case of tests/fixtures/cases, on both LU backends. */
import { readCaseFile } from '../../src/grid/matpower-case';
import { solvePfDc } from '../../src/solvers/pf-dc';
import { casePath, matpowerComputed, fixtureCaseNames } from '../helpers/cases';
import { luBackends, useLuBackend } from '../helpers/lu-backends';

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
};

describe.each(luBackends('tests/solvers/pf-dc.test.ts'))(
  'DC power flow matches MATPOWER rundcpf (%s LU)',
  (backend) => {
    useLuBackend(backend);
    for (const name of fixtureCaseNames()) {
      test(name, () => {
        const ref = matpowerComputed(name).rundcpf;
        expect(ref.success).toBe(1);
        const net = readCaseFile(casePath(name));
        const s = solvePfDc(net);
        expect(s.error).toBeNull();
        expect(s.converged).toBe(true);
        expect(maxAbsDiff(s.bus.vaDeg, ref.va_deg)).toBeLessThan(1e-8);
        expect(maxAbsDiff(s.bus.vm, ref.vm)).toBeLessThan(1e-12);
        expect(maxAbsDiff(s.branch.pf, ref.branch_pf)).toBeLessThan(1e-6);
        expect(maxAbsDiff(s.branch.pt, ref.branch_pt)).toBeLessThan(1e-6);
        expect(maxAbsDiff(s.gen.pg, ref.pg)).toBeLessThan(1e-6);
      });
    }
  },
);
