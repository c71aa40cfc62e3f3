/**
 * The AC network of an OpfCase in internal numbering: branch two-port admittances (makeYbus.ts's
 * branchTwoPort, the formula the power flow uses) and the bus admittance matrix as MATPOWER's
 * makeYbus on the in-service subnetwork (makeYbus.ts works on file rows with out-of-service rows kept):
 *   Ys = 1/(r + jx), tap = t e^{j shift} (t = 1 when 0), Ytt = Ys + j b/2, Yff = Ytt/|tap|^2,
 *   Yft = -Ys/conj(tap), Ytf = -Ys/tap; Ybus = Cf'(Yff Cf + Yft Ct) + Ct'(Ytf Cf + Ytt Ct) + Ysh.
 * Ybus is stored on a fixed, structurally symmetric pattern (every diagonal present) with the
 * slot of each branch's four entries and each entry's transpose, for the derivative code.
 */
import { OpfCase } from './opf-case';
import { buildPattern } from '../sparse/pattern';
import { branchTwoPort, emptyBranchAdmittances } from '../makeYbus';

export interface AcNetwork {
  nb: number;
  nl: number;
  f: Int32Array;
  t: Int32Array;
  /** per internal branch: Yff, Yft, Ytf, Ytt (real and imaginary parts) */
  yffR: Float64Array;
  yffI: Float64Array;
  yftR: Float64Array;
  yftI: Float64Array;
  ytfR: Float64Array;
  ytfI: Float64Array;
  yttR: Float64Array;
  yttI: Float64Array;
  /** Ybus in CSC: column pointers, row of each entry, values */
  colPtr: Int32Array;
  rowIdx: Int32Array;
  /** column of each entry */
  colIdx: Int32Array;
  yR: Float64Array;
  yI: Float64Array;
  /** entry index of the transpose of each entry, and of each bus's diagonal */
  tpos: Int32Array;
  diag: Int32Array;
  /** entry indices of (f,f), (f,t), (t,f), (t,t) of each branch */
  pff: Int32Array;
  pft: Int32Array;
  ptf: Int32Array;
  ptt: Int32Array;
}

export function acNetwork(oc: OpfCase): AcNetwork {
  const { net, nb, nl, f, t, branchRow, busRow, baseMVA } = oc;
  const adm = emptyBranchAdmittances(nl);
  for (let k = 0; k < nl; k++) branchTwoPort(net.branch, branchRow[k], adm, k);
  const { re: yffR, im: yffI } = adm.Yff,
    { re: yftR, im: yftI } = adm.Yft;
  const { re: ytfR, im: ytfI } = adm.Ytf,
    { re: yttR, im: yttI } = adm.Ytt;
  const rows: number[] = [],
    cols: number[] = [];
  for (let i = 0; i < nb; i++) {
    rows.push(i);
    cols.push(i);
  }
  for (let k = 0; k < nl; k++) {
    rows.push(f[k], f[k], t[k], t[k]);
    cols.push(f[k], t[k], f[k], t[k]);
  }
  const pt = buildPattern(nb, nb, rows, cols);
  const nnz = pt.rowIdx.length;
  const yR = new Float64Array(nnz),
    yI = new Float64Array(nnz);
  const diag = pt.pos.slice(0, nb);
  for (let i = 0; i < nb; i++) {
    yR[diag[i]] += net.bus.Gs[busRow[i]] / baseMVA;
    yI[diag[i]] += net.bus.Bs[busRow[i]] / baseMVA;
  }
  const pff = new Int32Array(nl),
    pft = new Int32Array(nl),
    ptf = new Int32Array(nl),
    ptt = new Int32Array(nl);
  for (let k = 0; k < nl; k++) {
    const s = nb + 4 * k;
    pff[k] = pt.pos[s];
    pft[k] = pt.pos[s + 1];
    ptf[k] = pt.pos[s + 2];
    ptt[k] = pt.pos[s + 3];
    yR[pff[k]] += yffR[k];
    yI[pff[k]] += yffI[k];
    yR[pft[k]] += yftR[k];
    yI[pft[k]] += yftI[k];
    yR[ptf[k]] += ytfR[k];
    yI[ptf[k]] += ytfI[k];
    yR[ptt[k]] += yttR[k];
    yI[ptt[k]] += yttI[k];
  }
  const colIdx = new Int32Array(nnz);
  for (let j = 0; j < nb; j++) for (let p = pt.colPtr[j]; p < pt.colPtr[j + 1]; p++) colIdx[p] = j;
  const tpos = new Int32Array(nnz);
  for (let j = 0; j < nb; j++) {
    for (let p = pt.colPtr[j]; p < pt.colPtr[j + 1]; p++) {
      const i = pt.rowIdx[p];
      // find (j, i): column i, row j
      let lo = pt.colPtr[i],
        hi = pt.colPtr[i + 1] - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (pt.rowIdx[mid] < j) lo = mid + 1;
        else hi = mid;
      }
      tpos[p] = lo;
    }
  }
  return {
    nb,
    nl,
    f,
    t,
    yffR,
    yffI,
    yftR,
    yftI,
    ytfR,
    ytfI,
    yttR,
    yttI,
    colPtr: pt.colPtr,
    rowIdx: pt.rowIdx,
    colIdx,
    yR,
    yI,
    tpos,
    diag,
    pff,
    pft,
    ptf,
    ptt,
  };
}
