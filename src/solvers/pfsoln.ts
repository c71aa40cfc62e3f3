/**
 * Power-flow solution post-processing, as MATPOWER's pfsoln (version 8):
 * - Qg of in-service generators at PV / REF buses from the bus injection plus local load,
 *   shared among the generators of a bus first equally, then in proportion to their
 *   reactive ranges (infinite limits replaced by a finite proxy M; equal split of the
 *   violation when a bus's total range is zero); off-line generators get Qg = 0;
 * - Pg of the first generator at each reference bus from the injection plus local load,
 *   minus what the other generators at that bus produce;
 * - branch flows Sf = Vf conj(Yf V), St = Vt conj(Yt V) in MVA (zero for branches out of
 *   service).
 */
import { PV, REF } from '../grid/network';
import type { ZCsc, ZVec } from './sparse/zcsc';
import { zcscMulVec, zvec } from './sparse/zcsc';

const EPS = 2.220446049250313e-16;

export interface PfsolnInput {
  baseMVA: number;
  /** Bus types the solve used (PQ / PV / REF / NONE), by bus row. */
  busType: ArrayLike<number>;
  /** Bus loads (MW, MVAr). */
  Pd: ArrayLike<number>;
  Qd: ArrayLike<number>;
  /** Generator data; Pg and Qg are read and a copy is returned updated. */
  genBus: Int32Array;
  genOn: Uint8Array;
  Pg: Float64Array;
  Qg: Float64Array;
  Qmax: ArrayLike<number>;
  Qmin: ArrayLike<number>;
  ref: ArrayLike<number>;
  branchOn: Uint8Array;
  f: Int32Array;
  t: Int32Array;
}

export interface PfsolnResult {
  pg: Float64Array;
  qg: Float64Array;
  /** Bus injections V .* conj(Ybus V) (p.u.). */
  Sbus: ZVec;
  pf: Float64Array;
  qf: Float64Array;
  pt: Float64Array;
  qt: Float64Array;
}

export function pfsoln(inp: PfsolnInput, Ybus: ZCsc, Yf: ZCsc, Yt: ZCsc, V: ZVec): PfsolnResult {
  const base = inp.baseMVA;
  const nb = Ybus.n;
  const ng = inp.genBus.length;
  const S = zcscMulVec(Ybus, V);
  for (let i = 0; i < nb; i++) {
    const vr = V.re[i], vi = V.im[i], ir = S.re[i], ii = S.im[i];
    S.re[i] = vr * ir + vi * ii;
    S.im[i] = vi * ir - vr * ii;
  }
  const pg = inp.Pg.slice();
  const qg = inp.Qg.slice();
  const { genBus, genOn, busType } = inp;
  const on: number[] = [];
  for (let g = 0; g < ng; g++) {
    if (!genOn[g]) { qg[g] = 0; continue; }
    const bt = busType[genBus[g]];
    if (bt === PV || bt === REF) on.push(g);
  }
  for (const g of on) qg[g] = S.im[genBus[g]] * base + inp.Qd[genBus[g]];

  if (on.length > 1) shareQg(on, genBus, qg, inp.Qmin, inp.Qmax, nb);

  for (let r = 0; r < inp.ref.length; r++) {
    const k = inp.ref[r];
    const refgen = on.filter((g) => genBus[g] === k);
    if (refgen.length === 0) continue;
    let p = S.re[k] * base + inp.Pd[k];
    for (let j = 1; j < refgen.length; j++) p -= pg[refgen[j]];
    pg[refgen[0]] = p;
  }

  const flows = branchFlows(Yf, Yt, V, inp.f, inp.t, inp.branchOn, base);
  return { pg, qg, Sbus: S, ...flows };
}

/** MATPOWER's split of a bus's Qg among its generators (pfsoln, "divide proportionally"). */
function shareQg(on: number[], genBus: Int32Array, qg: Float64Array, QminIn: ArrayLike<number>, QmaxIn: ArrayLike<number>, nb: number): void {
  const count = new Float64Array(nb);
  for (const g of on) count[genBus[g]]++;
  for (const g of on) qg[g] /= count[genBus[g]];
  const Msum = new Float64Array(nb);
  const M = new Float64Array(on.length);
  on.forEach((g, k) => {
    let m = Math.abs(qg[g]);
    if (Number.isFinite(QmaxIn[g])) m += Math.abs(QmaxIn[g]);
    if (Number.isFinite(QminIn[g])) m += Math.abs(QminIn[g]);
    M[k] = m;
    Msum[genBus[g]] += m;
  });
  const Qmin = new Float64Array(on.length);
  const Qmax = new Float64Array(on.length);
  const QgTot = new Float64Array(nb);
  const QgMin = new Float64Array(nb);
  const QgMax = new Float64Array(nb);
  on.forEach((g, k) => {
    const b = genBus[g];
    const mm = Msum[b];
    let lo = QminIn[g];
    let hi = QmaxIn[g];
    if (lo === Infinity) lo = mm; else if (lo === -Infinity) lo = -mm;
    if (hi === Infinity) hi = mm; else if (hi === -Infinity) hi = -mm;
    Qmin[k] = lo;
    Qmax[k] = hi;
    QgTot[b] += qg[g];
    QgMin[b] += lo;
    QgMax[b] += hi;
  });
  on.forEach((g, k) => {
    const b = genBus[g];
    qg[g] = Qmin[k] + ((QgTot[b] - QgMin[b]) / (QgMax[b] - QgMin[b] + EPS)) * (Qmax[k] - Qmin[k]);
  });
  // buses with zero total range: equal split of the violation
  on.forEach((g, k) => {
    const b = genBus[g];
    if (Math.abs(QgMin[b] - QgMax[b]) < 10 * EPS) qg[g] = Qmin[k] + (QgTot[b] - QgMin[b]) / count[b];
  });
}

/** Complex power flows at both ends of every branch, MW / MVAr. */
export function branchFlows(
  Yf: ZCsc, Yt: ZCsc, V: ZVec, f: Int32Array, t: Int32Array, branchOn: Uint8Array, baseMVA: number,
): { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array } {
  const nl = Yf.m;
  const If = zcscMulVec(Yf, V, zvec(nl));
  const It = zcscMulVec(Yt, V, zvec(nl));
  const pf = new Float64Array(nl), qf = new Float64Array(nl), pt = new Float64Array(nl), qt = new Float64Array(nl);
  for (let l = 0; l < nl; l++) {
    if (!branchOn[l]) continue;
    const a = f[l], b = t[l];
    pf[l] = (V.re[a] * If.re[l] + V.im[a] * If.im[l]) * baseMVA;
    qf[l] = (V.im[a] * If.re[l] - V.re[a] * If.im[l]) * baseMVA;
    pt[l] = (V.re[b] * It.re[l] + V.im[b] * It.im[l]) * baseMVA;
    qt[l] = (V.im[b] * It.re[l] - V.re[b] * It.im[l]) * baseMVA;
  }
  return { pf, qf, pt, qt };
}
