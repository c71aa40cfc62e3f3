/**
 * Second derivatives of mu' |Sbr|^2 in polar coordinates (MATPOWER's d2ASbr_dV2 = d2Abr_dV2
 * with d2Sbr_dV2):
 *   H = 2 Re( d2Sbr_dV2(Cbr, Ybr, V, conj(S) .* mu) + dS_dV.' diag(mu) conj(dS_dV) ).
 * d2Sbr_dV2 with A = Ybr' diag(lam) Cbr, B = conj(diag V) A diag V, D = diag((A V) .* conj V),
 * E = diag((A.' conj V) .* V), F = B + B.': H11 = F - D - E, H21 = j G (B - B.' - D + E),
 * H12 = H21.', H22 = G F G. For one branch end (near bus a, far bus b) only four entries of A
 * are non-zero, and with p = |V_a|^2 conj(Yaa) lam, q = conj(V_b) conj(Yab) lam V_a:
 *   H11 = q [-1 1; 1 -1],  H21 = j q [1/|Va| -1/|Va|; 1/|Vb| -1/|Vb|],
 *   H22 = [2p/|Va|^2  q/(|Va||Vb|); q/(|Va||Vb|)  0]     (rows/cols ordered a, b).
 */
import { AcNetwork } from './ac-network';
import { Voltages } from './dSbus_dV';
import { BranchEnd } from './dSbr_dV';
import { VBlocks } from './d2Sbus_dV2';

/**
 * Adds the Hessian of sum_k mu_k |S_k|^2 over one branch end of the branches il into the
 * Ybus-aligned blocks.
 */
export function d2ASbr_dV2(
  Y: AcNetwork,
  V: Voltages,
  il: ArrayLike<number>,
  e: BranchEnd,
  mu: ArrayLike<number>,
  end: 'from' | 'to',
  out: VBlocks,
): void {
  const { hAA, hMA, hAM, hMM } = out;
  const fr = end === 'from';
  for (let q = 0; q < il.length; q++) {
    const m = mu[q];
    if (m === 0) continue;
    const k = il[q];
    const a = e.a[q],
      b = e.b[q];
    // entry slots (a,a), (a,b), (b,a), (b,b)
    const paa = fr ? Y.pff[k] : Y.ptt[k],
      pab = fr ? Y.pft[k] : Y.ptf[k];
    const pba = fr ? Y.ptf[k] : Y.pft[k],
      pbb = fr ? Y.ptt[k] : Y.pff[k];
    const yaR = fr ? Y.yffR[k] : Y.yttR[k],
      yaI = fr ? Y.yffI[k] : Y.yttI[k];
    const ybR = fr ? Y.yftR[k] : Y.ytfR[k],
      ybI = fr ? Y.yftI[k] : Y.ytfI[k];
    // lam = conj(S) mu
    const lr = e.sr[q] * m,
      li = -e.si[q] * m;
    const ma = V.vm[a],
      mb = V.vm[b];
    // p = |V_a|^2 conj(Yaa) lam (real part only needed)
    const pr = ma * ma * (yaR * lr + yaI * li);
    // q = conj(V_b) conj(Yab) lam V_a
    const t1r = ybR * lr + ybI * li,
      t1i = ybR * li - ybI * lr; // conj(Yab) lam
    const t2r = V.vr[b] * V.vr[a] + V.vi[b] * V.vi[a],
      t2i = V.vr[b] * V.vi[a] - V.vi[b] * V.vr[a]; // conj(V_b) V_a
    const qr = t1r * t2r - t1i * t2i,
      qi = t1r * t2i + t1i * t2r;
    // 2 Re(H) of d2Sbr_dV2
    hAA[paa] += -2 * qr;
    hAA[pbb] += -2 * qr;
    hAA[pab] += 2 * qr;
    hAA[pba] += 2 * qr;
    hMA[paa] += (-2 * qi) / ma;
    hMA[pab] += (2 * qi) / ma;
    hMA[pba] += (-2 * qi) / mb;
    hMA[pbb] += (2 * qi) / mb;
    hAM[paa] += (-2 * qi) / ma;
    hAM[pba] += (2 * qi) / ma;
    hAM[pab] += (-2 * qi) / mb;
    hAM[pbb] += (2 * qi) / mb;
    hMM[paa] += (4 * pr) / (ma * ma);
    hMM[pab] += (2 * qr) / (ma * mb);
    hMM[pba] += (2 * qr) / (ma * mb);
    // 2 mu Re(dS_x conj(dS_y)), x,y in (Va_a, Va_b, Vm_a, Vm_b)
    const o = 4 * q;
    const re = (x: number, y: number) => 2 * m * (e.dr[o + x] * e.dr[o + y] + e.di[o + x] * e.di[o + y]);
    hAA[paa] += re(0, 0);
    hAA[pab] += re(0, 1);
    hAA[pba] += re(1, 0);
    hAA[pbb] += re(1, 1);
    hMM[paa] += re(2, 2);
    hMM[pab] += re(2, 3);
    hMM[pba] += re(3, 2);
    hMM[pbb] += re(3, 3);
    // (Vm row, Va col)
    hMA[paa] += re(2, 0);
    hMA[pab] += re(2, 1);
    hMA[pba] += re(3, 0);
    hMA[pbb] += re(3, 1);
    // (Va row, Vm col)
    hAM[paa] += re(0, 2);
    hAM[pab] += re(0, 3);
    hAM[pba] += re(1, 2);
    hAM[pbb] += re(1, 3);
  }
}
