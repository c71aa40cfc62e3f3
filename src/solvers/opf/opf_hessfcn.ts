/**
 * Hessian of the AC OPF Lagrangian (MATPOWER's opf_hessfcn):
 *   Lxx = cost_mult d2f + [Re d2Sbus(lamP) + Im d2Sbus(lamQ)] + d2ASbr_f(muF) + d2ASbr_t(muT)
 * on the fixed Hessian pattern (Ybus pattern in each voltage block, cost diagonal).
 */
import type { Csc } from '../sparse/csc';
import type { AcOpfModel } from './acopf-setup';
import { d2ASbr_dV2 } from './d2ASbr_dV2';
import { d2Sbus_dV2, vBlocks } from './d2Sbus_dV2';
import { sbus } from './dSbus_dV';
import { branchEnd } from './dSbr_dV';
import { acVoltages } from './opf_consfcn';
import { opf_costfcn } from './opf_costfcn';
import { fillPattern } from '../sparse/pattern';

export function opf_hessfcn(
  m: AcOpfModel,
  x: Float64Array,
  lam: Float64Array,
  mu: Float64Array,
  costMult: number,
): Csc {
  const { Y, nb, ng } = m;
  const V = acVoltages(m, x);
  const I = sbus(Y, V);
  const nnz = Y.rowIdx.length;
  const B = vBlocks(nnz);
  d2Sbus_dV2(Y, V, I, lam.subarray(0, nb), lam.subarray(nb, 2 * nb), B);
  const n2 = m.il.length;
  if (n2 > 0) {
    d2ASbr_dV2(Y, V, m.il, branchEnd(Y, V, m.il, 'from'), mu.subarray(0, n2), 'from', B);
    d2ASbr_dV2(Y, V, m.il, branchEnd(Y, V, m.il, 'to'), mu.subarray(n2, 2 * n2), 'to', B);
  }
  const c = opf_costfcn(m, x);
  const v = new Float64Array(4 * nnz + 2 * ng);
  for (let p = 0; p < nnz; p++) {
    v[4 * p] = B.hAA[p];
    v[4 * p + 1] = B.hMA[p];
    v[4 * p + 2] = B.hAM[p];
    v[4 * p + 3] = B.hMM[p];
  }
  for (let k = 0; k < 2 * ng; k++) v[4 * nnz + k] = c.d2[k] * costMult;
  return fillPattern(m.pH, v);
}
