/**
 * pfsoln's branch flows computed per branch from Yf / Yt row pairs (branch-row-pairs.ts) equal
 * the column-order matrix products bit for bit: solved voltages of the base case and of outage
 * variants (branches out, Yf / Yt entries explicit zeros), and voltages with buses at V = 0.
 */
import { elementStatus } from '../../src/solvers/bustypes';
import { readCaseFile } from '../../src/grid/matpower-case';
import { fillYbus, ybusAssembly } from '../../src/solvers/ybus-assembly';
import { branchFlows } from '../../src/solvers/pfsoln';
import { rowPairs } from '../../src/solvers/branch-row-pairs';
import { solvePfAc } from '../../src/solvers/pf-ac';
import { zvec } from '../../src/solvers/sparse/zcsc';
import { casePath } from '../helpers/cases';

function expectBitEqual(a: Float64Array, b: Float64Array, what: string): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) throw new Error(`${what}[${i}]: ${a[i]} vs ${b[i]}`);
  }
}

describe.each(['case9', 'case118', 'case1354pegase'])('%s', (name) => {
  const net = readCaseFile(casePath(name));
  const sol = solvePfAc(net);
  const nb = net.bus.n,
    nl = net.branch.n;
  const V = zvec(nb);
  for (let i = 0; i < nb; i++) {
    const a = (sol.bus.vaDeg[i] * Math.PI) / 180;
    V.re[i] = sol.bus.vm[i] * Math.cos(a);
    V.im[i] = sol.bus.vm[i] * Math.sin(a);
  }

  it('has two entries per Yf / Yt row', () => {
    const st = elementStatus(net);
    const Y = fillYbus(ybusAssembly(net, st), net, st);
    expect(rowPairs(Y.Yf, true)).toBeNull(); // a pattern seen once: the matrix products
    const pairs = rowPairs(Y.Yf, true);
    expect(pairs).not.toBeNull();
    expect(rowPairs(Y.Yf)).toBe(pairs);
    expect(Y.Yt.rowIdx).toBe(Y.Yf.rowIdx);
  });

  it.each([
    ['the base case', [] as number[], [] as number[]],
    ['three branches out', [0, 3, 7], []],
    ['buses at V = 0', [2], [1, 4]],
  ])('flows by row pairs equal the matrix products: %s', (_what, off, zeroBuses) => {
    const st = elementStatus(net);
    const asm = ybusAssembly(net, st);
    const Y = fillYbus(asm, net, st);
    const branchOn = st.branchOn.slice();
    for (const l of off) branchOn[l] = 0;
    const Yv = fillYbus(asm, net, { ...st, branchOn });
    expect(Yv.Yf.rowIdx).toBe(Yv.Yt.rowIdx);
    const W = { re: V.re.slice(), im: V.im.slice() };
    for (const i of zeroBuses) {
      W.re[i] = 0;
      W.im[i] = 0;
    }
    const byProducts = branchFlows(Yv.Yf, Yv.Yt, W, st.f, st.t, branchOn, net.baseMVA);
    const out = {
      pf: new Float64Array(nl),
      qf: new Float64Array(nl),
      pt: new Float64Array(nl),
      qt: new Float64Array(nl),
    };
    rowPairs(Yv.Yf); // the pairs path from the first call on
    const byPairs = branchFlows(Yv.Yf, Yv.Yt, W, st.f, st.t, branchOn, net.baseMVA, out);
    expect(byPairs.pf).toBe(out.pf);
    for (const k of ['pf', 'qf', 'pt', 'qt'] as const) expectBitEqual(byPairs[k], byProducts[k], k);
    expect(Y.Yf.rowIdx).toBe(Yv.Yf.rowIdx);
  });
});
