/**
 * What the AC power-flow cache depends on: element status, branch parameters, bus types
 * and shunts, generator connections. Loads, dispatch and voltage setpoints are not part of
 * it. A key is a copy of those columns, so later changes to the network are detected.
 *
 * The structure key leaves branch status out: branch outages change Ybus values on a fixed
 * pattern (ybus-assembly.ts), not the pattern, so they share one structure.
 */
import type { Network } from '../grid/network';
import { sameNumbers } from './same-numbers';

export interface TopologyKey {
  readonly cols: Float64Array[];
}

/** The key columns, in the order sameStructure (below) compares them. */
function columns(net: Network, withBranchStatus = true): Float64Array[] {
  const { bus, branch, gen } = net;
  // the columns scenarios change most (statuses, bus types) first: a mismatch stops early
  const cols = [
    gen.status,
    bus.type,
    gen.bus,
    bus.Gs,
    bus.Bs,
    bus.busI,
    branch.fbus,
    branch.tbus,
    branch.r,
    branch.x,
    branch.b,
    branch.ratio,
    branch.angle,
    Float64Array.of(net.baseMVA),
  ];
  if (withBranchStatus) cols.push(branch.status);
  return cols;
}

/** Key of everything but branch status (the Ybus pattern and bus types depend on it). */
export function structureKey(net: Network): TopologyKey {
  return { cols: columns(net, false).map((c) => c.slice()) };
}

function sameColumns(key: TopologyKey, cols: Float64Array[]): boolean {
  if (key.cols.length !== cols.length) return false;
  for (let k = 0; k < cols.length; k++) if (!sameNumbers(key.cols[k], cols[k])) return false;
  return true;
}

/** true when `net` has the topology the key was taken from (same numbers, see same-numbers.ts). */
export function sameTopology(key: TopologyKey, net: Network): boolean {
  return sameColumns(key, columns(net));
}

/**
 * true when `net` has the structure `structureKey` was taken from (branch status free). Asked
 * on every warm solve: compares column by column in `columns`' order without building the
 * list (no allocation per solve).
 */
export function sameStructure(key: TopologyKey, net: Network): boolean {
  const k = key.cols;
  if (k.length !== 14) return false;
  const { bus, branch, gen } = net;
  return (
    sameNumbers(k[0], gen.status) &&
    sameNumbers(k[1], bus.type) &&
    sameNumbers(k[2], gen.bus) &&
    sameNumbers(k[3], bus.Gs) &&
    sameNumbers(k[4], bus.Bs) &&
    sameNumbers(k[5], bus.busI) &&
    sameNumbers(k[6], branch.fbus) &&
    sameNumbers(k[7], branch.tbus) &&
    sameNumbers(k[8], branch.r) &&
    sameNumbers(k[9], branch.x) &&
    sameNumbers(k[10], branch.b) &&
    sameNumbers(k[11], branch.ratio) &&
    sameNumbers(k[12], branch.angle) &&
    k[13].length === 1 &&
    (k[13][0] === net.baseMVA || (k[13][0] !== k[13][0] && net.baseMVA !== net.baseMVA))
  );
}
