/**
 * A certain sign of an infeasible OPF, checked before the solver runs: the in-service fixed
 * load (Pd, plus shunt conductance: at 1 p.u. for DC, at the most favourable voltage within
 * [Vmin, Vmax] for AC) exceeds the sum of Pmax of the generators in service. Losses only add
 * to the load, so no dispatch can then balance the system. Dispatchable loads (generators with
 * Pmin < 0) have Pmax 0 and serve nothing here.
 */
import type { OpfCase } from './opf-case';

/** Tolerance in MW (solvers balance to about 1e-6 MW). */
const TOL_MW = 1e-6;

export function generationShortfall(oc: OpfCase, ac: boolean): string | undefined {
  const { net } = oc;
  let load = 0;
  for (const i of oc.busRow) {
    const gs = net.bus.Gs[i];
    const v2 = !ac ? 1 : gs >= 0 ? net.bus.Vmin[i] ** 2 : net.bus.Vmax[i] ** 2;
    load += net.bus.Pd[i] + gs * v2;
  }
  let capacity = 0;
  for (const g of oc.genRow) capacity += net.gen.Pmax[g];
  if (load <= capacity + TOL_MW) return undefined;
  return `infeasible: the in-service load is ${load.toFixed(1)} MW${ac ? ' at least' : ''}, more than the ${capacity.toFixed(1)} MW the in-service generators can supply (sum of Pmax)`;
}
