/**
 * Second derivatives of lam' Sbus in polar coordinates (MATPOWER's d2Sbus_dV2):
 *   A = diag(lam.V), B = Ybus diag(V), C = A conj(B), D = Ybus' diag(V),
 *   E = conj(diag(V)) (D diag(lam) - diag(D lam)), F = C - A diag(conj(Ibus)), G = diag(1./|V|)
 *   G11 = E + F,  G21 = j G (E - F),  G12 = G21.',  G22 = G (C + C.') G.
 * The OPF needs Re(G(lamP)) + Im(G(lamQ)) = Re(G(lamP - j lamQ)) (G is linear in lam), so one
 * complex multiplier is used. Results are added, per Ybus entry, into the four real Hessian
 * blocks hAA (Va,Va), hMA (Vm row, Va col), hAM (Va row, Vm col), hMM (Vm,Vm).
 */
import { AcNetwork } from './ac-network';
import { Voltages } from './dSbus_dV';

export interface VBlocks {
  hAA: Float64Array;
  hMA: Float64Array;
  hAM: Float64Array;
  hMM: Float64Array;
}

export function vBlocks(nnz: number): VBlocks {
  return {
    hAA: new Float64Array(nnz),
    hMA: new Float64Array(nnz),
    hAM: new Float64Array(nnz),
    hMM: new Float64Array(nnz),
  };
}

export function d2Sbus_dV2(
  Y: AcNetwork,
  V: Voltages,
  I: { ir: Float64Array; ii: Float64Array },
  lamP: ArrayLike<number>,
  lamQ: ArrayLike<number>,
  out: VBlocks,
): void {
  const nnz = Y.rowIdx.length;
  const nb = Y.nb;
  // complex lam = lamP - j lamQ; lv = lam .* V
  const lvr = new Float64Array(nb),
    lvi = new Float64Array(nb);
  for (let i = 0; i < nb; i++) {
    const lr = lamP[i],
      li = -lamQ[i];
    lvr[i] = lr * V.vr[i] - li * V.vi[i];
    lvi[i] = lr * V.vi[i] + li * V.vr[i];
  }
  const Cr = new Float64Array(nnz),
    Ci = new Float64Array(nnz),
    Er = new Float64Array(nnz),
    Ei = new Float64Array(nnz);
  const wr = new Float64Array(nb),
    wi = new Float64Array(nb);
  for (let p = 0; p < nnz; p++) {
    const r = Y.rowIdx[p],
      c = Y.colIdx[p];
    const yr = Y.yR[p],
      yi = -Y.yI[p]; // conj(Y)
    // C_rc = (lam V)_r conj(Y) conj(V_c)
    const tr = yr * V.vr[c] + yi * V.vi[c],
      ti = yi * V.vr[c] - yr * V.vi[c]; // conj(Y) conj(V_c)
    Cr[p] = lvr[r] * tr - lvi[r] * ti;
    Ci[p] = lvr[r] * ti + lvi[r] * tr;
    // s = conj(Y_rc) (lam V)_r ; E_cr += conj(V_c) s ; w_c += s
    const sr = yr * lvr[r] - yi * lvi[r],
      si = yr * lvi[r] + yi * lvr[r];
    const q = Y.tpos[p];
    Er[q] += V.vr[c] * sr + V.vi[c] * si;
    Ei[q] += V.vr[c] * si - V.vi[c] * sr;
    wr[c] += sr;
    wi[c] += si;
  }
  const Fr = Float64Array.from(Cr),
    Fi = Float64Array.from(Ci);
  for (let i = 0; i < nb; i++) {
    const p = Y.diag[i];
    // E_ii -= conj(V_i) w_i
    Er[p] -= V.vr[i] * wr[i] + V.vi[i] * wi[i];
    Ei[p] -= V.vr[i] * wi[i] - V.vi[i] * wr[i];
    // F_ii -= (lam V)_i conj(I_i)
    Fr[p] -= lvr[i] * I.ir[i] + lvi[i] * I.ii[i];
    Fi[p] -= lvi[i] * I.ir[i] - lvr[i] * I.ii[i];
  }
  const { hAA, hMA, hAM, hMM } = out;
  for (let p = 0; p < nnz; p++) {
    const r = Y.rowIdx[p],
      c = Y.colIdx[p];
    const q = Y.tpos[p];
    hAA[p] += Er[p] + Fr[p];
    hMA[p] += -(Ei[p] - Fi[p]) / V.vm[r];
    hAM[p] += -(Ei[q] - Fi[q]) / V.vm[c];
    hMM[p] += (Cr[p] + Cr[q]) / (V.vm[r] * V.vm[c]);
  }
}
