/**
 * Fill-reducing column order for the Newton power-flow Jacobian (ac-jacobian.ts) from the bus
 * graph: AMD (sparse/amd.ts) on the Ybus pattern of the pv and pq buses, each bus expanded to
 * its Jacobian columns (its Va column, then its Vm column when it is PQ).
 *
 * This is the order amd-blocks.ts finds by hashing J's columns for identical patterns: a PQ
 * bus's Va and Vm columns have the same rows (the P and Q rows of its neighbours), and the
 * quotient graph of J + J' over these bus blocks is the Ybus graph of the pv / pq buses. Built
 * from Ybus it skips the search for identical columns and the quotient-graph assembly (about a
 * third of the ordering on case9241pegase). The bus graph's nodes of degree one and two go first,
 * AMD ordering only the core left after them (sparse/low-degree-first.ts): on case9241pegase
 * 2,871 of its 9,240 nodes, ordered 2.37 -> 1.88 ms with libamd and 0.9% less fill in KLU's
 * factors. Any permutation is a valid order; only fill and speed depend on it.
 */
import { amdGraph, amdRoom } from './sparse/amd';
import type { ZCsc } from './sparse/zcsc';
import { scratchI32 } from './scratch-slab';
import { GraphOrder, lowDegreeFirst } from './sparse/low-degree-first';

export type { GraphOrder } from './sparse/low-degree-first';

/** amd.ts on a graph as lowDegreeFirst hands it over (no diagonal, rows sorted, room to spare). */
const tsAmd: GraphOrder = (A) => amdGraph(A.n, A.colPtr, A.rowIdx, A.colPtr[A.n]);

/**
 * Column order q (column k of the ordered J is column q[k] of J) for J's unknowns
 * [Va(pv; pq); Vm(pq)]; `order` orders the bus graph's core left by lowDegreeFirst (default:
 * amd.ts, given room for its work in the core's index array).
 */
export function jacobianOrder(Ybus: ZCsc, pv: Int32Array, pq: Int32Array, order: GraphOrder = tsAmd): Int32Array {
  const nb = Ybus.n;
  const npv = pv.length,
    npq = pq.length,
    nP = npv + npq;
  // J's Va column of each bus (position in [pv; pq]) and Vm column (-1 unless PQ)
  const colVa = scratchI32(nb).fill(-1);
  const colVm = scratchI32(nb).fill(-1);
  for (let c = 0; c < npv; c++) colVa[pv[c]] = c;
  for (let c = 0; c < npq; c++) {
    colVa[pq[c]] = npv + c;
    colVm[pq[c]] = nP + c;
  }
  // graph nodes: the pv / pq buses in bus order, so Ybus's sorted rows stay sorted
  const node = scratchI32(nb).fill(-1);
  const busOf = scratchI32(nP);
  let nn = 0;
  for (let i = 0; i < nb; i++) {
    if (colVa[i] < 0) continue;
    node[i] = nn;
    busOf[nn++] = i;
  }
  // the graph without its diagonal (Ybus's pattern is symmetric, its rows sorted): what amd.ts
  // would make of it, so the order is the one amd gives for the graph with its diagonal
  const { colPtr: Yp, rowIdx: Yi } = Ybus;
  const colPtr = scratchI32(nn + 1);
  const rowIdx = scratchI32(Yp[nb]);
  let nz = 0;
  for (let c = 0; c < nn; c++) {
    const k = busOf[c];
    for (let p = Yp[k], end = Yp[k + 1]; p < end; p++) {
      const r = node[Yi[p]];
      if (r >= 0 && r !== c) rowIdx[nz++] = r;
    }
    colPtr[c + 1] = nz;
  }
  // the core with room for amd.ts's work (libamd takes its own)
  const perm = lowDegreeFirst({ n: nn, colPtr, rowIdx }, order, amdRoom);
  // kept by the TypeScript LU's symbolic analysis: a buffer of its own (scratch-slab.ts)
  const q = new Int32Array(nP + npq);
  let k = 0;
  for (let s = 0; s < nn; s++) {
    const b = busOf[perm[s]];
    q[k++] = colVa[b];
    if (colVm[b] >= 0) q[k++] = colVm[b];
  }
  return q;
}
