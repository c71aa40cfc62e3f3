/**
 * lowDegreeFirst (sparse/low-degree-first.ts): nodes of degree one and two eliminated first,
 * the core ordered by the given order. Checked by eliminating the graph in the order returned
 * and counting the fill edges: none on a tree (the core is empty), n - 3 on a cycle (its
 * minimum), and on the bus graphs of the fixture cases no more than AMD ordering the whole graph.
 */
import { amd } from '../../src/solvers/sparse/amd';
import { Graph, lowDegreeFirst } from '../../src/solvers/sparse/low-degree-first';
import { jacobianOrder } from '../../src/solvers/jacobian-order';
import { caseJacobian } from '../helpers/case-jacobian';

/** A graph from its undirected edges (rows ascending, no diagonal). */
function graphOf(n: number, edges: [number, number][]): Graph {
  const adj: Set<number>[] = Array.from({ length: n }, () => new Set());
  for (const [a, b] of edges) {
    if (a === b) continue;
    adj[a].add(b);
    adj[b].add(a);
  }
  const colPtr = new Int32Array(n + 1);
  const rows: number[] = [];
  for (let c = 0; c < n; c++) {
    rows.push(...[...adj[c]].sort((x, y) => x - y));
    colPtr[c + 1] = rows.length;
  }
  return { n, colPtr, rowIdx: Int32Array.from(rows) };
}

/** Fill edges of eliminating G in `perm`'s order (the elimination graph, simulated). */
function fillOf(G: Graph, perm: Int32Array): number {
  const adj: Set<number>[] = Array.from(
    { length: G.n },
    (_, c) => new Set(G.rowIdx.subarray(G.colPtr[c], G.colPtr[c + 1])),
  );
  let fill = 0;
  for (const x of perm) {
    const nbrs = [...adj[x]];
    for (const v of nbrs) adj[v].delete(x);
    for (let i = 0; i < nbrs.length; i++)
      for (let j = i + 1; j < nbrs.length; j++)
        if (!adj[nbrs[i]].has(nbrs[j])) {
          adj[nbrs[i]].add(nbrs[j]);
          adj[nbrs[j]].add(nbrs[i]);
          fill++;
        }
  }
  return fill;
}

function expectPermutation(perm: Int32Array, n: number): void {
  expect(perm.length).toBe(n);
  const seen = new Uint8Array(n);
  for (const x of perm) seen[x]++;
  expect(seen.every((s) => s === 1)).toBe(true);
}

/** An order that must not be called (the core is empty). */
const never = (): Int32Array => {
  throw new Error('no core expected');
};

const amdOf = (G: Graph): Int32Array =>
  amd({ m: G.n, n: G.n, colPtr: G.colPtr, rowIdx: G.rowIdx, values: new Float64Array(0) });

describe('lowDegreeFirst', () => {
  it('orders a tree without fill and without calling the core order', () => {
    // a random tree on 200 nodes (each node joined to an earlier one)
    let seed = 7;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    const edges: [number, number][] = [];
    for (let v = 1; v < 200; v++) edges.push([v, Math.floor(rnd() * v)]);
    const G = graphOf(200, edges);
    const perm = lowDegreeFirst(G, never);
    expectPermutation(perm, 200);
    expect(fillOf(G, perm)).toBe(0);
  });

  it('orders a cycle with n - 3 fill edges and isolated nodes anywhere', () => {
    const n = 12;
    const edges: [number, number][] = [];
    for (let v = 0; v < n; v++) edges.push([v, (v + 1) % n]);
    const G = graphOf(n + 2, edges); // nodes 12 and 13 have no neighbours
    const perm = lowDegreeFirst(G, never);
    expectPermutation(perm, n + 2);
    expect(fillOf(G, perm)).toBe(n - 3);
  });

  it('hands the core to the order, renumbered with its rows ascending, and maps it back', () => {
    // K5 (nodes 0-4, every degree 4) with a pendant path 5-6-7 on node 0
    const edges: [number, number][] = [];
    for (let a = 0; a < 5; a++) for (let b = a + 1; b < 5; b++) edges.push([a, b]);
    edges.push([0, 5], [5, 6], [6, 7]);
    const G = graphOf(8, edges);
    let core: Graph | null = null;
    const perm = lowDegreeFirst(G, (C) => {
      core = { n: C.n, colPtr: C.colPtr.slice(0, C.n + 1), rowIdx: C.rowIdx.slice(0, C.colPtr[C.n]) };
      return Int32Array.from([4, 3, 2, 1, 0]);
    });
    expect(core).toEqual(graphOf(5, edges.slice(0, 10)));
    expect(Array.from(perm.subarray(0, 3)).sort()).toEqual([5, 6, 7]);
    expect(Array.from(perm.subarray(3))).toEqual([4, 3, 2, 1, 0]);
    expect(fillOf(G, perm)).toBe(0);
  });

  describe.each(['case118', 'case1354pegase', 'case9241pegase'])('on the bus graph of %s', (name) => {
    const { Ybus, pv, pq } = caseJacobian(name);
    const whole = busGraph(Ybus, pv, pq);
    let core: Graph | null = null;
    const capture = (C: Graph): Int32Array => {
      core = { n: C.n, colPtr: C.colPtr.slice(0, C.n + 1), rowIdx: C.rowIdx.slice(0, C.colPtr[C.n]) };
      return amdOf(core);
    };

    it('gives a permutation with no more fill than AMD on the whole graph', () => {
      const perm = lowDegreeFirst(whole, capture);
      expectPermutation(perm, whole.n);
      expect(core).not.toBeNull();
      expect((core as unknown as Graph).n).toBeLessThan(whole.n / 2);
      expect(fillOf(whole, perm)).toBeLessThanOrEqual(fillOf(whole, amdOf(whole)));
    });
  });
});

/** The graph of Ybus on the pv / pq buses in bus order, as jacobianOrder builds it. */
function busGraph(Ybus: Parameters<typeof jacobianOrder>[0], pv: Int32Array, pq: Int32Array): Graph {
  const buses = Array.from(pv)
    .concat(Array.from(pq))
    .sort((a, b) => a - b);
  const node = new Int32Array(Ybus.n).fill(-1);
  buses.forEach((b, k) => (node[b] = k));
  const edges: [number, number][] = [];
  buses.forEach((k, c) => {
    for (let p = Ybus.colPtr[k]; p < Ybus.colPtr[k + 1]; p++) {
      const r = node[Ybus.rowIdx[p]];
      if (r >= 0) edges.push([c, r]);
    }
  });
  return graphOf(buses.length, edges);
}
