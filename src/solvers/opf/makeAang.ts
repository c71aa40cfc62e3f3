/**
 * Branch angle-difference limits as MATPOWER's makeAang:
 *   lang <= Va(f) - Va(t) <= uang   (radians)
 * for branches whose ANGMIN is non-zero and > -360, or ANGMAX non-zero and < 360, or exactly
 * one of them non-zero. Limits below -360 / above 360 become -Inf / +Inf (exactly +-360 stays).
 */
import type { Csc } from '../sparse/csc';
import { cscFromTripletsKeep } from '../sparse/csc-ops';

export interface Aang {
  A: Csc;
  l: Float64Array;
  u: Float64Array;
  /** internal branch index of each row */
  iang: number[];
}

export function makeAang(
  nb: number,
  f: Int32Array,
  t: Int32Array,
  angmin: Float64Array,
  angmax: Float64Array,
  ignore = false,
): Aang {
  const iang: number[] = [];
  if (!ignore) {
    for (let k = 0; k < f.length; k++) {
      const a = angmin[k],
        b = angmax[k];
      if ((a !== 0 && a > -360) || (b !== 0 && b < 360) || (a !== 0 && b === 0) || (a === 0 && b !== 0)) iang.push(k);
    }
  }
  const n = iang.length;
  const r: number[] = [],
    c: number[] = [],
    v: number[] = [];
  const l = new Float64Array(n),
    u = new Float64Array(n);
  iang.forEach((k, i) => {
    r.push(i, i);
    c.push(f[k], t[k]);
    v.push(1, -1);
    l[i] = angmin[k] < -360 ? -Infinity : (angmin[k] * Math.PI) / 180;
    u[i] = angmax[k] > 360 ? Infinity : (angmax[k] * Math.PI) / 180;
  });
  return { A: cscFromTripletsKeep(n, nb, r, c, v), l, u, iang };
}
