/**
 * AMD with the columns of identical pattern merged first: columns of A with the same rows
 * (a power-flow Jacobian's Va and Vm columns of one PQ bus, whose P and Q rows are those of
 * the same buses) become one node, AMD (amd.ts) orders the smaller quotient graph, and each
 * node expands to its columns in index order. On a power-flow Jacobian this is AMD on the bus
 * graph expanded to the bus blocks, at about half the cost of AMD on the whole matrix (which
 * finds the same supernodes itself, one elimination at a time); the fill is within a few
 * percent of it (tests/solvers/sparse-lu.test.ts compares both). Any permutation is a valid
 * order, so merging is a heuristic and needs no symmetry.
 */
import { amd } from './amd';
import type { Csc } from './csc';

/** Buckets larger than this (many columns starting at one row) are left unmerged. */
const MAX_BUCKET = 64;

/** Fill-reducing symmetric permutation (column k of the ordered matrix is column perm[k]). */
export function amdBlocks(A: Csc): Int32Array {
  if (A.m !== A.n) throw new Error(`amd: matrix must be square, got ${A.m}x${A.n}`);
  return orderMerged(A, amd) ?? amd(A);
}

/**
 * The merged-column order with `order` (an AMD) on the quotient graph, or null when merging
 * leaves more than 90% of the columns (then order A itself).
 */
export function orderMerged(A: Csc, order: (Q: Csc) => Int32Array): Int32Array | null {
  const n = A.n;
  if (n === 0) return new Int32Array(0);
  const { colPtr: Ap, rowIdx: Ai } = A;
  // per column: a hash of its rows and its smallest row (equal patterns share both)
  const hash = new Int32Array(n);
  const first = new Int32Array(n + 1);
  for (let j = 0; j < n; j++) {
    let h = 0,
      lo = n;
    for (let p = Ap[j]; p < Ap[j + 1]; p++) {
      const r = Ai[p];
      h = (h + Math.imul(r + 1, 0x9e3779b1)) | 0;
      if (r < lo) lo = r;
    }
    hash[j] = h;
    first[j] = lo;
  }
  // columns bucketed by smallest row (counting sort, index order within a bucket)
  const start = new Int32Array(n + 2);
  for (let j = 0; j < n; j++) start[first[j] + 1]++;
  for (let r = 0; r <= n; r++) start[r + 1] += start[r];
  const byFirst = new Int32Array(n);
  const next = start.slice(0, n + 1);
  for (let j = 0; j < n; j++) byFirst[next[first[j]]++] = j;
  const rep = new Int32Array(n).fill(-1);
  const mark = new Int32Array(n).fill(-1);
  let groups = 0;
  for (let b = 0; b <= n; b++) {
    const s0 = start[b],
      s1 = start[b + 1];
    const small = s1 - s0 <= MAX_BUCKET;
    for (let s = s0; s < s1; s++) {
      const j = byFirst[s];
      if (rep[j] >= 0) continue;
      rep[j] = j;
      groups++;
      if (!small) continue;
      const len = Ap[j + 1] - Ap[j];
      let marked = false;
      for (let t = s + 1; t < s1; t++) {
        const i = byFirst[t];
        if (rep[i] >= 0 || hash[i] !== hash[j] || Ap[i + 1] - Ap[i] !== len) continue;
        if (!marked) {
          for (let p = Ap[j]; p < Ap[j + 1]; p++) mark[Ai[p]] = j;
          marked = true;
        }
        let same = true;
        for (let p = Ap[i]; p < Ap[i + 1]; p++)
          if (mark[Ai[p]] !== j) {
            same = false;
            break;
          }
        if (same) rep[i] = j;
      }
    }
  }
  if (groups > 0.9 * n) return null;
  return expand(A, rep, groups, order);
}

/** `order` on the quotient graph of the groups (rep[j]: the group's first column), expanded. */
function expand(A: Csc, rep: Int32Array, groups: number, ord: (Q: Csc) => Int32Array): Int32Array {
  const n = A.n;
  const { colPtr: Ap, rowIdx: Ai } = A;
  const gid = new Int32Array(n);
  for (let j = 0, g = 0; j < n; j++) if (rep[j] === j) gid[j] = g++;
  for (let j = 0; j < n; j++) gid[j] = gid[rep[j]];
  const qp = new Int32Array(groups + 1);
  const qi = new Int32Array(Ap[n]);
  const seen = new Int32Array(groups).fill(-1);
  let nz = 0;
  for (let j = 0; j < n; j++) {
    if (rep[j] !== j) continue;
    const g = gid[j];
    seen[g] = g;
    for (let p = Ap[j]; p < Ap[j + 1]; p++) {
      const h = gid[Ai[p]];
      if (seen[h] === g) continue;
      seen[h] = g;
      qi[nz++] = h;
    }
    qp[g + 1] = nz;
  }
  const order = ord({ m: groups, n: groups, colPtr: qp, rowIdx: qi.slice(0, nz), values: new Float64Array(0) });
  const start = new Int32Array(groups + 1);
  for (let j = 0; j < n; j++) start[gid[j] + 1]++;
  for (let g = 0; g < groups; g++) start[g + 1] += start[g];
  const members = new Int32Array(n);
  const fill = start.slice(0, groups);
  for (let j = 0; j < n; j++) members[fill[gid[j]]++] = j;
  const perm = new Int32Array(n);
  let k = 0;
  for (let t = 0; t < groups; t++) {
    const g = order[t];
    for (let s = start[g]; s < start[g + 1]; s++) perm[k++] = members[s];
  }
  return perm;
}
