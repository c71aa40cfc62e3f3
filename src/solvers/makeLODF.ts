/**
 * DC line outage distribution factors, as MATPOWER's makeLODF:
 *   a_k = e_f(k) - e_t(k),  h_k = b_k a_k' B^-1 a_k (the PTDF of branch k for its own transfer),
 *   LODF(:, k) = Bf B^-1 a_k / (1 - h_k),  LODF(k, k) = -1,
 * so the flows after branch k goes out are f' = f + LODF(:, k) f_k, and the angles
 * theta' = theta + B^-1 a_k f_k / (1 - h_k) (Sherman-Morrison on B - b_k a_k a_k'; this also
 * removes a phase shifter's injection with the branch). A branch whose removal splits the
 * network (a bridge of the in-service graph) has h_k = 1: no LODF, the outage islands buses.
 *
 * Columns come from the base factorization (makePTDF.ts), one per outaged branch; `makeLODF`
 * forms the dense matrix for small cases.
 */
import type { DcPfModel } from './pf-dc';
import { PtdfWorkspace, ptdfTransfer, ptdfWorkspace } from './makePTDF';

export interface LodfColumn {
  /** false when the outage splits the network (bridge); then `column` is all NaN */
  connected: boolean;
  /** h_k, the branch's own PTDF (1 for a bridge up to rounding) */
  h: number;
}

/**
 * Writes LODF(:, k) into `column` (length nl) and B^-1 a_k / (1 - h_k) into `theta` (length nb).
 * `bridge` says whether the outage splits the network (from `bridges`); for those the column is NaN.
 */
export function lodfColumn(
  ws: PtdfWorkspace,
  k: number,
  bridge: boolean,
  theta: Float64Array,
  column: Float64Array,
): LodfColumn {
  const { model } = ws;
  const st = model.status;
  if (!st.branchOn[k]) throw new RangeError(`branch row ${k + 1} is out of service in the base case`);
  if (bridge) {
    column.fill(NaN);
    theta.fill(NaN);
    return { connected: false, h: 1 };
  }
  ptdfTransfer(ws, st.f[k], st.t[k], theta, column);
  const h = column[k];
  const s = 1 / (1 - h);
  for (let l = 0; l < column.length; l++) column[l] *= s;
  for (let i = 0; i < theta.length; i++) theta[i] *= s;
  column[k] = -1;
  return { connected: true, h };
}

/**
 * Bridges of the graph of in-service branches (Tarjan, iterative): branches whose outage
 * disconnects the network. Parallel branches are never bridges.
 */
export function bridges(nb: number, f: Int32Array, t: Int32Array, on: Uint8Array): Uint8Array {
  const nl = f.length;
  const deg = new Int32Array(nb + 1);
  for (let l = 0; l < nl; l++)
    if (on[l] && f[l] !== t[l]) {
      deg[f[l] + 1]++;
      deg[t[l] + 1]++;
    }
  for (let i = 0; i < nb; i++) deg[i + 1] += deg[i];
  const adjB = new Int32Array(deg[nb]);
  const adjE = new Int32Array(deg[nb]);
  const next = deg.slice(0, nb);
  for (let l = 0; l < nl; l++) {
    if (!on[l] || f[l] === t[l]) continue;
    adjB[next[f[l]]] = t[l];
    adjE[next[f[l]]++] = l;
    adjB[next[t[l]]] = f[l];
    adjE[next[t[l]]++] = l;
  }
  const disc = new Int32Array(nb).fill(-1);
  const low = new Int32Array(nb);
  const parentEdge = new Int32Array(nb).fill(-1);
  const it = new Int32Array(nb);
  const stack = new Int32Array(nb);
  const out = new Uint8Array(nl);
  let time = 0;
  for (let s = 0; s < nb; s++) {
    if (disc[s] >= 0) continue;
    let top = 0;
    stack[0] = s;
    disc[s] = low[s] = time++;
    it[s] = deg[s];
    while (top >= 0) {
      const u = stack[top];
      if (it[u] < deg[u + 1]) {
        const p = it[u]++;
        const v = adjB[p],
          e = adjE[p];
        if (e === parentEdge[u]) continue;
        if (disc[v] < 0) {
          parentEdge[v] = e;
          disc[v] = low[v] = time++;
          it[v] = deg[v];
          stack[++top] = v;
        } else if (disc[v] < low[u]) low[u] = disc[v];
      } else {
        top--;
        if (top >= 0) {
          const w = stack[top];
          if (low[u] < low[w]) low[w] = low[u];
          if (low[u] > disc[w]) out[parentEdge[u]] = 1;
        }
      }
    }
  }
  return out;
}

/** The dense LODF matrix (row-major nl x nl, L[l * nl + k]); NaN columns for bridges. */
export function makeLODF(model: DcPfModel, nb: number, nl: number): Float64Array {
  const ws = ptdfWorkspace(model, nb);
  const br = bridges(nb, model.status.f, model.status.t, model.status.branchOn);
  const L = new Float64Array(nl * nl);
  const theta = new Float64Array(nb);
  const col = new Float64Array(nl);
  for (let k = 0; k < nl; k++) {
    if (!model.status.branchOn[k]) {
      for (let l = 0; l < nl; l++) L[l * nl + k] = NaN;
      continue;
    }
    lodfColumn(ws, k, br[k] === 1, theta, col);
    for (let l = 0; l < nl; l++) L[l * nl + k] = col[l];
  }
  return L;
}
