import { scratchI32 } from '../scratch-slab';

/**
 * Elimination tree of B + B' from each node's lower neighbours (CSR lp / li: the neighbours of k
 * that come before it, duplicates allowed), with path compression through an ancestor array
 * (Davis, "Direct Methods for Sparse Linear Systems", section 4.1). parent[k] = -1 at a root.
 */
export function eliminationTree(n: number, lp: Int32Array, li: Int32Array): Int32Array {
  const parent = scratchI32(n).fill(-1);
  const anc = scratchI32(n).fill(-1);
  for (let k = 0; k < n; k++) {
    for (let p = lp[k], e = lp[k + 1]; p < e; p++) {
      let i = li[p];
      while (i !== -1 && i < k) {
        const next = anc[i];
        anc[i] = k;
        if (next === -1) parent[i] = k;
        i = next;
      }
    }
  }
  return parent;
}
