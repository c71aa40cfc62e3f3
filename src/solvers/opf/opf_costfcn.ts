/**
 * The AC OPF objective (MATPOWER's opf_costfcn for the default formulation): separable
 * quadratic generator costs 0.5 Q x^2 + c x + k on Pg / Qg (p.u.), higher-order polynomials
 * evaluated in MW, and the piecewise-linear cost variables y. Returns f, its gradient and the
 * diagonal of its Hessian over the Pg/Qg block.
 */
import type { AcOpfModel } from './acopf-setup';
import { polyval3 } from './opf-costs';

export interface CostEval {
  f: number;
  df: Float64Array;
  /** second derivative of the cost of each Pg/Qg variable (length 2 ng) */
  d2: Float64Array;
}

export function opf_costfcn(m: AcOpfModel, x: Float64Array): CostEval {
  const { cost, iPg, iy, ny, nx } = m;
  const base = m.oc.baseMVA;
  const df = new Float64Array(nx);
  const d2 = new Float64Array(2 * m.ng);
  let f = 0;
  const nv = cost.Q.length;
  for (let v = 0; v < nv; v++) {
    const xv = x[iPg + v];
    f += 0.5 * cost.Q[v] * xv * xv + cost.c[v] * xv + cost.k[v];
    df[iPg + v] = cost.Q[v] * xv + cost.c[v];
    d2[v] = cost.Q[v];
  }
  for (const v of cost.higher) {
    const [pv, d1, dd] = polyval3(m.costRows[v].coeffs, x[iPg + v] * base);
    f += pv;
    df[iPg + v] += d1 * base;
    d2[v] += dd * base * base;
  }
  for (let j = 0; j < ny; j++) {
    f += x[iy + j];
    df[iy + j] = 1;
  }
  return { f, df, d2 };
}
