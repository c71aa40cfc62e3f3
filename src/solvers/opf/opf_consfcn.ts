/**
 * The AC OPF nonlinear constraints and their Jacobians (MATPOWER's opf_consfcn, i.e.
 * opf_power_balance_fcn and opf_branch_flow_fcn with opf.flow_lim 'S'):
 *   g = [Re(mis); Im(mis)],  mis = V conj(Ybus V) - Cg (Pg + j Qg) + (Pd + j Qd)/baseMVA
 *   h = [|Sf|^2 - Smax^2; |St|^2 - Smax^2]
 * Jacobians are returned transposed (nx x ng, nx x nh) on fixed patterns, as MIPS takes them.
 */
import type { AcOpfModel } from './acopf-setup';
import { dSbus_dV, sbus, voltages, Voltages } from './dSbus_dV';
import { branchEnd } from './dSbr_dV';
import { fillPattern } from '../sparse/pattern';
import type { MipsConstraints } from './mips';

export function acVoltages(m: AcOpfModel, x: Float64Array): Voltages {
  return voltages(x.subarray(0, m.nb), x.subarray(m.iVm, m.iVm + m.nb));
}

export function opf_consfcn(m: AcOpfModel, x: Float64Array): MipsConstraints {
  const { Y, nb, ng, iPg, iQg } = m;
  const V = acVoltages(m, x);
  const I = sbus(Y, V);
  const g = new Float64Array(2 * nb);
  for (let i = 0; i < nb; i++) {
    g[i] = I.sr[i] + m.Pd[i];
    g[nb + i] = I.si[i] + m.Qd[i];
  }
  const gb = m.oc.genBus;
  for (let k = 0; k < ng; k++) {
    g[gb[k]] -= x[iPg + k];
    g[nb + gb[k]] -= x[iQg + k];
  }
  const d = dSbus_dV(Y, V, I);
  const nnz = Y.rowIdx.length;
  const gv = new Float64Array(4 * nnz + 2 * ng);
  for (let p = 0; p < nnz; p++) {
    gv[4 * p] = d.aR[p];
    gv[4 * p + 1] = d.mR[p];
    gv[4 * p + 2] = d.aI[p];
    gv[4 * p + 3] = d.mI[p];
  }
  gv.fill(-1, 4 * nnz);

  const n2 = m.il.length;
  const h = new Float64Array(2 * n2);
  const hv = new Float64Array(8 * n2);
  const ends = [branchEnd(Y, V, m.il, 'from'), branchEnd(Y, V, m.il, 'to')];
  ends.forEach((e, s) => {
    for (let q = 0; q < n2; q++) {
      h[s * n2 + q] = e.sr[q] * e.sr[q] + e.si[q] * e.si[q] - m.flowMax2[q];
      for (let c = 0; c < 4; c++)
        hv[4 * (s * n2 + q) + c] = 2 * (e.sr[q] * e.dr[4 * q + c] + e.si[q] * e.di[4 * q + c]);
    }
  });
  return { g, h, dg: fillPattern(m.pg, gv), dh: fillPattern(m.ph, hv) };
}
