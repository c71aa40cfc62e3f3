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
import { zcscMulVec } from './sparse/zcsc';
import { RowPairs, rowPairs } from './branch-row-pairs';
import { shareQg } from './qg-share';

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
  /**
   * Writes the branch flows (the numbers branchFlows computes, bit for bit) into `out` and
   * returns true, or returns false when it cannot (newton-wasm.ts's kernel).
   */
  flowsInto?: (out: PfsolnOutput) => boolean;
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

/** Arrays pfsoln writes its results into (generator and branch columns of a solution). */
export interface PfsolnOutput {
  pg: Float64Array;
  qg: Float64Array;
  pf: Float64Array;
  qf: Float64Array;
  pt: Float64Array;
  qt: Float64Array;
}

/**
 * `Sinj`, when given, must be V .* conj(Ybus V) for this V (Newton's last injections); it is
 * used as the result's Sbus instead of being recomputed. `out`, when given, receives the
 * results (and is what the result's arrays are); otherwise they are allocated.
 */
export function pfsoln(
  inp: PfsolnInput,
  Ybus: ZCsc,
  Yf: ZCsc,
  Yt: ZCsc,
  V: ZVec,
  Sinj?: ZVec,
  out?: PfsolnOutput,
): PfsolnResult {
  const base = inp.baseMVA;
  const nb = Ybus.n;
  const ng = inp.genBus.length;
  const S = Sinj ?? busInjections(Ybus, V);
  const pg = out ? out.pg : new Float64Array(ng);
  const qg = out ? out.qg : new Float64Array(ng);
  pg.set(inp.Pg);
  qg.set(inp.Qg);
  const { genBus, genOn, busType } = inp;
  // the in-service generators at PV / REF buses: the first `non` entries of a kept scratch
  // (no array grown per call)
  if (onScratch.length < ng) onScratch = new Int32Array(ng);
  const on = onScratch;
  let non = 0;
  // the bus types read once: an imported constant is a module getter per read (not always inlined)
  const pvType = PV,
    refType = REF;
  for (let g = 0; g < ng; g++) {
    if (!genOn[g]) {
      qg[g] = 0;
      continue;
    }
    const bt = busType[genBus[g]];
    if (bt === pvType || bt === refType) on[non++] = g;
  }
  const Qd = inp.Qd,
    Si = S.im;
  for (let j = 0; j < non; j++) {
    const g = on[j];
    qg[g] = Si[genBus[g]] * base + Qd[genBus[g]];
  }

  if (non > 1) shareQg(on, non, genBus, qg, inp.Qmin, inp.Qmax, nb);

  // the first on-generator at each reference bus takes the injection plus local load, minus
  // what the bus's other on-generators produce (MATPOWER's refgen)
  for (let r = 0; r < inp.ref.length; r++) {
    const k = inp.ref[r];
    let first = -1;
    let p = 0;
    for (let j = 0; j < non; j++) {
      const g = on[j];
      if (genBus[g] !== k) continue;
      if (first < 0) {
        first = g;
        p = S.re[k] * base + inp.Pd[k];
      } else p -= pg[g];
    }
    if (first >= 0) pg[first] = p;
  }

  const flows = out && inp.flowsInto?.(out) ? out : branchFlows(Yf, Yt, V, inp.f, inp.t, inp.branchOn, base, out);
  return { pg, qg, Sbus: S, pf: flows.pf, qf: flows.qf, pt: flows.pt, qt: flows.qt };
}

/** V .* conj(Ybus V) */
function busInjections(Ybus: ZCsc, V: ZVec): ZVec {
  const S = zcscMulVec(Ybus, V);
  for (let i = 0, nb = Ybus.n; i < nb; i++) {
    const vr = V.re[i],
      vi = V.im[i],
      ir = S.re[i],
      ii = S.im[i];
    S.re[i] = vr * ir + vi * ii;
    S.im[i] = vi * ir - vr * ii;
  }
  return S;
}

/** pfsoln's list of generators whose Qg it sets, kept between calls (see shareScratch). */
let onScratch = new Int32Array(0);

