/**
 * makeBdc builds Bbus and Bf column by column (no triplets): the same matrices, bit for bit, as
 * MATPOWER's triplet construction through cscFromTriplets (sums in branch order, explicit zeros
 * kept), on every fixture case, with branches out of service, parallel branches and a branch
 * from a bus to itself.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network } from '../../src/grid/network';
import { elementStatus, Status } from '../../src/solvers/bustypes';
import { makeBdc } from '../../src/solvers/makeBdc';
import { Csc, cscFromTriplets } from '../../src/solvers/sparse/csc';
import { casePath, fixtureCaseNames } from '../helpers/cases';

/** MATPOWER's makeBdc as triplets (the construction makeBdc replaced). */
function tripletBdc(net: Network, st: Status): { Bbus: Csc; Bf: Csc } {
  const { branch } = net;
  const bfR: number[] = [],
    bfC: number[] = [],
    bfV: number[] = [],
    bbR: number[] = [],
    bbC: number[] = [],
    bbV: number[] = [];
  for (let l = 0; l < branch.n; l++) {
    if (!st.branchOn[l]) continue;
    const tap = branch.ratio[l] !== 0 ? branch.ratio[l] : 1;
    const bl = 1 / (branch.x[l] * tap);
    const f = st.f[l],
      t = st.t[l];
    bfR.push(l, l);
    bfC.push(f, t);
    bfV.push(bl, -bl);
    bbR.push(f, f, t, t);
    bbC.push(f, t, f, t);
    bbV.push(bl, -bl, -bl, bl);
  }
  const nb = net.bus.n;
  return {
    Bbus: cscFromTriplets(nb, nb, bbR, bbC, bbV),
    Bf: cscFromTriplets(branch.n, nb, bfR, bfC, bfV),
  };
}

function expectSameBits(got: Csc, want: Csc): void {
  expect([got.m, got.n]).toEqual([want.m, want.n]);
  expect(Array.from(got.colPtr)).toEqual(Array.from(want.colPtr));
  expect(Array.from(got.rowIdx)).toEqual(Array.from(want.rowIdx));
  for (let p = 0; p < want.values.length; p++)
    if (!Object.is(got.values[p], want.values[p])) throw new Error(`entry ${p}: ${got.values[p]} vs ${want.values[p]}`);
  expect(got.values.length).toBe(want.values.length);
}

describe('makeBdc', () => {
  for (const name of fixtureCaseNames()) {
    it(`${name}: Bbus and Bf as the triplet construction, bit for bit`, () => {
      const net = readCaseFile(casePath(name));
      const st = elementStatus(net);
      const got = makeBdc(net, st);
      const want = tripletBdc(net, st);
      expectSameBits(got.Bbus, want.Bbus);
      expectSameBits(got.Bf, want.Bf);
    });
  }

  it('with branches out, a parallel branch and a branch from a bus to itself', () => {
    const net = cloneNetwork(readCaseFile(casePath('case30')));
    net.branch.status[3] = 0;
    net.branch.status[10] = 0;
    // branch 6 parallel to branch 5, branch 8 from its from bus to itself
    net.branch.fbus[6] = net.branch.fbus[5];
    net.branch.tbus[6] = net.branch.tbus[5];
    net.branch.tbus[8] = net.branch.fbus[8];
    const st = elementStatus(net);
    const got = makeBdc(net, st);
    const want = tripletBdc(net, st);
    expectSameBits(got.Bbus, want.Bbus);
    expectSameBits(got.Bf, want.Bf);
  });
});
