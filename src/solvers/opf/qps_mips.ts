/**
 * Quadratic (and linear) programs with MIPS, as MATPOWER's qps_mips:
 *   min 0.5 x'Hx + c'x  s.t.  l <= A x <= u,  xmin <= x <= xmax.
 * The Hessian is the constant H; there are no nonlinear constraints.
 */
import type { Csc } from '../sparse/csc';
import { cscMulVec } from '../sparse/csc';
import { cscScale } from '../sparse/csc-ops';
import { mips, MipsOptions, MipsResult } from './mips';

export interface QpProblem {
  H: Csc;
  c: Float64Array;
  A: Csc;
  l: Float64Array;
  u: Float64Array;
  xmin: Float64Array;
  xmax: Float64Array;
  x0: Float64Array;
}

export function qpsMips(p: QpProblem, opt: MipsOptions = {}): MipsResult {
  // (opt.kktOrder, when given, orders the KKT of [H A_eq'; A_eq 0])
  const f = (x: Float64Array) => {
    const Hx = cscMulVec(p.H, x);
    let v = 0;
    const df = new Float64Array(x.length);
    for (let i = 0; i < x.length; i++) {
      v += x[i] * (0.5 * Hx[i] + p.c[i]);
      df[i] = Hx[i] + p.c[i];
    }
    return { f: v, df };
  };
  return mips(
    {
      x0: p.x0,
      f,
      hess: (_x, _l, _m, cm) => cscScale(p.H, null, new Float64Array(p.H.n).fill(cm)),
      A: p.A,
      l: p.l,
      u: p.u,
      xmin: p.xmin,
      xmax: p.xmax,
    },
    opt,
  );
}
