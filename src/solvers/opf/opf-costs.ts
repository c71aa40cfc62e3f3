/**
 * Generator costs as opf_setup prepares them:
 * - piecewise-linear rows with 2 points become linear polynomials (pwl1);
 * - polynomials lose leading zero coefficients (order reduction);
 * - quadratic-or-lower polynomials become a separable quadratic cost in p.u. variables
 *   0.5 Q x^2 + c x + k with Q = 2 c2 baseMVA^2, c = c1 baseMVA, k = c0;
 * - higher orders are kept as general polynomials (AC only; DC rejects them);
 * - piecewise-linear rows with 3+ points become cost variables y (makeAy).
 */
import { GenCostRow } from '../../grid/network';

export interface QuadCost {
  /** per variable (generator), p.u. scaling applied */
  Q: Float64Array;
  c: Float64Array;
  k: Float64Array;
  /** variables whose cost is a polynomial of degree > 2 (coefficients highest first, MW) */
  higher: number[];
  /** variables with a piecewise-linear cost (3+ points) */
  pwl: number[];
  /** true when some Q is non-zero (or a higher order polynomial exists) */
  nonlinear: boolean;
}

/** pwl1 conversion and order reduction of one gencost row. */
export function normalizeCostRow(r: GenCostRow): GenCostRow {
  if (r.model === 1 && r.coeffs.length === 4) {
    const [x0, y0, x1, y1] = r.coeffs;
    const m = (y1 - y0) / (x1 - x0);
    return { model: 2, startup: r.startup, shutdown: r.shutdown, coeffs: [m, y0 - m * x0] };
  }
  if (r.model === 2) {
    const c = r.coeffs.slice();
    while (c.length > 2 && c[0] === 0) c.shift();
    return { ...r, coeffs: c };
  }
  return r;
}

export function quadCost(rows: GenCostRow[], baseMVA: number): QuadCost {
  const n = rows.length;
  const Q = new Float64Array(n),
    c = new Float64Array(n),
    k = new Float64Array(n);
  const higher: number[] = [];
  const pwl: number[] = [];
  rows.forEach((r0, i) => {
    const r = normalizeCostRow(r0);
    if (r.model === 1) {
      pwl.push(i);
      return;
    }
    const a = r.coeffs;
    if (a.length === 3) {
      Q[i] = 2 * a[0] * baseMVA * baseMVA;
      c[i] = a[1] * baseMVA;
      k[i] = a[2];
    } else if (a.length === 2) {
      c[i] = a[0] * baseMVA;
      k[i] = a[1];
    } else if (a.length === 1) k[i] = a[0];
    else if (a.length > 3) higher.push(i);
  });
  return { Q, c, k, higher, pwl, nonlinear: Q.some((q) => q !== 0) || higher.length > 0 };
}

/** Value, first and second derivative of a polynomial (highest first) in MW at x MW. */
export function polyval3(a: number[], x: number): [number, number, number] {
  let f = 0,
    d1 = 0,
    d2 = 0;
  for (const ai of a) {
    d2 = d2 * x + 2 * d1;
    d1 = d1 * x + f;
    f = f * x + ai;
  }
  return [f, d1, d2];
}
