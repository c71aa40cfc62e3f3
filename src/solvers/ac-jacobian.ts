/**
 * Partial derivatives of the complex bus power injections S = diag(V) conj(Ybus V) with
 * respect to voltage angles and magnitudes (MATPOWER's dSbus_dV, polar form), and the
 * Newton-Raphson power-flow Jacobian built from them:
 *
 *   dS/dVa = j diag(V) conj(diag(I) - Ybus diag(V))
 *   dS/dVm = diag(V) conj(Ybus diag(V/|V|)) + conj(diag(I)) diag(V/|V|)
 *
 *   J = [ Re dS/dVa(pvpq, pvpq)  Re dS/dVm(pvpq, pq) ]
 *       [ Im dS/dVa(pq,   pvpq)  Im dS/dVm(pq,   pq) ]
 *
 * Entry (i, k) of both derivatives uses only Y_ik, V_i, V_k and, on the diagonal,
 * S_i = V_i conj(I_i); so the Jacobian is filled straight from Ybus entries through a map
 * computed once per topology (`jacobianPattern`), without forming dS/dVa, dS/dVm.
 */
import type { Csc } from './sparse/csc';
import type { ZCsc, ZVec } from './sparse/zcsc';
import { zcscMulVec } from './sparse/zcsc';
import { dSbus_dV as dSbus_dVcore, voltages } from './dSbus_dV';
import { ArrayAlloc, ownArrays, scratchI32 } from './scratch-slab';

/** dS/dVa and dS/dVm with the pattern of Ybus (polar coordinates), from ./dSbus_dV.ts. */
export function dSbus_dV(Ybus: ZCsc, V: ZVec): { dSbus_dVa: ZCsc; dSbus_dVm: ZCsc } {
  const n = Ybus.n;
  const I = zcscMulVec(Ybus, V);
  const vm = new Float64Array(n),
    va = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    vm[k] = Math.hypot(V.re[k], V.im[k]);
    va[k] = Math.atan2(V.im[k], V.re[k]);
  }
  const W = voltages(va, vm);
  W.vr.set(V.re);
  W.vi.set(V.im);
  const d = dSbus_dVcore(Ybus, W, { ir: I.re, ii: I.im });
  const pat = { m: Ybus.m, n, colPtr: Ybus.colPtr, rowIdx: Ybus.rowIdx };
  return { dSbus_dVa: { ...pat, re: d.aR, im: d.aI }, dSbus_dVm: { ...pat, re: d.mR, im: d.mI } };
}

/** The NR Jacobian's pattern and, per entry, where its value comes from. */
export interface JacobianPattern {
  /** J with the final pattern; `values` is overwritten by `fillJacobian`. */
  J: Csc;
  /** Ybus entry behind each J entry. */
  src: Int32Array;
  /** Per J column: the bus, and whether the column is a magnitude (Vm) column. */
  colBus: Int32Array;
  colIsVm: Uint8Array;
  /** J rows below this index are Q rows (imaginary parts). */
  nP: number;
  /**
   * Per Ybus entry p = (i, k), at 4p .. 4p + 3: the positions in `room` of its P-row / Va-column,
   * Q-row / Va-column, P-row / Vm-column and Q-row / Vm-column entries of J; nnz(J) (the spill
   * slot past J's values) where J has none. Interleaved, so that a fill reads one stream.
   */
  to: Int32Array;
  /**
   * J.values and one spill slot after them (J.values is `room.subarray(0, nnz)`): fillJacobian
   * writes every Ybus entry's four values unconditionally, the ones J has no place for into the
   * spill slot, with no branch per value (about half the time of testing each position).
   */
  room: Float64Array;
}

/**
 * Pattern of J for unknowns [Va(pvpq); Vm(pq)] and equations [P(pvpq); Q(pq)], where
 * pvpq = [pv; pq]. Ybus must contain every diagonal entry. The arrays it returns come from
 * `alloc` (slab views for a one-shot solve, scratch-slab.ts).
 */
