/**
 * Piecewise-linear costs as constrained cost variables (MATPOWER's makeAy):
 * for a generator with points (p_1, c_1) .. (p_n, c_n) (p in p.u.), one variable y and n-1 rows
 *   m_k x - y <= m_k p_k - c_k,   m_k = (c_{k+1} - c_k) / (p_{k+1} - p_k),
 * i.e. y >= c_k + m_k (x - p_k), so that min y is the convex piecewise-linear cost.
 */
import type { Csc } from '../sparse/csc';
import { GenCostRow } from '../../grid/network';
import { cscFromTripletsKeep } from '../sparse/csc-ops';

export interface Ay {
  /** rows x [cost-carrying variables (nvar), y (ny)] */
  A: Csc;
  b: Float64Array;
  ny: number;
  /** for each y: the variable (column index < nvar) whose cost it carries */
  yVar: number[];
  /** largest y value in the cost data, for MATPOWER's starting point */
  maxY: number;
}

/**
 * @param rows cost rows, one per variable that may carry a cost (e.g. Pg then Qg)
 * @param pwl indices into rows of the piecewise-linear ones
 */
export function makeAy(baseMVA: number, rows: GenCostRow[], pwl: number[]): Ay {
  const nvar = rows.length;
  const ny = pwl.length;
  const r: number[] = [],
    c: number[] = [],
    v: number[] = [];
  const b: number[] = [];
  let maxY = -Infinity;
  let k = 0;
  pwl.forEach((i, j) => {
    const d = rows[i].coeffs;
    const ns = d.length / 2;
    maxY = Math.max(maxY, d[2 * ns - 1]);
    for (let s = 0; s < ns - 1; s++) {
      const p0 = d[2 * s] / baseMVA,
        p1 = d[2 * s + 2] / baseMVA;
      const m = (d[2 * s + 3] - d[2 * s + 1]) / (p1 - p0);
      r.push(k, k);
      c.push(i, nvar + j);
      v.push(m, -1);
      b.push(m * p0 - d[2 * s + 1]);
      k++;
    }
  });
  return { A: cscFromTripletsKeep(k, nvar + ny, r, c, v), b: Float64Array.from(b), ny, yVar: pwl.slice(), maxY };
}