/** Complex power flows at both ends of every branch, MW / MVAr (into `out` when given). */
export function branchFlows(
  Yf: ZCsc,
  Yt: ZCsc,
  V: ZVec,
  f: Int32Array,
  t: Int32Array,
  branchOn: Uint8Array,
  baseMVA: number,
  out?: { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array },
): { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array } {
  const nl = Yf.m;
  const pairs = out && Yf.rowIdx === Yt.rowIdx && Yf.colPtr === Yt.colPtr ? rowPairs(Yf, true) : null;
  if (out && pairs) return branchFlowsByPairs(Yf, Yt, pairs, V, f, t, branchOn, baseMVA, out);
  // If = Yf V and It = Yt V accumulate in the output arrays, then become S = V conj(I) in place
  const pf = out ? out.pf.fill(0) : new Float64Array(nl),
    qf = out ? out.qf.fill(0) : new Float64Array(nl),
    pt = out ? out.pt.fill(0) : new Float64Array(nl),
    qt = out ? out.qt.fill(0) : new Float64Array(nl);
  mulInto(Yf, V, pf, qf);
  mulInto(Yt, V, pt, qt);
  for (let l = 0; l < nl; l++) {
    if (!branchOn[l]) {
      pf[l] = 0;
      qf[l] = 0;
      pt[l] = 0;
      qt[l] = 0;
      continue;
    }
    const a = f[l],
      b = t[l];
    const ifr = pf[l],
      ifi = qf[l],
      itr = pt[l],
      iti = qt[l];
    pf[l] = (V.re[a] * ifr + V.im[a] * ifi) * baseMVA;
    qf[l] = (V.im[a] * ifr - V.re[a] * ifi) * baseMVA;
    pt[l] = (V.re[b] * itr + V.im[b] * iti) * baseMVA;
    qt[l] = (V.im[b] * itr - V.re[b] * iti) * baseMVA;
  }
  return { pf, qf, pt, qt };
}

/**
 * branchFlows for Yf, Yt of one pattern with at most two entries per row: per branch, If and It
 * summed over the row's entries in column order (skipping buses with V = 0), as mulInto sums
 * them, so the flows are bit for bit those of the matrix products.
 */
function branchFlowsByPairs(
  Yf: ZCsc,
  Yt: ZCsc,
  pairs: RowPairs,
  V: ZVec,
  f: Int32Array,
  t: Int32Array,
  branchOn: Uint8Array,
  baseMVA: number,
  out: { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array },
): { pf: Float64Array; qf: Float64Array; pt: Float64Array; qt: Float64Array } {
  const { pf, qf, pt, qt } = out;
  const { p0, p1, c0, c1 } = pairs;
  const Vr = V.re,
    Vi = V.im;
  const fr = Yf.re,
    fi = Yf.im,
    tr = Yt.re,
    ti = Yt.im;
  for (let l = 0, nl = Yf.m; l < nl; l++) {
    if (!branchOn[l]) {
      pf[l] = 0;
      qf[l] = 0;
      pt[l] = 0;
      qt[l] = 0;
      continue;
    }
    let ifr = 0,
      ifi = 0,
      itr = 0,
      iti = 0;
    const q0 = p0[l],
      q1 = p1[l];
    const a = f[l],
      b = t[l];
    const far = Vr[a],
      fai = Vi[a],
      tbr = Vr[b],
      tbi = Vi[b];
    // the row's entries sit in the from / to bus columns: their voltages are V_f and V_t
    if (q0 >= 0) {
      const fromFirst = c0[l] === a;
      const x = fromFirst ? far : tbr,
        y = fromFirst ? fai : tbi;
      if (x !== 0 || y !== 0) {
        ifr += fr[q0] * x - fi[q0] * y;
        ifi += fr[q0] * y + fi[q0] * x;
        itr += tr[q0] * x - ti[q0] * y;
        iti += tr[q0] * y + ti[q0] * x;
      }
    }
    if (q1 >= 0) {
      const fromSecond = c1[l] === a;
      const x = fromSecond ? far : tbr,
        y = fromSecond ? fai : tbi;
      if (x !== 0 || y !== 0) {
        ifr += fr[q1] * x - fi[q1] * y;
        ifi += fr[q1] * y + fi[q1] * x;
        itr += tr[q1] * x - ti[q1] * y;
        iti += tr[q1] * y + ti[q1] * x;
      }
    }
    pf[l] = (far * ifr + fai * ifi) * baseMVA;
    qf[l] = (fai * ifr - far * ifi) * baseMVA;
    pt[l] = (tbr * itr + tbi * iti) * baseMVA;
    qt[l] = (tbi * itr - tbr * iti) * baseMVA;
  }
  return out;
}

/** (yr, yi) = A x for zeroed yr, yi, summed as zcscMulVec does. */
function mulInto(A: ZCsc, x: ZVec, yr: Float64Array, yi: Float64Array): void {
  const { colPtr, rowIdx, re, im } = A;
  const xr = x.re,
    xi = x.im;
  for (let j = 0; j < A.n; j++) {
    const a = xr[j],
      b = xi[j];
    if (a === 0 && b === 0) continue;
    for (let p = colPtr[j], end = colPtr[j + 1]; p < end; p++) {
      const i = rowIdx[p];
      const c = re[p],
        d = im[p];
      yr[i] += c * a - d * b;
      yi[i] += c * b + d * a;
    }
  }
}
