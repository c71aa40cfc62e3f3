/**
 * Outage variants patched from the base Ybus (ybus-patch.ts) equal a full fillYbus bit for bit,
 * and the bridges (bridges.ts) are exactly the branches whose single outage changes the
 * connected components (checked against union-find on every outage).
 */
import { busComponents, elementStatus, Status } from '../../src/solvers/bustypes';
import { bridges } from '../../src/solvers/bridges';
import { readCaseFile } from '../../src/grid/matpower-case';
import type { Network } from '../../src/grid/network';
import type { ZCsc } from '../../src/solvers/sparse/zcsc';
import { fillYbus, ybusAssembly } from '../../src/solvers/ybus-assembly';
import { emptyLike, patchYbus, ybusContributors } from '../../src/solvers/ybus-patch';
import { casePath } from '../helpers/cases';

function withBranchesOff(st: Status, off: number[]): Status {
  const branchOn = st.branchOn.slice();
  for (const l of off) branchOn[l] = 0;
  return { ...st, branchOn };
}

function expectBitEqual(a: ZCsc, b: ZCsc): void {
  expect(a.re.length).toBe(b.re.length);
  for (let p = 0; p < a.re.length; p++) {
    if (!Object.is(a.re[p], b.re[p]) || !Object.is(a.im[p], b.im[p])) {
      throw new Error(`entry ${p}: (${a.re[p]}, ${a.im[p]}) vs (${b.re[p]}, ${b.im[p]})`);
    }
  }
}

function componentCount(net: Network, st: Status): number {
  const root = busComponents(net, st);
  let n = 0;
  for (let i = 0; i < root.length; i++) if (root[i] === i) n++;
  return n;
}

describe.each(['case118', 'case1354pegase'])('%s', (name) => {
  const net = readCaseFile(casePath(name));
  const st = elementStatus(net);
  const asm = ybusAssembly(net, st);
  const con = ybusContributors(asm, st.f, st.t);
  const baseY = fillYbus(asm, net, st);

  it('patched single and double outages equal fillYbus bit for bit', () => {
    const out = emptyLike(baseY);
    const cases: number[][] = [];
    // every branch of case118, every 10th of case1354pegase (islanding ones included)
    const stride = net.branch.n > 1000 ? 10 : 1;
    for (let l = 0; l < net.branch.n; l += stride) if (st.branchOn[l]) cases.push([l]);
    for (let l = 0; l + 7 < net.branch.n; l += 7 * stride) cases.push([l, l + 3]);
    let patched = 0;
    for (const off of cases) {
      const v = withBranchesOff(st, off);
      const ok = patchYbus(asm, con, net, v, baseY, st.branchOn, out);
      expect(ok).toBe(true);
      patched++;
      const full = fillYbus(asm, net, v);
      expectBitEqual(out.Ybus, full.Ybus);
      expectBitEqual(out.Yf, full.Yf);
      expectBitEqual(out.Yt, full.Yt);
    }
    expect(patched).toBe(cases.length);
    // and back to the base status from an outage variant's values
    expect(patchYbus(asm, con, net, st, out, withBranchesOff(st, cases[cases.length - 1]).branchOn, out)).toBe(true);
    expectBitEqual(out.Ybus, baseY.Ybus);
  });

  it('declines when more branches differ than allowed', () => {
    const off = Array.from({ length: 5 }, (_, k) => k);
    expect(patchYbus(asm, con, net, withBranchesOff(st, off), baseY, st.branchOn, emptyLike(baseY), 4)).toBe(false);
  });

  it('bridges are the branches whose outage splits a component', () => {
    const br = bridges(net.bus.n, st.f, st.t, st.branchOn);
    const base = componentCount(net, st);
    let count = 0;
    for (let l = 0; l < net.branch.n; l++) {
      const splits = st.branchOn[l] ? componentCount(net, withBranchesOff(st, [l])) > base : false;
      expect([l, br[l] === 1]).toEqual([l, splits]);
      if (splits) count++;
    }
    expect(count).toBeGreaterThan(0);
  });
});

describe('bridges', () => {
  it('a parallel twin is not a bridge, a radial branch is', () => {
    // 0 =(two branches)= 1 - 2, and 3 alone
    const f = Int32Array.of(0, 0, 1),
      t = Int32Array.of(1, 1, 2);
    expect(Array.from(bridges(4, f, t, Uint8Array.of(1, 1, 1)))).toEqual([0, 0, 1]);
    expect(Array.from(bridges(4, f, t, Uint8Array.of(1, 0, 1)))).toEqual([1, 0, 1]);
  });
});
