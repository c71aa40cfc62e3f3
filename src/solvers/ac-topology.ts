/**
 * What the AC power-flow cache depends on: element status, branch parameters, bus types
 * and shunts, generator connections. Loads, dispatch and voltage setpoints are not part of
 * it. A key is a copy of those columns, so later changes to the network are detected.
 *
 * The structure key leaves branch status out: branch outages change Ybus values on a fixed
 * pattern (ybus-assembly.ts), not the pattern, so they share one structure.
 */
import type { Network } from '../grid/network';
import { KeptColumn, sameNumbers } from './same-numbers';

export interface TopologyKey {
  readonly cols: Float64Array[];
}

/** A structure key: its columns kept for the check every warm solve makes (sameStructure). */
export interface StructureKey extends TopologyKey {
  readonly kept: KeptColumn[];
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
export function structureKey(net: Network): StructureKey {
  const kept = columns(net, false).map((c) => new KeptColumn(c));
  return { cols: kept.map((k) => k.copy), kept };
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
export function sameStructure(key: StructureKey, net: Network): boolean {
  const k = key.kept;
  if (k.length !== 14) return false;
  const { bus, branch, gen } = net;
  const mva = key.cols[13];
  return (
    k[0].matches(gen.status) &&
    k[1].matches(bus.type) &&
    k[2].matches(gen.bus) &&
    k[3].matches(bus.Gs) &&
    k[4].matches(bus.Bs) &&
    k[5].matches(bus.busI) &&
    k[6].matches(branch.fbus) &&
    k[7].matches(branch.tbus) &&
    k[8].matches(branch.r) &&
    k[9].matches(branch.x) &&
    k[10].matches(branch.b) &&
    k[11].matches(branch.ratio) &&
    k[12].matches(branch.angle) &&
    mva.length === 1 &&
    (mva[0] === net.baseMVA || (mva[0] !== mva[0] && net.baseMVA !== net.baseMVA))
  );
}
