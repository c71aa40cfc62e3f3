import { join } from 'node:path';
import { elementStatus } from '../../src/solvers/bustypes';
import { parseCase, readCaseFile } from '../../src/grid/matpower-case';
import { ZCsc, zcscFromTriplets, zcscMulVec, zcscTranspose } from '../../src/solvers/sparse/zcsc';
import { dSbus_dV } from '../../src/solvers/ac-jacobian';
import { makeYbus } from '../../src/solvers/makeYbus';

import { CASES_DIR as CASES } from '../helpers/cases';

type C = [number, number];
const cadd = (a: C, b: C): C => [a[0] + b[0], a[1] + b[1]];
const cmul = (a: C, b: C): C => [a[0] * b[0] - a[1] * b[1], a[0] * b[1] + a[1] * b[0]];
const cdiv = (a: C, b: C): C => {
  const d = b[0] * b[0] + b[1] * b[1];
  return [(a[0] * b[0] + a[1] * b[1]) / d, (a[1] * b[0] - a[0] * b[1]) / d];
};
const conj = (a: C): C => [a[0], -a[1]];

function dense(A: ZCsc): C[][] {
  const D = Array.from({ length: A.m }, () => Array.from({ length: A.n }, (): C => [0, 0]));
  for (let j = 0; j < A.n; j++)
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) D[A.rowIdx[p]][j] = cadd(D[A.rowIdx[p]][j], [A.re[p], A.im[p]]);
  return D;
}

const TAP_CASE = `function mpc = tapcase
mpc.version = '2';
mpc.baseMVA = 100;
mpc.bus = [
  1 3 0 0 0 0 1 1 0 230 1 1.1 0.9;
  2 1 50 20 3 -10 1 1 0 230 1 1.1 0.9;
  3 1 40 10 0 25 1 1 0 230 1 1.1 0.9;
  4 2 0 0 0 0 1 1 0 230 1 1.1 0.9;
];
mpc.gen = [
  1 0 0 300 -300 1 100 1 250 10;
  4 60 0 300 -300 1.02 100 1 250 10;
];
mpc.branch = [
  1 2 0.01 0.085 0.176 250 250 250 0 0 1 -360 360;
  2 3 0.017 0.092 0.158 250 250 250 0.95 0 1 -360 360;
  1 3 0.0 0.0576 0 250 250 250 1.05 -3 1 -360 360;
  3 4 0.039 0.17 0.358 150 150 150 0 5 1 -360 360;
  2 4 0.02 0.1 0.1 150 150 150 0 0 0 -360 360;
];
`;

describe('makeYbus', () => {
  it('matches the MATPOWER formulas entry by entry (taps, shifts, charging, shunts, status)', () => {
    const net = parseCase(TAP_CASE, 'tapcase.m');
    const st = elementStatus(net);
    const { Ybus, Yf, Yt } = makeYbus(net, st);
    const nb = 4;
    const want = Array.from({ length: nb }, () => Array.from({ length: nb }, (): C => [0, 0]));
    const wf = Array.from({ length: 5 }, () => Array.from({ length: nb }, (): C => [0, 0]));
    const wt = Array.from({ length: 5 }, () => Array.from({ length: nb }, (): C => [0, 0]));
    for (let l = 0; l < net.branch.n; l++) {
      if (!net.branch.status[l]) continue;
      const f = net.branch.fbus[l] - 1,
        t = net.branch.tbus[l] - 1;
      const ys = cdiv([1, 0], [net.branch.r[l], net.branch.x[l]]);
      const ratio = net.branch.ratio[l] || 1;
      const sh = (net.branch.angle[l] * Math.PI) / 180;
      const tap: C = [ratio * Math.cos(sh), ratio * Math.sin(sh)];
      const ytt = cadd(ys, [0, net.branch.b[l] / 2]);
      const yff = cdiv(ytt, cmul(tap, conj(tap)));
      const yft = cdiv([-ys[0], -ys[1]], conj(tap));
      const ytf = cdiv([-ys[0], -ys[1]], tap);
      want[f][f] = cadd(want[f][f], yff);
      want[f][t] = cadd(want[f][t], yft);
      want[t][f] = cadd(want[t][f], ytf);
      want[t][t] = cadd(want[t][t], ytt);
      wf[l][f] = yff;
      wf[l][t] = yft;
      wt[l][f] = ytf;
      wt[l][t] = ytt;
    }
    for (let i = 0; i < nb; i++) want[i][i] = cadd(want[i][i], [net.bus.Gs[i] / 100, net.bus.Bs[i] / 100]);
    const got = dense(Ybus),
      gf = dense(Yf),
      gt = dense(Yt);
    for (let i = 0; i < nb; i++)
      for (let j = 0; j < nb; j++) {
        expect(got[i][j][0]).toBeCloseTo(want[i][j][0], 12);
        expect(got[i][j][1]).toBeCloseTo(want[i][j][1], 12);
      }
    for (let l = 0; l < 5; l++)
      for (let j = 0; j < nb; j++) {
        expect(gf[l][j][0]).toBeCloseTo(wf[l][j][0], 12);
        expect(gf[l][j][1]).toBeCloseTo(wf[l][j][1], 12);
        expect(gt[l][j][0]).toBeCloseTo(wt[l][j][0], 12);
        expect(gt[l][j][1]).toBeCloseTo(wt[l][j][1], 12);
      }
    // out-of-service branch 5 has an empty row; every bus has a diagonal entry
    expect(Yf.colPtr[nb]).toBe(8);
    for (let j = 0; j < nb; j++) {
      const rows = Array.from(Ybus.rowIdx.subarray(Ybus.colPtr[j], Ybus.colPtr[j + 1]));
      expect(rows).toContain(j);
      expect(rows).toEqual([...rows].sort((a, b) => a - b));
    }
  });

  it("is consistent: Ybus = Cf' Yf + Ct' Yt + diag(Ysh) on case9241pegase", () => {
    const net = readCaseFile(join(CASES, 'case9241pegase.m'));
    const st = elementStatus(net);
    const { Ybus, Yf, Yt } = makeYbus(net, st);
    const nb = net.bus.n;
    const V = { re: new Float64Array(nb), im: new Float64Array(nb) };
    for (let i = 0; i < nb; i++) {
      V.re[i] = Math.cos(i);
      V.im[i] = Math.sin(0.3 * i);
    }
    const I = zcscMulVec(Ybus, V);
    const If = zcscMulVec(Yf, V),
      It = zcscMulVec(Yt, V);
    const acc = { re: new Float64Array(nb), im: new Float64Array(nb) };
    for (let l = 0; l < net.branch.n; l++) {
      acc.re[st.f[l]] += If.re[l];
      acc.im[st.f[l]] += If.im[l];
      acc.re[st.t[l]] += It.re[l];
      acc.im[st.t[l]] += It.im[l];
    }
    let err = 0;
    for (let i = 0; i < nb; i++) {
      const gs = net.bus.Gs[i] / net.baseMVA,
        bs = net.bus.Bs[i] / net.baseMVA;
      err = Math.max(
        err,
        Math.abs(acc.re[i] + gs * V.re[i] - bs * V.im[i] - I.re[i]),
        Math.abs(acc.im[i] + gs * V.im[i] + bs * V.re[i] - I.im[i]),
      );
    }
    expect(err).toBeLessThan(1e-8);
  });
});

