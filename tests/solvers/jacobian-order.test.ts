/**
 * The Jacobian's bus-graph AMD order (jacobian-order.ts), which the TypeScript LU's first
 * factorization in newtonpf uses, against the merged-column AMD on J itself (amd-blocks.ts):
 * a permutation of J's columns that keeps each PQ bus's Va and Vm columns together, with fill
 * within 2% of the merged-column order, and factors that solve J x = b to rounding; with
 * libamd as the graph order, KLU analyzes J on it (klu_analyze_given) as newtonpf does. The
 * graph goes to AMD without its diagonal and with room to spare (amdGraph): the same order as
 * amd.ts forming A + A' itself.
 */
import { jacobianOrder } from '../../src/solvers/jacobian-order';
import { amdBlocks } from '../../src/solvers/sparse/amd-blocks';
import { amd } from '../../src/solvers/sparse/amd';
import { cscMulVec } from '../../src/solvers/sparse/csc';
import { luFactor } from '../../src/solvers/sparse/lu';
import { caseJacobian } from '../helpers/case-jacobian';
import { luBackends } from '../helpers/lu-backends';
import { kluFactor } from '../../src/solvers/sparse/klu-native';
import { libamdOrder } from '../../src/solvers/sparse/klu-block-order';

const withKlu = luBackends('jacobianOrder with libamd').includes('klu');

describe.each(['case118', 'case1354pegase', 'case9241pegase'])('jacobianOrder on %s', (name) => {
  const { J, Ybus, pv, pq, pattern: pat } = caseJacobian(name);
  const q = jacobianOrder(Ybus, pv, pq);

  it('is a permutation of the columns with each PQ bus Va column right before its Vm column', () => {
    expect(q.length).toBe(J.n);
    const seen = new Uint8Array(J.n);
    for (const c of q) seen[c]++;
    expect(seen.every((x) => x === 1)).toBe(true);
    const nP = pv.length + pq.length;
    let apart = 0;
    for (let k = 0; k < q.length; k++) {
      if (q[k] < nP) continue;
      // a Vm column follows its bus's Va column
      if (k === 0 || pat.colBus[q[k - 1]] !== pat.colBus[q[k]] || pat.colIsVm[q[k - 1]] !== 0) apart++;
    }
    expect(apart).toBe(0);
  });

  it("is the order amd.ts gives through its own A + A' pattern of the graph (same tie-breaks)", () => {
    const viaAmd = jacobianOrder(Ybus, pv, pq, (A) =>
      amd({ m: A.n, n: A.n, colPtr: A.colPtr, rowIdx: A.rowIdx, values: new Float64Array(0) }),
    );
    expect(Array.from(q)).toEqual(Array.from(viaAmd));
  });

  it('fills within 2% of the merged-column AMD and solves J x = b', () => {
    const ours = luFactor(J, { symbolic: { n: J.n, q } });
    const merged = luFactor(J, { symbolic: { n: J.n, q: amdBlocks(J) } });
    const fill = (f: typeof ours) => f.stats.nnzL + f.stats.nnzU;
    expect(fill(ours)).toBeLessThanOrEqual(1.02 * fill(merged));
    const x0 = Float64Array.from({ length: J.n }, (_, k) => Math.sin(k + 1));
    const b = cscMulVec(J, x0);
    const x = ours.solve(b);
    let err = 0;
    for (let k = 0; k < J.n; k++) err = Math.max(err, Math.abs(x[k] - x0[k]));
    expect(err).toBeLessThan(1e-8);
  });

  (withKlu ? it : it.skip)('with libamd, KLU factors J on it (klu_analyze_given) and solves J x = b', () => {
    const amd = libamdOrder();
    expect(amd).not.toBeNull();
    const qk = jacobianOrder(Ybus, pv, pq, amd as NonNullable<typeof amd>);
    const seen = new Uint8Array(J.n);
    for (const c of qk) seen[c]++;
    expect(seen.every((x) => x === 1)).toBe(true);
    const f = kluFactor(J, { scale: 0, btf: false, order: qk });
    const x0 = Float64Array.from({ length: J.n }, (_, k) => Math.cos(k + 1));
    const x = f.solve(cscMulVec(J, x0));
    f.dispose();
    let err = 0;
    for (let k = 0; k < J.n; k++) err = Math.max(err, Math.abs(x[k] - x0[k]));
    expect(err).toBeLessThan(1e-8);
  });
});
