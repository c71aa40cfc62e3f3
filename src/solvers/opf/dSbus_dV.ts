/**
 * Bus injections and their first derivatives in polar coordinates (MATPOWER's dSbus_dV):
 *   Sbus = diag(V) conj(Ybus V)
 *   dSbus/dVa = j diag(V) conj(diag(I) - Ybus diag(V))
 *   dSbus/dVm = diag(V) conj(Ybus diag(V./|V|)) + conj(diag(I)) diag(V./|V|)
 * The derivative matrices share Ybus's pattern and are returned as values aligned with its
 * entries (real and imaginary parts).
 */
import { AcNetwork } from './ac-network';

/** Bus voltages in the forms the derivative code uses. */
export interface Voltages {
  vr: Float64Array; vi: Float64Array;
  vm: Float64Array;
  /** V / |V| = e^{j Va} */
  nr: Float64Array; ni: Float64Array;
}

export function voltages(va: ArrayLike<number>, vm: ArrayLike<number>): Voltages {
  const n = va.length;
  const V: Voltages = { vr: new Float64Array(n), vi: new Float64Array(n), vm: Float64Array.from(vm), nr: new Float64Array(n), ni: new Float64Array(n) };
  for (let i = 0; i < n; i++) {
    V.nr[i] = Math.cos(va[i]); V.ni[i] = Math.sin(va[i]);
    V.vr[i] = vm[i] * V.nr[i]; V.vi[i] = vm[i] * V.ni[i];
  }
  return V;
}

/** I = Ybus V and S = V conj(I). */
export function sbus(Y: AcNetwork, V: Voltages): { ir: Float64Array; ii: Float64Array; sr: Float64Array; si: Float64Array } {
  const n = Y.nb;
  const ir = new Float64Array(n), ii = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const cr = V.vr[j], ci = V.vi[j];
    for (let p = Y.colPtr[j]; p < Y.colPtr[j + 1]; p++) {
      const a = Y.yR[p], b = Y.yI[p], r = Y.rowIdx[p];
      ir[r] += a * cr - b * ci;
      ii[r] += a * ci + b * cr;
    }
  }
  const sr = new Float64Array(n), si = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // V conj(I)
    sr[i] = V.vr[i] * ir[i] + V.vi[i] * ii[i];
    si[i] = V.vi[i] * ir[i] - V.vr[i] * ii[i];
  }
  return { ir, ii, sr, si };
}

export interface DSbus {
  /** dSbus/dVa and dSbus/dVm on Ybus's entries */
  aR: Float64Array; aI: Float64Array; mR: Float64Array; mI: Float64Array;
}

export function dSbus_dV(Y: AcNetwork, V: Voltages, I: { ir: Float64Array; ii: Float64Array }): DSbus {
  const nnz = Y.rowIdx.length;
  const aR = new Float64Array(nnz), aI = new Float64Array(nnz), mR = new Float64Array(nnz), mI = new Float64Array(nnz);
  for (let p = 0; p < nnz; p++) {
    const i = Y.rowIdx[p], j = Y.colIdx[p];
    const a = Y.yR[p], b = Y.yI[p];
    // w = conj(Y V_j) ; dVa = -j V_i w
    const wr = a * V.vr[j] - b * V.vi[j], wi = -(a * V.vi[j] + b * V.vr[j]);
    const ur = V.vr[i] * wr - V.vi[i] * wi, ui = V.vr[i] * wi + V.vi[i] * wr;
    aR[p] = ui; aI[p] = -ur;
    // dVm = V_i conj(Y Vn_j)
    const zr = a * V.nr[j] - b * V.ni[j], zi = -(a * V.ni[j] + b * V.nr[j]);
    mR[p] = V.vr[i] * zr - V.vi[i] * zi; mI[p] = V.vr[i] * zi + V.vi[i] * zr;
  }
  for (let i = 0; i < Y.nb; i++) {
    const p = Y.diag[i];
    // + j V_i conj(I_i)
    const cr = V.vr[i] * I.ir[i] + V.vi[i] * I.ii[i], ci = V.vi[i] * I.ir[i] - V.vr[i] * I.ii[i];
    aR[p] += -ci; aI[p] += cr;
    // + conj(I_i) Vn_i
    mR[p] += I.ir[i] * V.nr[i] + I.ii[i] * V.ni[i];
    mI[p] += I.ir[i] * V.ni[i] - I.ii[i] * V.nr[i];
  }
  return { aR, aI, mR, mI };
}