describe('complex CSC', () => {
  it('sums duplicates, sorts rows and transposes', () => {
    const A = zcscFromTriplets(3, 2, [2, 0, 2, 1], [0, 0, 0, 1], [1, 2, 3, 4], [0, 1, 0, -1]);
    expect(Array.from(A.colPtr)).toEqual([0, 2, 3]);
    expect(Array.from(A.rowIdx)).toEqual([0, 2, 1]);
    expect(Array.from(A.re)).toEqual([2, 4, 4]);
    const T = zcscTranspose(A);
    expect([T.m, T.n]).toEqual([2, 3]);
    expect(dense(T)[1][1]).toEqual([4, -1]);
  });
});

describe('dSbus_dV', () => {
  it('matches finite differences of S = V conj(Ybus V)', () => {
    const net = readCaseFile(join(CASES, 'case14.m'));
    const { Ybus } = makeYbus(net, elementStatus(net));
    const n = net.bus.n;
    const vm = Float64Array.from(net.bus.Vm),
      va = Float64Array.from(net.bus.Va, (d) => (d * Math.PI) / 180);
    const volt = (m: Float64Array, a: Float64Array) => ({
      re: m.map((x, i) => x * Math.cos(a[i])),
      im: m.map((x, i) => x * Math.sin(a[i])),
    });
    const S = (m: Float64Array, a: Float64Array) => {
      const V = volt(m, a);
      const I = zcscMulVec(Ybus, V);
      return {
        re: V.re.map((x, i) => x * I.re[i] + V.im[i] * I.im[i]),
        im: V.re.map((x, i) => V.im[i] * I.re[i] - x * I.im[i]),
      };
    };
    const { dSbus_dVa, dSbus_dVm } = dSbus_dV(Ybus, volt(vm, va));
    const Da = dense(dSbus_dVa),
      Dm = dense(dSbus_dVm);
    const h = 1e-7;
    for (const k of [0, 3, 8, 13]) {
      const a2 = va.slice();
      a2[k] += h;
      const m2 = vm.slice();
      m2[k] += h;
      const S0 = S(vm, va),
        Sa = S(vm, a2),
        Sm = S(m2, va);
      for (let i = 0; i < n; i++) {
        expect(Da[i][k][0]).toBeCloseTo((Sa.re[i] - S0.re[i]) / h, 5);
        expect(Da[i][k][1]).toBeCloseTo((Sa.im[i] - S0.im[i]) / h, 5);
        expect(Dm[i][k][0]).toBeCloseTo((Sm.re[i] - S0.re[i]) / h, 5);
        expect(Dm[i][k][1]).toBeCloseTo((Sm.im[i] - S0.im[i]) / h, 5);
      }
    }
  });
});
