/**
 * The diagonal-pivot factorization's U pattern from the graph of column blocks
 * (lu-static-blocks.ts): on Jacobians in newtonpf's order (jacobian-order.ts: each PQ bus's Va
 * and Vm columns side by side) the blocks are the buses, and the factors, schedule and array
 * lengths are the column version's bit for bit; patterns it cannot take are left to it.
 */
import { Csc, cscFromTriplets } from '../../src/solvers/sparse/csc';
import { jacobianOrder } from '../../src/solvers/jacobian-order';
import { LuNumeric } from '../../src/solvers/sparse/lu-numeric';
import { permuteA } from '../../src/solvers/sparse/lu-refactor-schedule';
import { factorStaticPivots } from '../../src/solvers/sparse/lu-static-factor';
import { columnBlocks, upperPatternByBlocks } from '../../src/solvers/sparse/lu-static-blocks';
import { caseJacobian } from '../helpers/case-jacobian';

const bits = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** A in factor order q (what upperPatternByBlocks reads), pivots on the diagonal. */
function ordered(A: Csc, q: Int32Array): LuNumeric {
  const st = new LuNumeric(A.n);
  for (let k = 0; k < A.n; k++) st.pinv[q[k]] = k;
  permuteA(st, A.colPtr, A.rowIdx, q);
  return st;
}

describe.each(['case118', 'case1354pegase', 'case9241pegase'])('%s Jacobian in newtonpf order', (name) => {
  const cj = caseJacobian(name, 0.9);
  const J = cj.J;
  const q = jacobianOrder(cj.Ybus, cj.pv, cj.pq);

  it('merges each PQ bus into one block and gives the column version bit for bit', () => {
    const st = ordered(J, q);
    // about one block per bus: nearly every PQ bus's two columns merged (and the odd pair of
    // indistinguishable neighbouring buses; case9241pegase 9,234 blocks for 9,240 pv / pq buses)
    const { nb } = columnBlocks(J.n, st.aPtr, st.aRow);
    expect(J.n - nb).toBeGreaterThan(0.99 * cj.pq.length);
    expect(Math.abs(nb - cj.pv.length - cj.pq.length)).toBeLessThan(0.01 * nb);
    expect(upperPatternByBlocks(st, 16)).not.toBeNull();
    const blocks = new LuNumeric(J.n),
      columns = new LuNumeric(J.n);
    expect(factorStaticPivots(blocks, J, q, 1e-3, true)).toBe(true);
    expect(factorStaticPivots(columns, J, q, 1e-3, false)).toBe(true);
    for (const k of ['Lp', 'Li', 'Lx', 'Up', 'Ui', 'Ux', 'aRow', 'pair', 'uPair', 'uStep'] as const)
      expect([k, bits(blocks[k]).equals(bits(columns[k]))]).toEqual([k, true]);
    // one U entry per bus pair and then some: the blocks' expansion covers every column
    expect(blocks.Up[J.n]).toBeGreaterThan(J.colPtr[J.n] / 2);
  });
});

describe('column blocks on small patterns', () => {
  it('leaves a pattern with a missing diagonal or more entries below the diagonal than above to the caller', () => {
    // no (1, 1) entry
    const A = cscFromTriplets(3, 3, [0, 2, 0, 1, 2], [0, 0, 1, 2, 2], [1, 2, 3, 4, 5]);
    expect(upperPatternByBlocks(ordered(A, Int32Array.of(0, 1, 2)), 16)).toBeNull();
    // lower-triangular couplings only (a wrong symmetric promise)
    const B = cscFromTriplets(4, 4, [0, 1, 2, 3, 2, 3, 3], [0, 1, 2, 3, 0, 0, 1], [4, 5, 6, 7, 1, 2, 3]);
    expect(upperPatternByBlocks(ordered(B, Int32Array.of(0, 1, 2, 3)), 16)).toBeNull();
  });

  it('merges identical neighbouring columns and not columns whose rows differ, with the column version result', () => {
    // columns 0, 1 identical (rows 0, 1, 3), column 2 alone, column 3 couples to 0, 1 and 2
    const I = [0, 1, 3, 0, 1, 3, 2, 3, 0, 1, 2, 3];
    const Jc = [0, 0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 3];
    const V = [4, 1, 0.5, 1, 5, -0.5, 6, 1, 0.25, -1, 2, 7];
    const A = cscFromTriplets(4, 4, I, Jc, V);
    const q = Int32Array.of(0, 1, 2, 3);
    const blocks = new LuNumeric(4),
      columns = new LuNumeric(4);
    const st = ordered(A, q);
    expect(Array.from(columnBlocks(4, st.aPtr, st.aRow).start)).toEqual([0, 2, 3, 4, 0]);
    expect(factorStaticPivots(blocks, A, q, 1e-3, true)).toBe(true);
    expect(factorStaticPivots(columns, A, q, 1e-3, false)).toBe(true);
    for (const k of ['Lp', 'Li', 'Lx', 'Up', 'Ui', 'Ux'] as const)
      expect([k, bits(blocks[k]).equals(bits(columns[k]))]).toEqual([k, true]);
    // U(:,1) = rows 0, then its diagonal; U(:,3) = rows 0, 1, 2, then 3
    expect(Array.from(blocks.Ui.subarray(blocks.Up[1], blocks.Up[2]))).toEqual([0, 1]);
    expect(Array.from(blocks.Ui.subarray(blocks.Up[3], blocks.Up[4]))).toEqual([0, 1, 2, 3]);
  });
});
