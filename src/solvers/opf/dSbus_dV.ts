/**
 * Bus injections and their first derivatives in polar coordinates (MATPOWER's dSbus_dV):
 *   Sbus = diag(V) conj(Ybus V)
 *   dSbus/dVa = j diag(V) conj(diag(I) - Ybus diag(V))
 *   dSbus/dVm = diag(V) conj(Ybus diag(V./|V|)) + conj(diag(I)) diag(V./|V|)
 * The derivatives come from the shared implementation (../dSbus_dV.ts), on Ybus's entries.
 */
import { AcNetwork } from './ac-network';
import { DSbus, dSbus_dV as dSbus_dVcore, Voltages } from '../dSbus_dV';

export { voltages } from '../dSbus_dV';
export type { DSbus, Voltages } from '../dSbus_dV';

/** I = Ybus V and S = V conj(I). */
export function sbus(
  Y: AcNetwork,
  V: Voltages,
): { ir: Float64Array; ii: Float64Array; sr: Float64Array; si: Float64Array } {
  const n = Y.nb;
  const ir = new Float64Array(n),
    ii = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const cr = V.vr[j],
      ci = V.vi[j];
    for (let p = Y.colPtr[j]; p < Y.colPtr[j + 1]; p++) {
      const a = Y.yR[p],
        b = Y.yI[p],
        r = Y.rowIdx[p];
      ir[r] += a * cr - b * ci;
      ii[r] += a * ci + b * cr;
    }
  }
  const sr = new Float64Array(n),
    si = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    // V conj(I)
    sr[i] = V.vr[i] * ir[i] + V.vi[i] * ii[i];
    si[i] = V.vi[i] * ir[i] - V.vr[i] * ii[i];
  }
  return { ir, ii, sr, si };
}

/** dSbus_dV (../dSbus_dV.ts) on the OPF's Ybus. */
export function dSbus_dV(Y: AcNetwork, V: Voltages, I: { ir: Float64Array; ii: Float64Array }): DSbus {
  return dSbus_dVcore({ n: Y.nb, colPtr: Y.colPtr, rowIdx: Y.rowIdx, re: Y.yR, im: Y.yI }, V, I, Y.diag);
}
