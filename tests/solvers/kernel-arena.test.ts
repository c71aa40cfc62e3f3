/**
 * Kept factors and prepared solvers share WebAssembly memories and instances (kernel-arena.ts):
 * factorizations bound in one shared instance, refactored and solved in turn, give the
 * TypeScript kernels' bits; a released region serves the next factorization; and prepared
 * solvers whose Newton workspaces share an instance, solved alternately, give the bits of each
 * solved alone on the TypeScript Newton kernels (newton-wasm.ts computes them bit for bit).
 */
import { luFactor } from '../../src/solvers/sparse/lu';
import { jacobianOrder } from '../../src/solvers/jacobian-order';
import { readCaseFile } from '../../src/grid/matpower-case';
import { prepareAcPf } from '../../src/solvers/pf-ac';
import { branchOutageView } from '../../src/scenarios/network-draft';
import { caseJacobian } from '../helpers/case-jacobian';
import { casePath } from '../helpers/cases';

function expectSameBits(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) throw new Error(`entry ${i}: ${a[i]} vs ${b[i]}`);
}

const rhs = (n: number, k: number) => Float64Array.from({ length: n }, (_, i) => Math.sin(i * k + 1));

describe('shared kernel memories', () => {
  it('kept factors in one instance, refactored and solved in turn, give the TypeScript kernels bits', () => {
    const cjs = [caseJacobian('case118'), caseJacobian('case30'), caseJacobian('case118', 0.5)];
    const make = (kernel: 'ts' | 'wasm') =>
      cjs.map((cj) =>
        luFactor(cj.J, {
          symbolic: { n: cj.J.n, q: jacobianOrder(cj.Ybus, cj.pv, cj.pq), symmetricPattern: true },
          kernel,
          kept: kernel === 'wasm',
        }),
      );
    const ts = make('ts'),
      wasm = make('wasm');
    const later = caseJacobian('case118', 0.7).J.values;
    for (let round = 0; round < 3; round++) {
      for (let k = 0; k < cjs.length; k++) {
        const J = round === 1 && k !== 1 ? { ...cjs[k].J, values: later } : cjs[k].J;
        ts[k].refactor(J);
        wasm[k].refactor(J);
      }
      for (let k = cjs.length - 1; k >= 0; k--) {
        const b = rhs(cjs[k].J.n, round + k);
        expectSameBits(wasm[k].solve(b), ts[k].solve(b));
      }
    }
    // a released region serves the next kept factorization, which computes the same bits
    wasm[2].dispose();
    const again = luFactor(cjs[2].J, {
      symbolic: { n: cjs[2].J.n, q: jacobianOrder(cjs[2].Ybus, cjs[2].pv, cjs[2].pq), symmetricPattern: true },
      kernel: 'wasm',
      kept: true,
    });
    ts[2].refactor(cjs[2].J);
    for (const k of [0, 1]) {
      const b = rhs(cjs[k].J.n, 7);
      expectSameBits(wasm[k].solve(b), ts[k].solve(b));
    }
    const b = rhs(cjs[2].J.n, 9);
    expectSameBits(again.solve(b), ts[2].solve(b));
  });

  it('prepared solvers solved alternately give the bits of each solved alone on the TypeScript kernels', () => {
    const nets = ['case118', 'case30'].map((n) => readCaseFile(casePath(n)));
    const outages = [1, 2, 3, 4, 5];
    const before = process.env.GRIDBATCH_NEWTON_KERNEL;
    process.env.GRIDBATCH_NEWTON_KERNEL = 'ts';
    let alone;
    try {
      alone = nets.map((net) => {
        const p = prepareAcPf(net);
        return outages.map((l) => p.solve(branchOutageView(net, [l]), { tol: 1e-8, maxIt: 10 }));
      });
    } finally {
      if (before === undefined) delete process.env.GRIDBATCH_NEWTON_KERNEL;
      else process.env.GRIDBATCH_NEWTON_KERNEL = before;
    }
    const ps = nets.map((net) => prepareAcPf(net));
    for (let k = 0; k < outages.length; k++) {
      for (let c = 0; c < nets.length; c++) {
        const s = ps[c].solve(branchOutageView(nets[c], [outages[k]]), { tol: 1e-8, maxIt: 10 });
        const a = alone[c][k];
        expect(s.converged).toBe(a.converged);
        expectSameBits(s.bus.vm, a.bus.vm);
        expectSameBits(s.bus.vaDeg, a.bus.vaDeg);
        expectSameBits(s.branch.pf, a.branch.pf);
        expectSameBits(s.branch.qt, a.branch.qt);
      }
    }
  });
});
