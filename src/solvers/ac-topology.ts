/**
 * What the AC power-flow cache depends on: element status, branch parameters, bus types
 * and shunts, generator connections. Loads, dispatch and voltage setpoints are not part of
 * it. A key is a copy of those columns, so later changes to the network are detected.
 */
import type { Network } from './network';

export interface TopologyKey {
  readonly cols: Float64Array[];
}

function columns(net: Network): Float64Array[] {
  const { bus, branch, gen } = net;
  return [
    bus.busI, bus.type, bus.Gs, bus.Bs,
    branch.fbus, branch.tbus, branch.r, branch.x, branch.b, branch.ratio, branch.angle, branch.status,
    gen.bus, gen.status, Float64Array.of(net.baseMVA),
  ];
}

export function topologyKey(net: Network): TopologyKey {
  return { cols: columns(net).map((c) => c.slice()) };
}

/** true when `net` has the topology the key was taken from (NaN never matches). */
export function sameTopology(key: TopologyKey, net: Network): boolean {
  const cols = columns(net);
  for (let k = 0; k < cols.length; k++) {
    const a = key.cols[k];
    const b = cols[k];
    if (a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  }
  return true;
}
