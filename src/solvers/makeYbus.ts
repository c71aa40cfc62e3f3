/**
 * Bus and branch admittance matrices, as MATPOWER's makeYbus defines them.
 *
 * For each in-service branch (pi model, ideal transformer with complex ratio at the from end):
 *   Ys = 1 / (r + j x),  tap = t e^{j shift}  (t = 1 where the case says 0),
 *   Ytt = Ys + j b/2,  Yff = Ytt / |tap|^2,  Yft = -Ys / conj(tap),  Ytf = -Ys / tap,
 *   If = Yff Vf + Yft Vt,  It = Ytf Vf + Ytt Vt.
 * Bus shunts add (Gs + j Bs) / baseMVA on the diagonal.
 *
 * Indices are bus rows and branch rows in file order. Out-of-service branches keep their
 * (empty) rows in Yf / Yt; out-of-service buses get no shunt. Every bus has a diagonal
 * entry in Ybus (possibly zero), so the pattern depends on topology only.
 */
import type { BranchTable, Network } from '../grid/network';
import type { Status } from './bustypes';
import { ZCsc, zcscFromTriplets } from './sparse/zcsc';

export interface YbusResult {
  /** nb x nb bus admittance matrix (p.u.): I = Ybus V. */
  Ybus: ZCsc;
  /** nl x nb: from-end branch currents If = Yf V. */
  Yf: ZCsc;
  /** nl x nb: to-end branch currents It = Yt V. */
  Yt: ZCsc;
}

/** Series / shunt elements of each branch's two-port admittance (zeros when out of service). */
export interface BranchAdmittances {
  Yff: { re: Float64Array; im: Float64Array };
  Yft: { re: Float64Array; im: Float64Array };
  Ytf: { re: Float64Array; im: Float64Array };
  Ytt: { re: Float64Array; im: Float64Array };
}

/**
 * Writes the two-port admittances of branch row `l` of `br` into entry `k` of `out` (the one
 * formula the power flow and the OPF share).
 */
export function branchTwoPort(br: BranchTable, l: number, out: BranchAdmittances, k: number): void {
  const { Yff, Yft, Ytf, Ytt } = out;
  const r = br.r[l];
  const x = br.x[l];
  const den = r * r + x * x;
  const ysr = r / den;
  const ysi = -x / den;
  const t = br.ratio[l] !== 0 ? br.ratio[l] : 1;
  const deg = br.angle[l];
  const bc = br.b[l];
  if (t === 1 && deg === 0) {
    // a line (tap 1, no shift): the formulas below with tr = 1, ti = 0, |tap|^2 = 1, without
    // the divisions by 1 (the same numbers; a zero's sign aside)
    Ytt.re[k] = ysr;
    Ytt.im[k] = ysi + bc / 2;
    Yff.re[k] = ysr;
    Yff.im[k] = Ytt.im[k];
    Yft.re[k] = -ysr;
    Yft.im[k] = -ysi;
    Ytf.re[k] = -ysr;
    Ytf.im[k] = -ysi;
    return;
  }
  // no phase shift (most transformers): cos 0 = 1 and sin 0 = 0 exactly, without the calls
  const sh = (deg * Math.PI) / 180;
  const tr = deg === 0 ? t : t * Math.cos(sh);
  const ti = deg === 0 ? 0 : t * Math.sin(sh);
  const t2 = tr * tr + ti * ti;
  Ytt.re[k] = ysr;
  Ytt.im[k] = ysi + bc / 2;
  Yff.re[k] = Ytt.re[k] / t2;
  Yff.im[k] = Ytt.im[k] / t2;
  // -Ys / conj(tap) = -Ys * tap / |tap|^2
  Yft.re[k] = -(ysr * tr - ysi * ti) / t2;
  Yft.im[k] = -(ysr * ti + ysi * tr) / t2;
  // -Ys / tap = -Ys * conj(tap) / |tap|^2
  Ytf.re[k] = -(ysr * tr + ysi * ti) / t2;
  Ytf.im[k] = -(ysi * tr - ysr * ti) / t2;
}

/** Zeroed two-port arrays for n branches. */
export function emptyBranchAdmittances(n: number): BranchAdmittances {
  const mk = () => ({ re: new Float64Array(n), im: new Float64Array(n) });
  return { Yff: mk(), Yft: mk(), Ytf: mk(), Ytt: mk() };
}

export function branchAdmittances(net: Network, status: Status): BranchAdmittances {
  const br = net.branch;
  const out = emptyBranchAdmittances(br.n);
  for (let l = 0; l < br.n; l++) if (status.branchOn[l]) branchTwoPort(br, l, out, l);
  return out;
}

export function makeYbus(net: Network, status: Status): YbusResult {
  const nb = net.bus.n;
  const nl = net.branch.n;
  const { Yff, Yft, Ytf, Ytt } = branchAdmittances(net, status);
  const { f, t, branchOn } = status;
  let non = 0;
  for (let l = 0; l < nl; l++) if (branchOn[l]) non++;

  // Yf, Yt: two entries per in-service branch row
  const br = new Int32Array(2 * non),
    bc = new Int32Array(2 * non);
  const fr = new Float64Array(2 * non),
    fi = new Float64Array(2 * non);
  const tr = new Float64Array(2 * non),
    ti = new Float64Array(2 * non);
  // Ybus: four entries per in-service branch plus the diagonal of every bus
  const nzy = 4 * non + nb;
  const yr = new Int32Array(nzy),
    yc = new Int32Array(nzy);
  const yre = new Float64Array(nzy),
    yim = new Float64Array(nzy);
  let k = 0;
  let q = 0;
  for (let l = 0; l < nl; l++) {
    if (!branchOn[l]) continue;
    const a = f[l],
      b = t[l];
    br[k] = l;
    bc[k] = a;
    fr[k] = Yff.re[l];
    fi[k] = Yff.im[l];
    tr[k] = Ytf.re[l];
    ti[k] = Ytf.im[l];
    k++;
    br[k] = l;
    bc[k] = b;
    fr[k] = Yft.re[l];
    fi[k] = Yft.im[l];
    tr[k] = Ytt.re[l];
    ti[k] = Ytt.im[l];
    k++;
    yr[q] = a;
    yc[q] = a;
    yre[q] = Yff.re[l];
    yim[q] = Yff.im[l];
    q++;
    yr[q] = a;
    yc[q] = b;
    yre[q] = Yft.re[l];
    yim[q] = Yft.im[l];
    q++;
    yr[q] = b;
    yc[q] = a;
    yre[q] = Ytf.re[l];
    yim[q] = Ytf.im[l];
    q++;
    yr[q] = b;
    yc[q] = b;
    yre[q] = Ytt.re[l];
    yim[q] = Ytt.im[l];
    q++;
  }
  const base = net.baseMVA;
  for (let i = 0; i < nb; i++) {
    yr[q] = i;
    yc[q] = i;
    if (status.busOn[i]) {
      yre[q] = net.bus.Gs[i] / base;
      yim[q] = net.bus.Bs[i] / base;
    }
    q++;
  }
  return {
    Ybus: zcscFromTriplets(nb, nb, yr, yc, yre, yim),
    Yf: zcscFromTriplets(nl, nb, br, bc, fr, fi),
    Yt: zcscFromTriplets(nl, nb, br, bc, tr, ti),
  };
}
