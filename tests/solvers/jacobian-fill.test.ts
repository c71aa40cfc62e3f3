/**
 * fillJacobian (ac-jacobian.ts) writes MATPOWER's Newton Jacobian
 * J = [Re dS/dVa(pvpq, pvpq) Re dS/dVm(pvpq, pq); Im dS/dVa(pq, pvpq) Im dS/dVm(pq, pq)] entry by
 * entry (dS/dV from dSbus_dV, checked against finite differences in ybus.test.ts), including
 * after the values of another point were written (every entry is rewritten), identity rows and
 * columns for fixed buses, and its unconditional writes of values J has no place for stay in
 * the spill slot past J.values.
 */
import { dSbus_dV, fillJacobian } from '../../src/solvers/ac-jacobian';
import type { ZCsc, ZVec } from '../../src/solvers/sparse/zcsc';
import { zvec } from '../../src/solvers/sparse/zcsc';
import { busInjections } from '../../src/solvers/newtonpf';
import { caseJacobian } from '../helpers/case-jacobian';

function random(seed: number): () => number {
  let s = seed;
  return () => (s = (s * 16807) % 2147483647) / 2147483647;
}

/** Entry (i, k) of a matrix on Ybus's pattern. */
function entry(A: ZCsc, i: number, k: number): [number, number] {
  for (let p = A.colPtr[k]; p < A.colPtr[k + 1]; p++) if (A.rowIdx[p] === i) return [A.re[p], A.im[p]];
  return [0, 0];
}

describe.each(['case118', 'case1354pegase'])('fillJacobian on %s', (name) => {
  const { Ybus, pv, pq, pattern } = caseJacobian(name);
  const nb = Ybus.n;
  const { J, colBus, colIsVm, nP } = pattern;
  // each J row's bus: P rows are [pv; pq], Q rows pq
  const rowBus = Int32Array.from([...pv, ...pq, ...pq]);

  function pointAt(seed: number): { V: ZVec; Vm: Float64Array; S: ZVec } {
    const rnd = random(seed);
    const Vm = Float64Array.from({ length: nb }, () => 0.9 + 0.2 * rnd());
    const V = zvec(nb);
    for (let i = 0; i < nb; i++) {
      const a = rnd() - 0.5;
      V.re[i] = Vm[i] * Math.cos(a);
      V.im[i] = Vm[i] * Math.sin(a);
    }
    const S = zvec(nb);
    busInjections(Ybus, V, zvec(nb), S);
    return { V, Vm, S };
  }

  it("is MATPOWER's J from dSbus_dV, entry by entry, after another point's values", () => {
    const other = pointAt(99);
    fillJacobian(pattern, Ybus, other.V, other.Vm, other.S);
    const { V, Vm, S } = pointAt(1);
    fillJacobian(pattern, Ybus, V, Vm, S);
    expect(J.values.length).toBe(J.colPtr[J.n]);
    const { dSbus_dVa, dSbus_dVm } = dSbus_dV(Ybus, V);
    let worst = 0;
    for (let c = 0; c < J.n; c++) {
      const k = colBus[c];
      const D = colIsVm[c] ? dSbus_dVm : dSbus_dVa;
      for (let q = J.colPtr[c]; q < J.colPtr[c + 1]; q++) {
        const r = J.rowIdx[q];
        const [re, im] = entry(D, rowBus[r], k);
        const want = r < nP ? re : im;
        worst = Math.max(worst, Math.abs(J.values[q] - want) / Math.max(1, Math.abs(want)));
      }
    }
    expect(worst).toBeLessThan(1e-12);
  });

  it('writes identity rows and columns for fixed buses; the spill slot is outside J', () => {
    const { V, Vm, S } = pointAt(2);
    const fixed = new Uint8Array(nb);
    fixed[pq[4]] = 1;
    fixed[pv[2]] = 1;
    fillJacobian(pattern, Ybus, V, Vm, S, fixed);
    const rowFixed = (r: number) => fixed[rowBus[r]] === 1;
    let checked = 0;
    for (let c = 0; c < J.n; c++) {
      for (let q = J.colPtr[c]; q < J.colPtr[c + 1]; q++) {
        const r = J.rowIdx[q];
        if (fixed[colBus[c]] || rowFixed(r)) {
          expect(J.values[q]).toBe(r === c ? 1 : 0);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(4);
    expect(pattern.room.length).toBe(J.values.length + 1);
    expect(J.values.buffer).toBe(pattern.room.buffer);
  });
});
