/**
 * The fused evaluation of the Newton equations (fused-evaluation.ts, newtonpf's evaluateAt) must
 * give V, I, S, F and ||F||_inf bit for bit as polarToRect, busInjections and mismatch do one
 * after the other: at random points, with buses at V = 0 (skipped in the sums), with buses held
 * fixed (F = 0, out of the norm), and NaN when an entry is not finite.
 */
import { busInjections, evaluateAt, mismatch, newtonpfWorkspace, polarToRect } from '../../src/solvers/newtonpf';
import { injectionsAndMismatch, mismatchRows } from '../../src/solvers/fused-evaluation';
import { rowPositions } from '../../src/solvers/bus-injections';
import { ZVec, zvec } from '../../src/solvers/sparse/zcsc';
import { caseJacobian, randomOperatingPoint } from '../helpers/case-jacobian';

function expectSame(a: Float64Array, b: Float64Array): void {
  expect(a.length).toBe(b.length);
  let differ = 0;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) differ++;
  expect(differ).toBe(0);
}

describe.each(['case118', 'case1354pegase'])('fused evaluation on %s', (name) => {
  const { Ybus, pv, pq, J } = caseJacobian(name);
  const nb = Ybus.n;
  const tpos = rowPositions(Ybus) as Int32Array;
  const rows = mismatchRows(nb, pv, pq);

  const point = (seed: number) => randomOperatingPoint(nb, seed);

  function both(Vm: Float64Array, Va: Float64Array, Sbus: ZVec, fixed?: Uint8Array) {
    const a = { V: zvec(nb), I: zvec(nb), S: zvec(nb), F: new Float64Array(J.n) };
    polarToRect(Vm, Va, a.V);
    busInjections(Ybus, a.V, a.I, a.S);
    const normA = mismatch(a.S, Sbus, pv, pq, a.F, fixed);
    const b = { V: zvec(nb), I: zvec(nb), S: zvec(nb), F: new Float64Array(J.n) };
    const normB = injectionsAndMismatch(Ybus, tpos, Vm, Va, b.V, b.I, b.S, Sbus, rows, b.F, fixed);
    return { a, b, normA, normB };
  }

  it('has row positions (the fused path is the one taken)', () => {
    expect(tpos).not.toBeNull();
  });

  it('gives V, I, S, F and the norm of the three passes bit for bit, with buses at V = 0', () => {
    for (const seed of [1, 7, 42]) {
      const { Vm, Va, Sbus } = point(seed);
      // buses cut off (V = 0): a pq bus and a pv bus
      Vm[pq[3]] = 0;
      Vm[pv[1]] = 0;
      const { a, b, normA, normB } = both(Vm, Va, Sbus);
      expect(normB).toBe(normA);
      expect(normA).toBeGreaterThan(0);
      for (const k of ['V', 'I', 'S'] as const) {
        expectSame(b[k].re, a[k].re);
        expectSame(b[k].im, a[k].im);
      }
      expectSame(b.F, a.F);
    }
  });

  it('writes F = 0 for fixed buses and leaves them out of the norm', () => {
    const { Vm, Va, Sbus } = point(3);
    const fixed = new Uint8Array(nb);
    fixed[pq[0]] = 1;
    fixed[pv[0]] = 1;
    // a huge mismatch on a fixed bus must not reach the norm
    Sbus.re[pq[0]] = 1e6;
    const { a, b, normA, normB } = both(Vm, Va, Sbus, fixed);
    expect(normB).toBe(normA);
    expect(normB).toBeLessThan(1e5);
    expectSame(b.F, a.F);
    expect(b.F[0]).toBe(0); // pv[0]'s P row
    expect(b.F[pv.length]).toBe(0); // pq[0]'s P row
    expect(b.F[pv.length + pq.length]).toBe(0); // pq[0]'s Q row
  });

  it('is NaN when a mismatch is not finite', () => {
    const { Vm, Va, Sbus } = point(5);
    Va[pq[2]] = NaN;
    const { normA, normB } = both(Vm, Va, Sbus);
    expect(normA).toBeNaN();
    expect(normB).toBeNaN();
    const p2 = point(6);
    p2.Sbus.im[pq[1]] = Infinity;
    expect(both(p2.Vm, p2.Va, p2.Sbus).normB).toBeNaN();
  });

  it("evaluateAt on a Newton workspace gives the three passes' numbers", () => {
    const { Vm, Va, Sbus } = point(11);
    const ws = newtonpfWorkspace(Ybus, pv, pq);
    ws.Vm.set(Vm);
    ws.Va.set(Va);
    const norm = evaluateAt(Ybus, Sbus, ws);
    const { a, normA } = both(Vm, Va, Sbus);
    expect(norm).toBe(normA);
    expectSame(ws.S.re, a.S.re);
    expectSame(ws.S.im, a.S.im);
    expectSame(ws.F, a.F);
  });
});
