/**
 * A fill-reducing symmetric order that eliminates the nodes of degree one and two first (exact
 * degrees, as minimum degree would), then orders what is left with a given ordering (AMD).
 *
 * Eliminating a node of degree one adds no edge; eliminating one of degree two joins its two
 * neighbours (one fill edge, none when they were joined already). Power grids are mostly such
 * nodes: radial feeders and series chains (the bus graphs of case1354pegase and case9241pegase
 * keep 261 of 1,353 and 2,871 of 9,240 nodes after it), and AMD's time grows faster than the
 * graph, so AMD on the remaining core costs a fraction of AMD on the whole graph while the order
 * stays a minimum-degree order. Any permutation is a valid order; only fill and speed depend on
 * it.
 *
 * The graph's adjacency is edited in place on a copy: eliminating node x of degree two with
 * neighbours a and b replaces x by b in a's list and x by a in b's list (or removes x from both
 * when a and b are neighbours already), so no list ever grows.
 */
import type { Csc } from './csc';
import { scratchI32, scratchU8 } from '../scratch-slab';

const ON_CHAINS = 1;
const ON_LEAVES = 2;
const GONE = 4;

/** A symmetric pattern without its diagonal, each column's rows ascending. */
export type Graph = Pick<Csc, 'n' | 'colPtr' | 'rowIdx'>;

/** A fill-reducing symmetric order of a graph (node k of the order is node perm[k]). */
export type GraphOrder = (G: Graph) => Int32Array;

/** `order` gets the core graph in this form: rows ascending, `rowIdx` with room to spare. */
export type CoreRoom = (n: number, nz: number) => number;

/**
 * The order of `G`: nodes of degree at most two eliminated first (leaves before chain nodes),
 * then the remaining core in the order `order` gives it. `room` sizes the core's index array
 * (amd.ts's AMD works in place and needs elbow room).
 */
export function lowDegreeFirst(G: Graph, order: GraphOrder, room: CoreRoom = (_, nz) => nz): Int32Array {
  const n = G.n;
  const Gp = G.colPtr;
  const adj = scratchI32(Gp[n]);
  adj.set(G.rowIdx.subarray(0, Gp[n]));
  const len = scratchI32(n);
  // per node: ON_CHAINS / ON_LEAVES when pushed there, GONE once eliminated; a node is pushed on
  // each stack at most once (degrees never grow), so 2n entries hold both stacks: the leaves'
  // stack grows from 0 up to top[0], the degree-two stack from 2n down to top[1]
  const state = scratchU8(n);
  const stack = scratchI32(2 * n);
  const top = scratchI32(2);
  top[1] = 2 * n;
  for (let c = 0; c < n; c++) {
    len[c] = Gp[c + 1] - Gp[c];
    push(c, len, state, stack, top);
  }
  const perm = scratchI32(n);
  let k = 0;
  for (;;) {
    let x: number;
    if (top[0] > 0) x = stack[--top[0]];
    else if (top[1] < 2 * n) x = stack[top[1]++];
    else break;
    if (state[x] & GONE) continue;
    state[x] |= GONE;
    perm[k++] = x;
    const d = len[x];
    if (d === 0) continue;
    const s = Gp[x];
    const a = adj[s];
    if (d === 1) {
      removeEdge(adj, Gp, len, a, x);
      push(a, len, state, stack, top);
      continue;
    }
    const b = adj[s + 1];
    if (joinInPlaceOf(adj, Gp, len, a, x, b)) {
      // a and b were neighbours already: x goes from b's list too, both lose a neighbour
      removeEdge(adj, Gp, len, b, x);
      push(a, len, state, stack, top);
      push(b, len, state, stack, top);
    } else {
      // a and b become neighbours in x's place: their degrees stay
      replaceEdge(adj, Gp, len, b, x, a);
    }
  }
  const nc = n - k;
  if (nc === 0) return perm;
  // the core, renumbered in node order, its rows ascending (lists are short: insertion sort)
  const coreOf = scratchI32(n);
  const nodeOf = scratchI32(nc);
  let m = 0;
  for (let c = 0; c < n; c++) if (!(state[c] & GONE)) ((coreOf[c] = m), (nodeOf[m++] = c));
  const Cp = scratchI32(nc + 1);
  for (let j = 0; j < nc; j++) Cp[j + 1] = Cp[j] + len[nodeOf[j]];
  const Ci = scratchI32(room(nc, Cp[nc]));
  for (let j = 0; j < nc; j++) {
    const s = Gp[nodeOf[j]];
    const lo = Cp[j];
    for (let p = 0, e = Cp[j + 1] - lo; p < e; p++) {
      const v = coreOf[adj[s + p]];
      let u = lo + p - 1;
      while (u >= lo && Ci[u] > v) {
        Ci[u + 1] = Ci[u];
        u--;
      }
      Ci[u + 1] = v;
    }
  }
  const sub = order({ n: nc, colPtr: Cp, rowIdx: Ci });
  for (let j = 0; j < nc; j++) perm[k++] = nodeOf[sub[j]];
  return perm;
}

/** Pushes v on the stack its degree calls for (leaves: degree <= 1; chains: degree 2), once. */
function push(v: number, len: Int32Array, state: Uint8Array, stack: Int32Array, top: Int32Array): void {
  const d = len[v];
  if (d <= 1) {
    if (state[v] & ON_LEAVES) return;
    stack[top[0]++] = v;
    state[v] |= ON_LEAVES;
  } else if (d === 2 && !(state[v] & ON_CHAINS)) {
    stack[--top[1]] = v;
    state[v] |= ON_CHAINS;
  }
}

/**
 * In one pass over a's list: when b is in it, removes x (true); else puts b in x's place (false).
 */
function joinInPlaceOf(adj: Int32Array, Gp: Int32Array, len: Int32Array, a: number, x: number, b: number): boolean {
  const s = Gp[a];
  const e = s + len[a];
  let px = -1;
  let hasB = false;
  for (let p = s; p < e; p++) {
    const v = adj[p];
    if (v === x) px = p;
    else if (v === b) hasB = true;
  }
  if (hasB) {
    adj[px] = adj[e - 1];
    len[a]--;
  } else adj[px] = b;
  return hasB;
}

/** Removes b from a's list (swapping the last entry into its place). */
function removeEdge(adj: Int32Array, Gp: Int32Array, len: Int32Array, a: number, b: number): void {
  const s = Gp[a];
  const last = s + len[a] - 1;
  for (let p = s; p <= last; p++)
    if (adj[p] === b) {
      adj[p] = adj[last];
      len[a]--;
      return;
    }
}

function replaceEdge(adj: Int32Array, Gp: Int32Array, len: Int32Array, a: number, x: number, b: number): void {
  for (let p = Gp[a], e = p + len[a]; p < e; p++)
    if (adj[p] === x) {
      adj[p] = b;
      return;
    }
}
