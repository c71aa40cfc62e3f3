/**
 * Connectivity check: which in-service buses are not connected to a reference bus through
 * in-service branches. Union-find with path halving and union by size: O((nb + nl) α).
 * Buses of type 4 (NONE) are out of service: they are never reported and connect nothing.
 *
 * For many scenarios over one base network, IslandChecker precomputes branch end rows and the
 * bridges of the base topology (Tarjan), so a single-branch outage that is not a bridge is
 * answered in O(1): N-1 over a 16,000-branch case costs one union-find per bridge, not per branch.
 */
import { NONE, Network, REF } from '../grid/network';

export type IslandResult =
  | { ok: true }
  | { ok: false; cutOff: number[] /* bus numbers not connected to a reference bus through in-service branches */ };

export function findIslands(net: Network): IslandResult {
  return new IslandChecker(net).check(new Set(), new Set());
}

/**
 * Same as findIslands on the network with the given branch rows (0-based) and bus rows (0-based)
 * taken out, without cloning it.
 */
export function islandsWithOutages(
  net: Network,
  offBranchRows: ReadonlySet<number>,
  offBusRows: ReadonlySet<number>,
): IslandResult {
  return new IslandChecker(net).check(offBranchRows, offBusRows);
}

/** Answers island queries against one network that is not changed while the checker is in use. */
export class IslandChecker {
  private readonly f: Int32Array;
  private readonly t: Int32Array;
  private readonly busOn: Uint8Array;
  private readonly branchOn: Uint8Array;
  private base?: IslandResult;
  private bridges?: Uint8Array;

  constructor(private readonly net: Network) {
    const nb = net.bus.n,
      nl = net.branch.n;
    this.f = new Int32Array(nl);
    this.t = new Int32Array(nl);
    this.busOn = new Uint8Array(nb);
    this.branchOn = new Uint8Array(nl);
    for (let i = 0; i < nb; i++) this.busOn[i] = net.bus.type[i] !== NONE ? 1 : 0;
    for (let l = 0; l < nl; l++) {
      const f = net.busIndex.get(net.branch.fbus[l]) ?? -1;
      const t = net.busIndex.get(net.branch.tbus[l]) ?? -1;
      this.f[l] = f;
      this.t[l] = t;
      this.branchOn[l] =
        net.branch.status[l] !== 0 && f >= 0 && t >= 0 && this.busOn[f] === 1 && this.busOn[t] === 1 ? 1 : 0;
    }
  }

  check(offBranchRows: ReadonlySet<number>, offBusRows: ReadonlySet<number>): IslandResult {
    if (offBranchRows.size === 0 && offBusRows.size === 0)
      return (this.base ??= this.unionFind(offBranchRows, offBusRows));
    if (offBusRows.size === 0 && offBranchRows.size === 1) {
      const base = (this.base ??= this.unionFind(new Set(), new Set()));
      const [l] = offBranchRows;
      if (base.ok && (!this.branchOn[l] || !this.bridgeMask()[l])) return base;
    }
    return this.unionFind(offBranchRows, offBusRows);
  }

  private unionFind(offBranchRows: ReadonlySet<number>, offBusRows: ReadonlySet<number>): IslandResult {
    const nb = this.net.bus.n;
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
    const on = (row: number) => this.busOn[row] === 1 && !offBusRows.has(row);
    for (let l = 0; l < this.f.length; l++) {
      if (!this.branchOn[l] || offBranchRows.has(l)) continue;
      const f = this.f[l],
        t = this.t[l];
      if (!on(f) || !on(t)) continue;
      let a = find(f),
        b = find(t);
      if (a === b) continue;
      if (size[a] < size[b]) [a, b] = [b, a];
      parent[b] = a;
      size[a] += size[b];
    }
    const hasRef = new Uint8Array(nb);
    for (let i = 0; i < nb; i++) if (this.net.bus.type[i] === REF && on(i)) hasRef[find(i)] = 1;
    const cutOff: number[] = [];
    for (let i = 0; i < nb; i++) if (on(i) && !hasRef[find(i)]) cutOff.push(this.net.bus.busI[i]);
    if (cutOff.length === 0) return { ok: true };
    cutOff.sort((a, b) => a - b);
    return { ok: false, cutOff };
  }

  /** 1 for branches whose loss disconnects the in-service graph (iterative Tarjan, parallel branches handled). */
  private bridgeMask(): Uint8Array {
    if (this.bridges) return this.bridges;
    const nb = this.net.bus.n,
      nl = this.f.length;
    // adjacency in CSR form over in-service branches
    const deg = new Int32Array(nb + 1);
    for (let l = 0; l < nl; l++)
      if (this.branchOn[l]) {
        deg[this.f[l] + 1]++;
        deg[this.t[l] + 1]++;
      }
    for (let i = 0; i < nb; i++) deg[i + 1] += deg[i];
    const adjBus = new Int32Array(deg[nb]),
      adjBr = new Int32Array(deg[nb]);
    const fill = deg.slice(0, nb);
    for (let l = 0; l < nl; l++) {
      if (!this.branchOn[l]) continue;
      const f = this.f[l],
        t = this.t[l];
      adjBus[fill[f]] = t;
      adjBr[fill[f]++] = l;
      adjBus[fill[t]] = f;
      adjBr[fill[t]++] = l;
    }
    const disc = new Int32Array(nb).fill(-1),
      low = new Int32Array(nb),
      parentBr = new Int32Array(nb).fill(-1),
      next = new Int32Array(nb);
    const stack = new Int32Array(nb);
    const bridges = new Uint8Array(nl);
    let time = 0;
    for (let s = 0; s < nb; s++) {
      if (disc[s] >= 0 || !this.busOn[s]) continue;
      let sp = 0;
      stack[sp++] = s;
      disc[s] = low[s] = time++;
      next[s] = deg[s];
      while (sp > 0) {
        const u = stack[sp - 1];
        if (next[u] < deg[u + 1]) {
          const k = next[u]++;
          const v = adjBus[k],
            br = adjBr[k];
          if (br === parentBr[u]) continue;
          if (disc[v] < 0) {
            parentBr[v] = br;
            disc[v] = low[v] = time++;
            next[v] = deg[v];
            stack[sp++] = v;
          } else if (disc[v] < low[u]) low[u] = disc[v];
        } else {
          sp--;
          const pb = parentBr[u];
          if (pb >= 0) {
            const p = this.f[pb] === u ? this.t[pb] : this.f[pb];
            if (low[u] < low[p]) low[p] = low[u];
            if (low[u] > disc[p]) bridges[pb] = 1;
          }
        }
      }
    }
    this.bridges = bridges;
    return bridges;
  }
}

/** "bus 8 is" / "buses 8, 9 and 10 are" ... (at most 20 listed). */
export function describeCutOff(cutOff: number[]): string {
  const shown = cutOff.slice(0, 20);
  const more = cutOff.length > shown.length ? ` and ${cutOff.length - shown.length} more` : '';
  if (cutOff.length === 1) return `bus ${cutOff[0]} is not connected to a reference bus through in-service branches`;
  const list = more ? `${shown.join(', ')}${more}` : `${shown.slice(0, -1).join(', ')} and ${shown[shown.length - 1]}`;
  return `buses ${list} (${cutOff.length} in total) are not connected to a reference bus through in-service branches`;
}
