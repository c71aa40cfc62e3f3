/**
 * ybus-direct.ts (the cold solve's one-pass Ybus / Yf / Yt) gives bit for bit what the
 * prepared solver's pattern-then-values path gives (ybusAssembly + fillYbus): every fixture
 * case, and case30 bent into parallel and reversed-parallel branches, a self-loop, phase
 * shifters, branches out of service and a bus out of service.
 */
import { readCaseFile } from '../../src/grid/matpower-case';
import { cloneNetwork, Network, NONE } from '../../src/grid/network';
import { elementStatus } from '../../src/solvers/bustypes';
import { fillYbus, ybusAssembly } from '../../src/solvers/ybus-assembly';
import { ybusDirect } from '../../src/solvers/ybus-direct';
import { branchTwoPort, emptyBranchAdmittances } from '../../src/solvers/makeYbus';
import type { ZCsc } from '../../src/solvers/sparse/zcsc';
import { casePath, fixtureCaseNames } from '../helpers/cases';

/** Index of the first entry where two arrays differ (=== on numbers, so 0 and -0 agree), or -1. */
function firstDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function sameMatrix(a: ZCsc, b: ZCsc): void {
  expect([a.m, a.n]).toEqual([b.m, b.n]);
  expect(firstDiff(a.colPtr.subarray(0, a.n + 1), b.colPtr.subarray(0, b.n + 1))).toBe(-1);
  const nz = b.colPtr[b.n];
  expect(a.colPtr[a.n]).toBe(nz);
  expect(firstDiff(a.rowIdx.subarray(0, nz), b.rowIdx.subarray(0, nz))).toBe(-1);
  expect(firstDiff(a.re.subarray(0, nz), b.re.subarray(0, nz))).toBe(-1);
  expect(firstDiff(a.im.subarray(0, nz), b.im.subarray(0, nz))).toBe(-1);
}

function check(net: Network): void {
  const st = elementStatus(net);
  const want = fillYbus(ybusAssembly(net, st), net, st);
  const got = ybusDirect(net, elementStatus(net, false));
  sameMatrix(got.Ybus, want.Ybus);
  sameMatrix(got.Yf, want.Yf);
  sameMatrix(got.Yt, want.Yt);
}

describe('ybusDirect', () => {
  it.each(fixtureCaseNames())('%s: same as ybusAssembly + fillYbus, bit for bit', (name) => {
    check(readCaseFile(casePath(name)));
  });

  it('parallel, reversed and self-loop branches, phase shifters, outages, a bus out of service', () => {
    const net = cloneNetwork(readCaseFile(casePath('case30')));
    const { branch, bus } = net;
    const num = (row: number) => bus.busI[row];
    // branch 1 parallel to branch 0, branch 2 reversed-parallel to branch 0
    branch.fbus[1] = branch.fbus[0];
    branch.tbus[1] = branch.tbus[0];
    branch.fbus[2] = branch.tbus[0];
    branch.tbus[2] = branch.fbus[0];
    branch.angle[2] = -7.5;
    branch.ratio[2] = 0.97;
    branch.angle[5] = 3;
    // a self-loop, in service and out of service
    branch.fbus[6] = num(4);
    branch.tbus[6] = num(4);
    branch.ratio[6] = 1.05;
    branch.angle[6] = 2;
    branch.fbus[7] = num(9);
    branch.tbus[7] = num(9);
    branch.status[7] = 0;
    branch.status[10] = 0;
    branch.status[11] = 0;
    // a bus out of service: its branches leave the pattern, its shunt is not added
    const row = 20;
    bus.type[row] = NONE;
    bus.Bs[row] = 19;
    bus.Gs[3] = 1.5;
    check(net);
  });

  it("branchTwoPort's shortcut for lines (tap 1, no shift) gives the general formula's numbers", () => {
    const net = readCaseFile(casePath('case1354pegase'));
    const br = net.branch;
    const got = emptyBranchAdmittances(br.n);
    let lines = 0;
    for (let l = 0; l < br.n; l++) {
      if (br.angle[l] !== 0 || (br.ratio[l] !== 0 && br.ratio[l] !== 1)) continue;
      lines++;
      branchTwoPort(br, l, got, l);
      // MATPOWER's makeYbus with tap = 1: Ys = 1 / (r + j x), Ytt = Ys + j b / 2, Yff = Ytt / 1,
      // Yft = -Ys / conj(1), Ytf = -Ys / 1
      const den = br.r[l] * br.r[l] + br.x[l] * br.x[l];
      const ysr = br.r[l] / den,
        ysi = -br.x[l] / den;
      const want = [ysr, ysi + br.b[l] / 2, ysr / 1, (ysi + br.b[l] / 2) / 1, -(ysr * 1 - ysi * 0) / 1];
      want.push(-(ysr * 0 + ysi * 1) / 1, -(ysr * 1 + ysi * 0) / 1, -(ysi * 1 - ysr * 0) / 1);
      const { Ytt, Yff, Yft, Ytf } = got;
      const have = [Ytt.re[l], Ytt.im[l], Yff.re[l], Yff.im[l], Yft.re[l], Yft.im[l], Ytf.re[l], Ytf.im[l]];
      expect(firstDiff(have, want)).toBe(-1);
    }
    expect(lines).toBeGreaterThan(1500);
  });
});
