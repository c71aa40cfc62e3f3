/**
 * Bridges of the branch graph: in-service branches whose outage splits the component they are
 * in (Tarjan's low-link, iterative, on the multigraph: a branch with a parallel twin is never
 * a bridge). Taking out a branch that is not a bridge leaves every bus's component as it was,
 * so an N-1 outage of such a branch needs no new island search.
 */

/** 1 per branch row that is an in-service bridge, 0 otherwise. */
export function bridges(nb: number, f: Int32Array, t: Int32Array, branchOn: Uint8Array): Uint8Array {
  const nl = f.length;
  // adjacency (CSR) of in-service branches, both directions
  const deg = new Int32Array(nb + 1);
  for (let l = 0; l < nl; l++)
    if (branchOn[l]) {
      deg[f[l] + 1]++;
      deg[t[l] + 1]++;
    }
  for (let i = 0; i < nb; i++) deg[i + 1] += deg[i];
  const next = deg.slice(0, nb);
  const adjBus = new Int32Array(deg[nb]);
  const adjBranch = new Int32Array(deg[nb]);
  for (let l = 0; l < nl; l++) {
    if (!branchOn[l]) continue;
    adjBus[next[f[l]]] = t[l];
    adjBranch[next[f[l]]++] = l;
    adjBus[next[t[l]]] = f[l];
    adjBranch[next[t[l]]++] = l;
  }
  const out = new Uint8Array(nl);
  const disc = new Int32Array(nb).fill(-1);
  const low = new Int32Array(nb);
  const stackBus = new Int32Array(nb);
  const stackEdge = new Int32Array(nb); // branch used to enter the bus (-1 at a root)
  const stackPos = new Int32Array(nb); // next adjacency position to visit
  let time = 0;
  for (let root = 0; root < nb; root++) {
    if (disc[root] >= 0) continue;
    let top = 0;
    stackBus[0] = root;
    stackEdge[0] = -1;
    stackPos[0] = deg[root];
    disc[root] = low[root] = time++;
    while (top >= 0) {
      const u = stackBus[top];
      const p = stackPos[top];
      if (p < deg[u + 1]) {
        stackPos[top] = p + 1;
        const l = adjBranch[p];
        if (l === stackEdge[top]) continue; // the same branch back, not a parallel one
        const v = adjBus[p];
        if (disc[v] < 0) {
          disc[v] = low[v] = time++;
          top++;
          stackBus[top] = v;
          stackEdge[top] = l;
          stackPos[top] = deg[v];
        } else if (disc[v] < low[u]) {
          low[u] = disc[v];
        }
      } else {
        top--;
        if (top >= 0) {
          const parent = stackBus[top];
          if (low[u] < low[parent]) low[parent] = low[u];
          if (low[u] > disc[parent]) out[stackEdge[top + 1]] = 1;
        }
      }
    }
  }
  return out;
}
