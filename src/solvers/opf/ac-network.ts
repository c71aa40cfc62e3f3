/**
 * The AC network of an OpfCase in internal numbering: branch two-port admittances and the
 * bus admittance matrix as MATPOWER's makeYbus (private to the OPF; the shared ybus.ts works
 * on file rows with out-of-service rows kept, this one on the in-service subnetwork):
 *   Ys = 1/(r + jx), tap = t e^{j shift} (t = 1 when 0), Ytt = Ys + j b/2, Yff = Ytt/|tap|^2,
 *   Yft = -Ys/conj(tap), Ytf = -Ys/tap; Ybus = Cf'(Yff Cf + Yft Ct) + Ct'(Ytf Cf + Ytt Ct) + Ysh.
 * Ybus is stored on a fixed, structurally symmetric pattern (every diagonal present) with the
 * slot of each branch's four entries and each entry's transpose, for the derivative code.
 */
import { OpfCase } from './opf-case';
import { buildPattern } from './pattern';

export interface AcNetwork {
  nb: number;
  nl: number;
  f: Int32Array;
  t: Int32Array;
  /** per internal branch: Yff, Yft, Ytf, Ytt (real and imaginary parts) */
  yffR: Float64Array; yffI: Float64Array; yftR: Float64Array; yftI: Float64Array;
  ytfR: Float64Array; ytfI: Float64Array; yttR: Float64Array; yttI: Float64Array;
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
  pff: Int32Array; pft: Int32Array; ptf: Int32Array; ptt: Int32Array;
}

export function acNetwork(oc: OpfCase): AcNetwork {
  const { net, nb, nl, f, t, branchRow, busRow, baseMVA } = oc;
  const br = net.branch;
  const mk = () => new Float64Array(nl);
  const yffR = mk(), yffI = mk(), yftR = mk(), yftI = mk(), ytfR = mk(), ytfI = mk(), yttR = mk(), yttI = mk();
  for (let k = 0; k < nl; k++) {
    const l = branchRow[k];
    const den = br.r[l] * br.r[l] + br.x[l] * br.x[l];
    const ysr = br.r[l] / den, ysi = -br.x[l] / den;
    const tap = br.ratio[l] !== 0 ? br.ratio[l] : 1;
    const sh = (br.angle[l] * Math.PI) / 180;
    const tr = tap * Math.cos(sh), ti = tap * Math.sin(sh);
    const t2 = tr * tr + ti * ti;
    yttR[k] = ysr; yttI[k] = ysi + br.b[l] / 2;
    yffR[k] = yttR[k] / t2; yffI[k] = yttI[k] / t2;
    yftR[k] = -(ysr * tr - ysi * ti) / t2; yftI[k] = -(ysr * ti + ysi * tr) / t2;
    ytfR[k] = -(ysr * tr + ysi * ti) / t2; ytfI[k] = -(ysi * tr - ysr * ti) / t2;
  }
  const rows: number[] = [], cols: number[] = [];
  for (let i = 0; i < nb; i++) { rows.push(i); cols.push(i); }
  for (let k = 0; k < nl; k++) { rows.push(f[k], f[k], t[k], t[k]); cols.push(f[k], t[k], f[k], t[k]); }
  const pt = buildPattern(nb, nb, rows, cols);
  const nnz = pt.rowIdx.length;
  const yR = new Float64Array(nnz), yI = new Float64Array(nnz);
  const diag = pt.pos.slice(0, nb);
  for (let i = 0; i < nb; i++) {
    yR[diag[i]] += net.bus.Gs[busRow[i]] / baseMVA;
    yI[diag[i]] += net.bus.Bs[busRow[i]] / baseMVA;
  }
  const pff = new Int32Array(nl), pft = new Int32Array(nl), ptf = new Int32Array(nl), ptt = new Int32Array(nl);
  for (let k = 0; k < nl; k++) {
    const s = nb + 4 * k;
    pff[k] = pt.pos[s]; pft[k] = pt.pos[s + 1]; ptf[k] = pt.pos[s + 2]; ptt[k] = pt.pos[s + 3];
    yR[pff[k]] += yffR[k]; yI[pff[k]] += yffI[k];
    yR[pft[k]] += yftR[k]; yI[pft[k]] += yftI[k];
    yR[ptf[k]] += ytfR[k]; yI[ptf[k]] += ytfI[k];
    yR[ptt[k]] += yttR[k]; yI[ptt[k]] += yttI[k];
  }
  const colIdx = new Int32Array(nnz);
  for (let j = 0; j < nb; j++) for (let p = pt.colPtr[j]; p < pt.colPtr[j + 1]; p++) colIdx[p] = j;
  const tpos = new Int32Array(nnz);
  for (let j = 0; j < nb; j++) {
    for (let p = pt.colPtr[j]; p < pt.colPtr[j + 1]; p++) {
      const i = pt.rowIdx[p];
      // find (j, i): column i, row j
      let lo = pt.colPtr[i], hi = pt.colPtr[i + 1] - 1;
      while (lo < hi) { const mid = (lo + hi) >> 1; if (pt.rowIdx[mid] < j) lo = mid + 1; else hi = mid; }
      tpos[p] = lo;
    }
  }
  return {
    nb, nl, f, t, yffR, yffI, yftR, yftI, ytfR, ytfI, yttR, yttI,
    colPtr: pt.colPtr, rowIdx: pt.rowIdx, colIdx, yR, yI, tpos, diag, pff, pft, ptf, ptt,
  };
}
