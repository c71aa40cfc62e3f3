/**
 * ybus-pattern.ts builds the same patterns and triplet positions as the general
 * tripletPattern on ybus-assembly.ts's triplets: every fixture case, and a small network with
 * parallel branches, a self-loop branch and an isolated bus.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { elementStatus } from '../../src/solvers/bustypes';
import { branchBusPattern, ybusPattern } from '../../src/solvers/ybus-pattern';
import { tripletPattern, TripletPattern } from '../../src/solvers/sparse/triplet-pattern';
import { casePath, fixtureCaseNames } from '../helpers/cases';

/** The triplets ybus-assembly.ts used to pass to tripletPattern. */
function viaTriplets(nl: number, nb: number, rows: Int32Array, f: Int32Array, t: Int32Array) {
  const np = rows.length;
  const br = new Int32Array(2 * np),
    bc = new Int32Array(2 * np),
    yr = new Int32Array(4 * np + nb),
    yc = new Int32Array(4 * np + nb);
  for (let k = 0; k < np; k++) {
    const l = rows[k],
      a = f[l],
      b = t[l];
    br.set([l, l], 2 * k);
    bc.set([a, b], 2 * k);
    yr.set([a, a, b, b], 4 * k);
    yc.set([a, b, a, b], 4 * k);
  }
  for (let i = 0; i < nb; i++) {
    yr[4 * np + i] = i;
    yc[4 * np + i] = i;
  }
  return { ybus: tripletPattern(nb, nb, yr, yc), yf: tripletPattern(nl, nb, br, bc) };
}

function same(a: TripletPattern, b: TripletPattern): void {
  expect([a.m, a.n]).toEqual([b.m, b.n]);
  expect(Array.from(a.colPtr)).toEqual(Array.from(b.colPtr));
  expect(Array.from(a.rowIdx)).toEqual(Array.from(b.rowIdx));
  expect(Array.from(a.pos)).toEqual(Array.from(b.pos));
}

describe('ybusPattern / branchBusPattern', () => {
  it.each(fixtureCaseNames())('%s: same as tripletPattern', (name) => {
    const net = readCaseFile(casePath(name));
    const st = elementStatus(net);
    const rows = Int32Array.from({ length: net.branch.n }, (_, l) => l).filter(
      (l) => st.busOn[st.f[l]] === 1 && st.busOn[st.t[l]] === 1,
    );
    const ref = viaTriplets(net.branch.n, net.bus.n, rows, st.f, st.t);
    same(ybusPattern(net.bus.n, rows, st.f, st.t), ref.ybus);
    same(branchBusPattern(net.branch.n, net.bus.n, rows, st.f, st.t), ref.yf);
  });

  it('parallel branches, a self-loop and an isolated bus', () => {
    const f = Int32Array.of(3, 0, 1, 3, 2, 0);
    const t = Int32Array.of(0, 3, 1, 0, 4, 2);
    const rows = Int32Array.of(0, 1, 2, 3, 5); // branch 4 left out (its bus out of service)
    const ref = viaTriplets(6, 6, rows, f, t);
    same(ybusPattern(6, rows, f, t), ref.ybus);
    same(branchBusPattern(6, 6, rows, f, t), ref.yf);
  });
});
