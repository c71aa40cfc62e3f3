/**
 * One evaluation of the Newton power flow's equations at a point, in two passes instead of three:
 * V = Vm e^{j Va} for every bus, then row by row I = Ybus V, S = V .* conj(I) (as
 * bus-injections.ts's busInjectionsByRows sums them) and, for a pv / pq bus, its entries of
 * F = [Re(S - Sbus)(pv; pq); Im(S - Sbus)(pq)] and ||F||_inf, while S_i is still in registers
 * (newtonpf.ts's polarToRect, busInjections and mismatch one after the other write and read
 * V, S and F once more). The same operations in the same order: V, I, S and F are bit for bit
 * those of the three passes, and so is the norm (a maximum, NaN when an entry is not finite).
 * A time-series level or N-1 outage evaluates 3.5-4.5 times; on case118 one evaluation took
 * 4.2 instead of 5.3 us (minima, loaded machine), on case1354pegase 32 instead of 48 us.
 */
import type { ZCsc, ZVec } from './sparse/zcsc';
import { ArrayAlloc, ownArrays } from './scratch-slab';

/** Per bus: the position in F of its P mismatch and of its Q mismatch, -1 where it has none. */
export interface MismatchRows {
  readonly fp: Int32Array;
  readonly fq: Int32Array;
}

/** F positions as newtonpf's mismatch lays F out: pv's P, pq's P, pq's Q. */
export function mismatchRows(nb: number, pv: Int32Array, pq: Int32Array, alloc: ArrayAlloc = ownArrays): MismatchRows {
  const buf = alloc.i32(2 * nb).fill(-1);
  const fp = buf.subarray(0, nb),
    fq = buf.subarray(nb);
  const npv = pv.length,
    npq = pq.length;
  for (let c = 0; c < npv; c++) fp[pv[c]] = c;
  for (let c = 0; c < npq; c++) {
    fp[pq[c]] = npv + c;
    fq[pq[c]] = npv + npq + c;
  }
  return { fp, fq };
}

/**
 * V, I, S and F at (Vm, Va) in radians; returns ||F||_inf (NaN if any entry is not finite).
 * `tpos` is rowPositions(Y) (non-null: a structurally symmetric pattern); rows and columns of
 * `fixed` buses get F = 0 and stay out of the norm.
 */
export function injectionsAndMismatch(
  Y: ZCsc,
  tpos: Int32Array,
  Vm: Float64Array,
  Va: Float64Array,
  V: ZVec,
  I: ZVec,
  S: ZVec,
  Sbus: ZVec,
  rows: MismatchRows,
  F: Float64Array,
  fixed?: Uint8Array,
): number {
  const { colPtr, rowIdx, re, im } = Y;
  const Vr = V.re,
    Vi = V.im;
  const n = Y.n;
  for (let i = 0; i < n; i++) {
    Vr[i] = Vm[i] * Math.cos(Va[i]);
    Vi[i] = Vm[i] * Math.sin(Va[i]);
  }
  const Ir = I.re,
    Ii = I.im,
    Sr = S.re,
    Si = S.im,
    Br = Sbus.re,
    Bi = Sbus.im;
  const { fp, fq } = rows;
  let norm = 0;
  let bad = false;
  for (let i = 0; i < n; i++) {
    let ir = 0,
      ii = 0;
    for (let p = colPtr[i], e = colPtr[i + 1]; p < e; p++) {
      const k = rowIdx[p];
      const a = Vr[k],
        b = Vi[k];
      if (a === 0 && b === 0) continue;
      const q = tpos[p];
      const c = re[q],
        d = im[q];
      ir += c * a - d * b;
      ii += c * b + d * a;
    }
    Ir[i] = ir;
    Ii[i] = ii;
    const vr = Vr[i],
      vi = Vi[i];
    const sr = vr * ir + vi * ii,
      si = vi * ir - vr * ii;
    Sr[i] = sr;
    Si[i] = si;
    const rp = fp[i];
    if (rp < 0) continue;
    const rq = fq[i];
    if (fixed !== undefined && fixed[i]) {
      F[rp] = 0;
      if (rq >= 0) F[rq] = 0;
      continue;
    }
    const f = sr - Br[i];
    F[rp] = f;
    const x = Math.abs(f);
    if (x > norm) norm = x;
    else if (x !== x) bad = true;
    if (rq < 0) continue;
    const g = si - Bi[i];
    F[rq] = g;
    const y = Math.abs(g);
    if (y > norm) norm = y;
    else if (y !== y) bad = true;
  }
  return bad || !Number.isFinite(norm) ? NaN : norm;
}
