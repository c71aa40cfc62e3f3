/**
 * Connectivity check: which in-service buses are not connected to a reference bus through
 * in-service branches. Union-find with path halving and union by size: O((nb + nl) α).
 * Buses of type 4 (NONE) are out of service: they are never reported and connect nothing.
 */
import { NONE, Network, REF } from '../solvers/network';

export type IslandResult = { ok: true } | { ok: false; cutOff: number[] /* bus numbers not connected to a reference bus through in-service branches */ };

export function findIslands(net: Network): IslandResult {
  return islandsWithOutages(net, new Set(), new Set());
}

/**
 * Same as findIslands on the network with the given branch rows (0-based) and bus rows (0-based)
 * taken out, without cloning it.
 */
export function islandsWithOutages(net: Network, offBranchRows: ReadonlySet<number>, offBusRows: ReadonlySet<number>): IslandResult {
  const nb = net.bus.n;
  const parent = new Int32Array(nb);
  const size = new Int32Array(nb).fill(1);
  for (let i = 0; i < nb; i++) parent[i] = i;
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]];
      x = parent[x];
    }
    return x;
  };
  const inService = (row: number) => net.bus.type[row] !== NONE && !offBusRows.has(row);
  const br = net.branch;
  for (let l = 0; l < br.n; l++) {
    if (br.status[l] === 0 || offBranchRows.has(l)) continue;
    const f = net.busIndex.get(br.fbus[l]);
    const t = net.busIndex.get(br.tbus[l]);
    if (f === undefined || t === undefined || !inService(f) || !inService(t)) continue;
    let a = find(f), b = find(t);
    if (a === b) continue;
    if (size[a] < size[b]) [a, b] = [b, a];
    parent[b] = a;
    size[a] += size[b];
  }
  const hasRef = new Uint8Array(nb);
  for (let i = 0; i < nb; i++) if (net.bus.type[i] === REF && inService(i)) hasRef[find(i)] = 1;
  const cutOff: number[] = [];
  for (let i = 0; i < nb; i++) if (inService(i) && !hasRef[find(i)]) cutOff.push(net.bus.busI[i]);
  if (cutOff.length === 0) return { ok: true };
  cutOff.sort((a, b) => a - b);
  return { ok: false, cutOff };
}

/** "bus 8 is" / "buses 8, 9 and 10 are" ... (at most 20 listed). */
export function describeCutOff(cutOff: number[]): string {
  const shown = cutOff.slice(0, 20);
  const more = cutOff.length > shown.length ? ` and ${cutOff.length - shown.length} more` : '';
  if (cutOff.length === 1) return `bus ${cutOff[0]} is not connected to a reference bus through in-service branches`;
  const list = more ? `${shown.join(', ')}${more}` : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `buses ${list} (${cutOff.length} in total) are not connected to a reference bus through in-service branches`;
}