export function jacobianPattern(
  Ybus: ZCsc,
  pv: Int32Array,
  pq: Int32Array,
  alloc: ArrayAlloc = ownArrays,
): JacobianPattern {
  const nb = Ybus.n;
  const npv = pv.length;
  const npq = pq.length;
  const nP = npv + npq;
  const nx = nP + npq;
  // J's rows and columns: bus k's P row and Va column are rowP[k], its Q row and Vm column rowQ[k]
  const rows = scratchI32(2 * nb).fill(-1);
  const rowP = rows.subarray(0, nb),
    rowQ = rows.subarray(nb);
  for (let c = 0; c < npv; c++) rowP[pv[c]] = c;
  for (let c = 0; c < npq; c++) {
    rowP[pq[c]] = npv + c;
    rowQ[pq[c]] = nP + c;
  }
  const colBus = alloc.i32(nx);
  const colIsVm = alloc.u8(nx);
  for (let c = 0; c < npv; c++) colBus[c] = pv[c];
  for (let c = 0; c < npq; c++) {
    colBus[npv + c] = pq[c];
    colBus[nP + c] = pq[c];
    colIsVm[nP + c] = 1;
  }
  const { colPtr: Yp, rowIdx: Yi } = Ybus;
  const ny = Yp[nb];
  // each column's length: bus k's Ybus entries at P rows and at Q rows (its Vm column, when PQ,
  // has the same rows as its Va column)
  const colPtr = alloc.i32(nx + 1);
  for (let k = 0; k < nb; k++) {
    const c = rowP[k];
    if (c < 0) continue;
    let n = 0;
    for (let p = Yp[k], e = Yp[k + 1]; p < e; p++) {
      const i = Yi[p];
      if (rowP[i] >= 0) n++;
      if (rowQ[i] >= 0) n++;
    }
    colPtr[c + 1] = n;
    const v = rowQ[k];
    if (v >= 0) colPtr[v + 1] = n;
  }
  for (let c = 0; c < nx; c++) colPtr[c + 1] += colPtr[c];
  const nz = colPtr[nx];
  const rowIdx = alloc.i32(nz);
  const src = alloc.i32(nz);
  const to = alloc.i32(4 * ny).fill(nz);
  // bus by bus in Ybus order (src / to written in order): the Va column's P rows sorted
  // (insertion sort, columns are short), then its Q rows in the same order (rowQ and rowP both
  // increase along pq), then the Vm column as a copy of the Va column
  for (let k = 0; k < nb; k++) {
    const c = rowP[k];
    if (c < 0) continue;
    const lo = colPtr[c];
    let hi = lo;
    for (let p = Yp[k], e = Yp[k + 1]; p < e; p++) {
      const r = rowP[Yi[p]];
      if (r < 0) continue;
      let u = hi - 1;
      while (u >= lo && rowIdx[u] > r) {
        rowIdx[u + 1] = rowIdx[u];
        src[u + 1] = src[u];
        u--;
      }
      rowIdx[u + 1] = r;
      src[u + 1] = p;
      hi++;
    }
    let q = hi;
    for (let s = lo; s < hi; s++) {
      const p = src[s];
      to[4 * p] = s;
      const r = rowQ[Yi[p]];
      if (r < 0) continue;
      rowIdx[q] = r;
      src[q] = p;
      to[4 * p + 1] = q++;
    }
    const v = rowQ[k];
    if (v < 0) continue;
    const shift = colPtr[v] - lo;
    for (let s = lo; s < q; s++) {
      rowIdx[s + shift] = rowIdx[s];
      src[s + shift] = src[s];
    }
    for (let s = lo; s < hi; s++) to[4 * src[s] + 2] = s + shift;
    for (let s = hi; s < q; s++) to[4 * src[s] + 3] = s + shift;
  }
  const room = alloc.f64(nz + 1);
  return {
    J: { m: nx, n: nx, colPtr, rowIdx, values: room.subarray(0, nz) },
    src,
    colBus,
    colIsVm,
    nP,
    to,
    room,
  };
}

/**
 * Writes J(V) into pat.J.values. `S` must hold the bus injections V .* conj(Ybus V) and
 * `Vm` the magnitudes |V|. Rows and columns of `fixed` buses are written as identity.
 *
 * One pass over Ybus: entry (i, k) gives c = V_i conj(Y_ik V_k) and its (up to) four J
 * entries, d/dVa_k = [Im c; -Re c] and d/dVm_k = [Re c; Im c] / |V_k|, plus on the diagonal
 * the S_i terms of dS/dVa = j diag(V) conj(diag(I) - Y diag(V)) and
 * dS/dVm = diag(V) conj(Y diag(V/|V|)) + conj(diag(I)) diag(V/|V|).
 */
export function fillJacobian(
  pat: JacobianPattern,
  Ybus: ZCsc,
  V: ZVec,
  Vm: Float64Array,
  S: ZVec,
  fixed?: Uint8Array,
): void {
  const to = pat.to;
  // J.values and the spill slot: every write lands, J keeps the ones it has a place for
  const values = pat.room;
  const { colPtr: Yp, rowIdx: Yi, re: Yr, im: Yim } = Ybus;
  const Vr = V.re,
    Vi = V.im,
    Sr = S.re,
    Si = S.im;
  for (let k = 0, nb = Ybus.n; k < nb; k++) {
    const vkr = Vr[k],
      vki = Vi[k];
    const inv = 1 / Vm[k];
    for (let p = Yp[k], end = Yp[k + 1]; p < end; p++) {
      const i = Yi[p];
      const yr = Yr[p],
        yi = Yim[p];
      const tr = yr * vkr - yi * vki;
      const ti = yr * vki + yi * vkr;
      const vir = Vr[i],
        vii = Vi[i];
      const cr = vir * tr + vii * ti;
      const ci = vii * tr - vir * ti;
      const o = p << 2;
      if (i === k) {
        values[to[o]] = ci + -Si[i];
        values[to[o + 1]] = -cr + Sr[i];
        values[to[o + 2]] = (cr + Sr[i]) * inv;
        values[to[o + 3]] = (ci + Si[i]) * inv;
      } else {
        values[to[o]] = ci;
        values[to[o + 1]] = -cr;
        values[to[o + 2]] = cr * inv;
        values[to[o + 3]] = ci * inv;
      }
    }
  }
  if (fixed !== undefined) holdFixed(pat, Yi, fixed);
}

/** Identity rows and columns for the buses held fixed. */
function holdFixed(pat: JacobianPattern, Yi: Int32Array, fixed: Uint8Array): void {
  const { J, src, colBus } = pat;
  const { colPtr, rowIdx, values } = J;
  for (let c = 0, nx = J.n; c < nx; c++) {
    const colFixed = fixed[colBus[c]] === 1;
    for (let q = colPtr[c], end = colPtr[c + 1]; q < end; q++) {
      if (colFixed || fixed[Yi[src[q]]] === 1) values[q] = rowIdx[q] === c ? 1 : 0;
    }
  }
}
