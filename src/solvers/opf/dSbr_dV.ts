/**
 * Branch end flows and their first derivatives in polar coordinates (MATPOWER's dSbr_dV),
 * per branch end. For the end at bus a (the far end at bus b) with If = Yaa V_a + Yab V_b:
 *   S      = V_a conj(I_a)
 *   dS/dVa_a = j (conj(I_a) V_a - |V_a|^2 conj(Yaa))     dS/dVa_b = -j V_a conj(Yab) conj(V_b)
 *   dS/dVm_a = V_a conj(Yaa e^{jVa_a}) + conj(I_a) e^{jVa_a}   dS/dVm_b = V_a conj(Yab e^{jVa_b})
 * (the rows of diag(Vf) conj(Yf diag(Vnorm)) + diag(conj If) CVnf etc.). The "from" end is
 * a = f, b = t with (Yff, Yft); the "to" end a = t, b = f with (Ytt, Ytf).
 * dAbr_dV: |S|^2 has derivative 2 Re(conj(S) dS).
 */
import { AcNetwork } from './ac-network';
import { Voltages } from './dSbus_dV';

export interface BranchEnd {
  /** near-end bus and far-end bus per branch */
  a: Int32Array;
  b: Int32Array;
  /** flow S at the near end */
  sr: Float64Array;
  si: Float64Array;
  /** derivatives w.r.t. Va_a, Va_b, Vm_a, Vm_b: [4*k + 0..3] */
  dr: Float64Array;
  di: Float64Array;
}

export function branchEnd(Y: AcNetwork, V: Voltages, il: ArrayLike<number>, end: 'from' | 'to'): BranchEnd {
  const n = il.length;
  const a = new Int32Array(n),
    b = new Int32Array(n);
  const sr = new Float64Array(n),
    si = new Float64Array(n);
  const dr = new Float64Array(4 * n),
    di = new Float64Array(4 * n);
  const fr = end === 'from';
  for (let q = 0; q < n; q++) {
    const k = il[q];
    const ia = fr ? Y.f[k] : Y.t[k],
      ib = fr ? Y.t[k] : Y.f[k];
    a[q] = ia;
    b[q] = ib;
    const yaR = fr ? Y.yffR[k] : Y.yttR[k],
      yaI = fr ? Y.yffI[k] : Y.yttI[k];
    const ybR = fr ? Y.yftR[k] : Y.ytfR[k],
      ybI = fr ? Y.yftI[k] : Y.ytfI[k];
    const var_ = V.vr[ia],
      vai = V.vi[ia],
      vbr = V.vr[ib],
      vbi = V.vi[ib];
    const Ir = yaR * var_ - yaI * vai + ybR * vbr - ybI * vbi;
    const Ii = yaR * vai + yaI * var_ + ybR * vbi + ybI * vbr;
    // S = V_a conj(I)
    sr[q] = var_ * Ir + vai * Ii;
    si[q] = vai * Ir - var_ * Ii;
    const m2 = var_ * var_ + vai * vai;
    // dVa_a = j (conj(I) V_a - |V_a|^2 conj(Yaa)) = j (S - m2 conj(Yaa))   [conj(I) V_a = S]
    const xr = sr[q] - m2 * yaR,
      xi = si[q] + m2 * yaI;
    dr[4 * q] = -xi;
    di[4 * q] = xr;
    // dVa_b = -j V_a conj(Yab) conj(V_b) = -j V_a conj(Yab V_b)
    const wr = ybR * vbr - ybI * vbi,
      wi = -(ybR * vbi + ybI * vbr);
    const ur = var_ * wr - vai * wi,
      ui = var_ * wi + vai * wr;
    dr[4 * q + 1] = ui;
    di[4 * q + 1] = -ur;
    // dVm_a = V_a conj(Yaa Vn_a) + conj(I) Vn_a
    const nar = V.nr[ia],
      nai = V.ni[ia];
    const zr = yaR * nar - yaI * nai,
      zi = -(yaR * nai + yaI * nar);
    dr[4 * q + 2] = var_ * zr - vai * zi + Ir * nar + Ii * nai;
    di[4 * q + 2] = var_ * zi + vai * zr + Ir * nai - Ii * nar;
    // dVm_b = V_a conj(Yab Vn_b)
    const nbr = V.nr[ib],
      nbi = V.ni[ib];
    const yr = ybR * nbr - ybI * nbi,
      yi = -(ybR * nbi + ybI * nbr);
    dr[4 * q + 3] = var_ * yr - vai * yi;
    di[4 * q + 3] = var_ * yi + vai * yr;
  }
  return { a, b, sr, si, dr, di };
}

/** Flows at both ends of every branch k in il (p.u.), for results. */
export function branchFlows(Y: AcNetwork, V: Voltages, il: ArrayLike<number>): { f: BranchEnd; t: BranchEnd } {
  return { f: branchEnd(Y, V, il, 'from'), t: branchEnd(Y, V, il, 'to') };
}
