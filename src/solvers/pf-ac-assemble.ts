/**
 * The AC power flow's Solution from a converged Newton result and pfsoln's output: bus
 * voltages (NaN on buses left out of the solve), injections, generators on excluded buses at
 * 0, and MATPOWER's angle shift back to the original reference after reactive limits moved it.
 */
import type { pfsoln } from './pfsoln';
import { Network, REF } from '../grid/network';
import type { Solution, SolutionArrays } from './solution';
import type { ZVec } from './sparse/zcsc';
import type { QlimState } from './ac-qlims';
import type { AcTopology } from './pf-ac-cache';

export function assembleAcSolution(
  net: Network,
  c: AcTopology,
  types: Int8Array,
  r: { V: ZVec; Vm: Float64Array; Va: Float64Array },
  sol: ReturnType<typeof pfsoln>,
  its: number,
  ql: QlimState | null,
  out: SolutionArrays,
): Solution {
  const nb = net.bus.n;
  const { vm, vaDeg, pMw, qMvar } = out.bus;
  const base = net.baseMVA;
  const excluded = c.excluded;
  const { Vm, Va } = r;
  const Vr = r.V.re,
    Vi = r.V.im,
    Sr = sol.Sbus.re,
    Si = sol.Sbus.im;
  for (let i = 0; i < nb; i++) {
    if (excluded[i]) {
      vm[i] = NaN;
      vaDeg[i] = NaN;
      pMw[i] = 0;
      qMvar[i] = 0;
      continue;
    }
    // |V| and angle(V) of V = Vm e^{j Va} are Newton's Vm and Va (Va wrapped to (-pi, pi]),
    // equal to MATPOWER's abs(V) and angle(V) to the last bit or two, without hypot / atan2
    const va = Va[i];
    vm[i] = Vm[i];
    vaDeg[i] = ((va > -Math.PI && va <= Math.PI ? va : Math.atan2(Vi[i], Vr[i])) * 180) / Math.PI;
    pMw[i] = Sr[i] * base;
    qMvar[i] = Si[i] * base;
  }
  if (ql) {
    // MATPOWER: when limits moved the reference, shift angles back to the original reference
    const ref0 = ql.ref0[0];
    if (!types.every((t, i) => (t === REF) === (c.typeAfter[i] === REF))) {
      const shift = ql.vaRef0Deg[0] - vaDeg[ref0];
      for (let i = 0; i < nb; i++) if (!excluded[i]) vaDeg[i] += shift;
    }
  }
  const pg = sol.pg,
    qg = sol.qg;
  const genBus = c.status.genBus;
  for (let g = 0, ng = net.gen.n; g < ng; g++)
    if (excluded[genBus[g]]) {
      pg[g] = 0;
      qg[g] = 0;
    }
  return {
    task: 'pf_ac',
    converged: true,
    iterations: its,
    solveMs: 0,
    objective: null,
    error: null,
    bus: out.bus,
    gen: out.gen,
    branch: out.branch,
    isolatedBuses: c.isolatedBusNumbers.length ? c.isolatedBusNumbers.slice() : [],
  };
}
