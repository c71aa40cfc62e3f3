/** The outages bench:contingency (and bench/pf-warm-profile.ts) solve. */
import { busesWithoutReference, bustypes, elementStatus } from '../src/solvers/bustypes';
import type { Network } from '../src/grid/network';

/** In-service branches whose outage keeps every in-service bus connected to a reference. */
export function connectedOutages(net: Network, max: number): number[] {
  const st = elementStatus(net);
  const { ref } = bustypes(net, st);
  const out: number[] = [];
  for (let l = 0; l < net.branch.n && out.length < max; l++) {
    if (!st.branchOn[l]) continue;
    st.branchOn[l] = 0;
    if (busesWithoutReference(net, st, ref).length === 0) out.push(l);
    st.branchOn[l] = 1;
  }
  return out;
}
