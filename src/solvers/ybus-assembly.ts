/**
 * Ybus / Yf / Yt on a fixed pattern: every branch whose two end buses are in service has its
 * four Ybus entries and two Yf / Yt entries in the pattern, whatever its status; a branch out
 * of service contributes explicit zeros. Outages that only switch branches therefore change
 * values, never the pattern, so the Newton Jacobian keeps its pattern, its AMD ordering and its
 * symbolic analysis, and the LU only refactors numerically (as lightsim2grid does).
 *
 * Values are summed in makeYbus's triplet order, so `fillYbus` gives bit-for-bit the entries
 * makeYbus computes for the same network (plus the explicit zeros).
 */
import type { Network } from '../grid/network';
import type { Status } from './bustypes';
import { BranchAdmittances, branchTwoPort, emptyBranchAdmittances, YbusResult } from './makeYbus';
import type { TripletPattern } from './sparse/triplet-pattern';
import { branchBusPattern, ybusPattern } from './ybus-pattern';
import type { ZCsc } from './sparse/zcsc';

export interface YbusAssembly {
  /** Branches in the pattern (both ends in service); by branch row. */
  inPattern: Uint8Array;
  /** Branch rows in the pattern, in file order. */
  rows: Int32Array;
  ybus: TripletPattern;
  yf: TripletPattern;
  yt: TripletPattern;
  /** Two-port admittances of the pattern's branches (they depend on the structure only). */
  adm: BranchAdmittances;
}

/** The pattern for the buses in service in `busOn` (bus status is part of the pattern). */
export function ybusAssembly(net: Network, status: Status): YbusAssembly {
  const nb = net.bus.n,
    nl = net.branch.n;
  const { f, t, busOn } = status;
  const inPattern = new Uint8Array(nl);
  let np = 0;
  for (let l = 0; l < nl; l++)
    if (busOn[f[l]] && busOn[t[l]]) {
      inPattern[l] = 1;
      np++;
    }
  const rows = new Int32Array(np);
  for (let l = 0, k = 0; l < nl; l++) if (inPattern[l]) rows[k++] = l;
  const adm = emptyBranchAdmittances(nl);
  for (let k = 0; k < np; k++) branchTwoPort(net.branch, rows[k], adm, rows[k]);
  // Yf and Yt have the same triplets (branch row, from / to bus): one pattern for both
  const yf = branchBusPattern(nl, nb, rows, f, t);
  return { inPattern, rows, adm, ybus: ybusPattern(nb, rows, f, t), yf, yt: yf };
}

/** Whether `status` fits the assembly: same in-service buses (branch status is free). */
export function fitsAssembly(asm: YbusAssembly, status: Status): boolean {
  const { f, t, busOn } = status;
  for (let l = 0; l < asm.inPattern.length; l++) {
    if ((busOn[f[l]] && busOn[t[l]] ? 1 : 0) !== asm.inPattern[l]) return false;
  }
  return true;
}

function emptyOn(p: TripletPattern): ZCsc {
  const nz = p.rowIdx.length;
  return { m: p.m, n: p.n, colPtr: p.colPtr, rowIdx: p.rowIdx, re: new Float64Array(nz), im: new Float64Array(nz) };
}

/**
 * Ybus / Yf / Yt of `net` (same structure as the assembly's: branch parameters and bus
 * shunts are read from the assembly and net) with element status `status`; `into`
 * (a previous result of this assembly) is overwritten instead of allocating.
 */
export function fillYbus(asm: YbusAssembly, net: Network, status: Status, into?: YbusResult): YbusResult {
  const nb = net.bus.n;
  const out = into ?? { Ybus: emptyOn(asm.ybus), Yf: emptyOn(asm.yf), Yt: emptyOn(asm.yt) };
  const { Ybus, Yf, Yt } = out;
  Ybus.re.fill(0);
  Ybus.im.fill(0);
  Yf.re.fill(0);
  Yf.im.fill(0);
  Yt.re.fill(0);
  Yt.im.fill(0);
  const { Yff, Yft, Ytf, Ytt } = asm.adm;
  const yp = asm.ybus.pos,
    fp = asm.yf.pos,
    tp = asm.yt.pos;
  const rows = asm.rows;
  for (let k = 0; k < rows.length; k++) {
    const l = rows[k];
    if (!status.branchOn[l]) continue; // explicit zeros
    const q = 4 * k;
    Ybus.re[yp[q]] += Yff.re[l];
    Ybus.im[yp[q]] += Yff.im[l];
    Ybus.re[yp[q + 1]] += Yft.re[l];
    Ybus.im[yp[q + 1]] += Yft.im[l];
    Ybus.re[yp[q + 2]] += Ytf.re[l];
    Ybus.im[yp[q + 2]] += Ytf.im[l];
    Ybus.re[yp[q + 3]] += Ytt.re[l];
    Ybus.im[yp[q + 3]] += Ytt.im[l];
    Yf.re[fp[2 * k]] += Yff.re[l];
    Yf.im[fp[2 * k]] += Yff.im[l];
    Yf.re[fp[2 * k + 1]] += Yft.re[l];
    Yf.im[fp[2 * k + 1]] += Yft.im[l];
    Yt.re[tp[2 * k]] += Ytf.re[l];
    Yt.im[tp[2 * k]] += Ytf.im[l];
    Yt.re[tp[2 * k + 1]] += Ytt.re[l];
    Yt.im[tp[2 * k + 1]] += Ytt.im[l];
  }
  const base = net.baseMVA;
  const d0 = 4 * rows.length;
  for (let i = 0; i < nb; i++) {
    if (!status.busOn[i]) continue;
    Ybus.re[yp[d0 + i]] += net.bus.Gs[i] / base;
    Ybus.im[yp[d0 + i]] += net.bus.Bs[i] / base;
  }
  return out;
}
