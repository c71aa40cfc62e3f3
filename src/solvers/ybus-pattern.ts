/**
 * The CSC patterns of Ybus (nb x nb) and of Yf / Yt (nl x nb) from the branch list, with the
 * position of each of ybus-assembly.ts's triplets in them: the same result as
 * `tripletPattern` (sparse/triplet-pattern.ts) on those triplets, built from what is known of
 * their shape instead of two general counting sorts: a column of Ybus holds its bus and the
 * buses its branches reach (a few entries, sorted in place), a column of Yf / Yt holds the
 * branches at its bus, already in branch order.
 *
 * Triplet numbering (k: position of the branch in `rows`, a = f[rows[k]], b = t[rows[k]]):
 * Ybus 4k (a, a), 4k+1 (a, b), 4k+2 (b, a), 4k+3 (b, b), then 4 rows.length + i (i, i);
 * Yf / Yt 2k (rows[k], a), 2k+1 (rows[k], b).
 */
import type { TripletPattern } from './sparse/triplet-pattern';

export function ybusPattern(nb: number, rows: Int32Array, f: Int32Array, t: Int32Array): TripletPattern {
  const np = rows.length;
  const cnt = new Int32Array(nb + 1);
  for (let i = 0; i < nb; i++) cnt[i + 1] = 1;
  for (let k = 0; k < np; k++) {
    const a = f[rows[k]],
      b = t[rows[k]];
    if (a === b) continue;
    cnt[a + 1]++;
    cnt[b + 1]++;
  }
  for (let i = 0; i < nb; i++) cnt[i + 1] += cnt[i];
  const tot = cnt[nb];
  // per column: the diagonal first (id -1), then off-diagonal rows with their triplet ids
  const ri = new Int32Array(tot);
  const id = new Int32Array(tot);
  const next = cnt.slice(0, nb);
  for (let i = 0; i < nb; i++) {
    ri[next[i]] = i;
    id[next[i]++] = -1;
  }
  for (let k = 0; k < np; k++) {
    const a = f[rows[k]],
      b = t[rows[k]];
    if (a === b) continue;
    ri[next[b]] = a; // (a, b): row a of column b
    id[next[b]++] = 4 * k + 1;
    ri[next[a]] = b;
    id[next[a]++] = 4 * k + 2;
  }
  const pos = new Int32Array(4 * np + nb);
  const diag = new Int32Array(nb);
  const colPtr = new Int32Array(nb + 1);
  let q = 0;
  for (let c = 0; c < nb; c++) {
    const lo = cnt[c],
      hi = cnt[c + 1];
    // insertion sort by row (columns are short), carrying the ids
    for (let s = lo + 1; s < hi; s++) {
      const r = ri[s],
        d = id[s];
      let u = s - 1;
      while (u >= lo && ri[u] > r) {
        ri[u + 1] = ri[u];
        id[u + 1] = id[u];
        u--;
      }
      ri[u + 1] = r;
      id[u + 1] = d;
    }
    const start = q;
    for (let s = lo; s < hi; s++) {
      const r = ri[s];
      if (q === start || ri[q - 1] !== r) ri[q++] = r;
      if (id[s] >= 0) pos[id[s]] = q - 1;
      else diag[c] = q - 1;
    }
    colPtr[c + 1] = q;
  }
  for (let k = 0; k < np; k++) {
    const a = f[rows[k]],
      b = t[rows[k]];
    pos[4 * k] = diag[a];
    pos[4 * k + 3] = diag[b];
    if (a === b) {
      pos[4 * k + 1] = diag[a];
      pos[4 * k + 2] = diag[a];
    }
  }
  for (let i = 0; i < nb; i++) pos[4 * np + i] = diag[i];
  return { m: nb, n: nb, colPtr, rowIdx: ri.slice(0, q), pos };
}

export function branchBusPattern(
  nl: number,
  nb: number,
  rows: Int32Array,
  f: Int32Array,
  t: Int32Array,
): TripletPattern {
  const np = rows.length;
  const cnt = new Int32Array(nb + 1);
  for (let k = 0; k < np; k++) {
    const l = rows[k];
    cnt[f[l] + 1]++;
    if (t[l] !== f[l]) cnt[t[l] + 1]++;
  }
  for (let i = 0; i < nb; i++) cnt[i + 1] += cnt[i];
  const next = cnt.slice(0, nb);
  const rowIdx = new Int32Array(cnt[nb]);
  const pos = new Int32Array(2 * np);
  // branches in row order, so each column's rows come sorted
  for (let k = 0; k < np; k++) {
    const l = rows[k],
      a = f[l],
      b = t[l];
    rowIdx[next[a]] = l;
    pos[2 * k] = next[a]++;
    if (b === a) pos[2 * k + 1] = pos[2 * k];
    else {
      rowIdx[next[b]] = l;
      pos[2 * k + 1] = next[b]++;
    }
  }
  return { m: nl, n: nb, colPtr: cnt, rowIdx, pos };
}
