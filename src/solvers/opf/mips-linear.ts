/**
 * MIPS's linear constraints (mips.m): bounds and linear rows stacked as AA = [I; A] with limits
 * [xmin; l] <= AA x <= [xmax; u], split into equalities (|u - l| <= eps) and one-sided
 * inequalities (upper only, lower only, both: each side its own row), and the multipliers of
 * the split rows mapped back to the rows of AA.
 */
import type { Csc } from '../sparse/csc';
import { cscDiag, cscHcat, cscScale, cscSelectCols, cscTranspose } from '../sparse/csc-ops';

export const EPS = 2.220446049250313e-16;

export interface MipsLinearSplit {
  /** rows of AA: equalities, x >= l only, x <= u only, both sides */
  ieq: number[];
  igt: number[];
  ilt: number[];
  ibx: number[];
  /** equalities AeT' x = be (AeT is nx x neq) */
  AeT: Csc;
  be: Float64Array;
  /** inequalities AiT' x <= bi, rows [ilt; -igt; ibx; -ibx] */
  AiT: Csc;
  bi: Float64Array;
}

export function splitLinearConstraints(
  nx: number,
  A: Csc,
  l: Float64Array,
  u: Float64Array,
  xmin: Float64Array,
  xmax: Float64Array,
): MipsLinearSplit {
  const nA = A.m;
  const AAt = cscHcat(cscDiag(new Float64Array(nx).fill(1)), cscTranspose(A)); // nx x (nx+nA)
  const ll = new Float64Array(nx + nA);
  const uu = new Float64Array(nx + nA);
  ll.set(xmin);
  ll.set(l, nx);
  uu.set(xmax);
  uu.set(u, nx);
  const ieq: number[] = [],
    igt: number[] = [],
    ilt: number[] = [],
    ibx: number[] = [];
  for (let i = 0; i < nx + nA; i++) {
    if (Math.abs(uu[i] - ll[i]) <= EPS) ieq.push(i);
    else if (uu[i] >= 1e10 && ll[i] > -1e10) igt.push(i);
    else if (ll[i] <= -1e10 && uu[i] < 1e10) ilt.push(i);
    else if (uu[i] < 1e10 && ll[i] > -1e10) ibx.push(i);
  }
  const AeT = cscSelectCols(AAt, ieq);
  const be = Float64Array.from(ieq, (i) => uu[i]);
  const sgn = [...ilt.map(() => 1), ...igt.map(() => -1), ...ibx.map(() => 1), ...ibx.map(() => -1)];
  const AiT = cscScale(cscSelectCols(AAt, [...ilt, ...igt, ...ibx, ...ibx]), null, sgn);
  const bi = Float64Array.from([
    ...ilt.map((i) => uu[i]),
    ...igt.map((i) => -ll[i]),
    ...ibx.map((i) => uu[i]),
    ...ibx.map((i) => -ll[i]),
  ]);
  return { ieq, igt, ilt, ibx, AeT, be, AiT, bi };
}

/**
 * Multipliers of the rows of AA (lower and upper side) from those of the split rows: lamLin of
 * the equalities (sign gives the side), muLin of the inequalities.
 */
export function linearMultipliers(
  s: MipsLinearSplit,
  nAA: number,
  lamLin: Float64Array,
  muLin: Float64Array,
): { muL: Float64Array; muU: Float64Array } {
  const { ieq, igt, ilt, ibx } = s;
  const nlt = ilt.length,
    ngt = igt.length,
    nbx = ibx.length;
  const muL = new Float64Array(nAA);
  const muU = new Float64Array(nAA);
  ieq.forEach((r, k) => {
    if (lamLin[k] < 0) muL[r] = -lamLin[k];
    else if (lamLin[k] > 0) muU[r] = lamLin[k];
  });
  igt.forEach((r, k) => {
    muL[r] = muLin[nlt + k];
  });
  ibx.forEach((r, k) => {
    muL[r] = muLin[nlt + ngt + nbx + k];
  });
  ilt.forEach((r, k) => {
    muU[r] = muLin[k];
  });
  ibx.forEach((r, k) => {
    muU[r] = muLin[nlt + ngt + k];
  });
  return { muL, muU };
}
