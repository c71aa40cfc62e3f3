/**
 * The KKT matrix of one MIPS iteration,
 *
 *   K = [ Lxx + dhS diag(w) dhS' + delta I   B                      ]
 *       [ B'                                  diag(D) - delta/100 I  ]
 *
 * assembled on a pattern built once: Lxx, dhS and B keep their patterns across the iterations
 * (fixed Hessian and Jacobian patterns), so every contribution has a fixed position in K and
 * each iteration is one scatter-add pass, with no sparse products, transposes or
 * concatenations. K's colPtr/rowIdx are the same arrays every iteration (the LU's pattern test
 * is O(1) and its analysis is reused). The diagonal is always in the pattern (explicit zeros
 * where it is empty), so the regularised systems share it too.
 */
import type { Csc } from '../sparse/csc';
import { samePattern } from '../sparse/csc-ops';
import { tripletPattern } from '../sparse/triplet-pattern';

export class KktAssembly {
  readonly n: number;
  private readonly nx: number;
  private readonly colPtr: Int32Array;
  private readonly rowIdx: Int32Array;
  /** positions in K of Lxx's entries, of B's entries and of their transposes */
  private readonly posL: Int32Array;
  private readonly posB: Int32Array;
  private readonly posBt: Int32Array;
  /** diagonal positions of K */
  private readonly posDiag: Int32Array;
  /** product terms: w[col] * dhS(pa) * dhS(pb) lands on posP */
  private readonly termCol: Int32Array;
  private readonly termA: Int32Array;
  private readonly termB: Int32Array;
  private readonly posP: Int32Array;
  private readonly patterns: [Csc, Csc, Csc];

  constructor(Lxx: Csc, dhS: Csc, B: Csc) {
    const nx = Lxx.n,
      nc = B.n,
      n = nx + nc;
    this.n = n;
    this.nx = nx;
    this.patterns = [Lxx, dhS, B];
    const nL = Lxx.colPtr[nx],
      nB = B.colPtr[nc];
    let nTerms = 0;
    for (let k = 0; k < dhS.n; k++) {
      const c = dhS.colPtr[k + 1] - dhS.colPtr[k];
      nTerms += c * c;
    }
    const total = nL + n + 2 * nB + nTerms;
    const rows = new Int32Array(total),
      cols = new Int32Array(total);
    let t = 0;
    for (let j = 0; j < nx; j++)
      for (let p = Lxx.colPtr[j]; p < Lxx.colPtr[j + 1]; p++) {
        rows[t] = Lxx.rowIdx[p];
        cols[t++] = j;
      }
    for (let i = 0; i < n; i++) {
      rows[t] = i;
      cols[t++] = i;
    }
    for (let j = 0; j < nc; j++)
      for (let p = B.colPtr[j]; p < B.colPtr[j + 1]; p++) {
        rows[t] = B.rowIdx[p];
        cols[t++] = nx + j;
      }
    for (let j = 0; j < nc; j++)
      for (let p = B.colPtr[j]; p < B.colPtr[j + 1]; p++) {
        rows[t] = nx + j;
        cols[t++] = B.rowIdx[p];
      }
    this.termCol = new Int32Array(nTerms);
    this.termA = new Int32Array(nTerms);
    this.termB = new Int32Array(nTerms);
    let s = 0;
    for (let k = 0; k < dhS.n; k++) {
      for (let pa = dhS.colPtr[k]; pa < dhS.colPtr[k + 1]; pa++) {
        for (let pb = dhS.colPtr[k]; pb < dhS.colPtr[k + 1]; pb++) {
          this.termCol[s] = k;
          this.termA[s] = pa;
          this.termB[s++] = pb;
          rows[t] = dhS.rowIdx[pa];
          cols[t++] = dhS.rowIdx[pb];
        }
      }
    }
    const pt = tripletPattern(n, n, rows, cols);
    this.colPtr = pt.colPtr;
    this.rowIdx = pt.rowIdx;
    this.posL = pt.pos.slice(0, nL);
    this.posDiag = pt.pos.slice(nL, nL + n);
    this.posB = pt.pos.slice(nL + n, nL + n + nB);
    this.posBt = pt.pos.slice(nL + n + nB, nL + n + 2 * nB);
    this.posP = pt.pos.slice(nL + n + 2 * nB);
  }

  /** true when the three blocks have the patterns this assembly was built for */
  fits(Lxx: Csc, dhS: Csc, B: Csc): boolean {
    const [a, b, c] = this.patterns;
    return samePattern(a, Lxx) && samePattern(b, dhS) && samePattern(c, B);
  }

  /**
   * @param w weights of dhS's columns (mu/z)
   * @param D the (2,2) diagonal (length B.n), null for zeros
   * @param delta regularisation (0: none)
   */
  assemble(Lxx: Csc, dhS: Csc, w: Float64Array, B: Csc, D: Float64Array | null, delta: number): Csc {
    const v = new Float64Array(this.rowIdx.length);
    const { posL, posB, posBt, posDiag, posP, termCol, termA, termB, nx } = this;
    const lv = Lxx.values,
      hv = dhS.values,
      bv = B.values;
    for (let p = 0; p < posL.length; p++) v[posL[p]] += lv[p];
    for (let s = 0; s < posP.length; s++) v[posP[s]] += w[termCol[s]] * hv[termA[s]] * hv[termB[s]];
    for (let p = 0; p < posB.length; p++) {
      v[posB[p]] += bv[p];
      v[posBt[p]] += bv[p];
    }
    if (delta > 0) for (let i = 0; i < nx; i++) v[posDiag[i]] += delta;
    if (D || delta > 0) {
      for (let j = 0; j < this.n - nx; j++) v[posDiag[nx + j]] += (D ? D[j] : 0) - delta * 1e-2;
    }
    return { m: this.n, n: this.n, colPtr: this.colPtr, rowIdx: this.rowIdx, values: v };
  }
}
