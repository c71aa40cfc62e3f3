/**
 * The CSC pattern of a list of (row, col) triplets, with the position of every triplet in
 * it, so that matrices rebuilt with new values (Ybus after an outage, Jacobians, Hessians)
 * are filled by a scatter-add into a fixed pattern. Duplicates share a position; entries
 * whose values later become zero stay in the pattern (explicit zeros), so the pattern, and
 * with it any ordering or symbolic factorization, never changes.
 *
 * Adding the values in triplet order gives bit-for-bit the sums of `zcscFromTriplets` /
 * `cscFromTriplets` (both sum duplicates in triplet order).
 */

export interface TripletPattern {
  m: number;
  n: number;
  colPtr: Int32Array;
  /** sorted within each column */
  rowIdx: Int32Array;
  /** triplet k -> position in the value arrays */
  pos: Int32Array;
}

export function tripletPattern(m: number, n: number, rows: ArrayLike<number>, cols: ArrayLike<number>): TripletPattern {
  const nz = rows.length;
  // counting sort by row, then a stable counting sort by column: rows sorted within columns
  const rowStart = new Int32Array(m + 1);
  for (let k = 0; k < nz; k++) {
    const r = rows[k],
      c = cols[k];
    if (!(r >= 0 && r < m && c >= 0 && c < n))
      throw new RangeError(`triplet ${k}: index (${r}, ${c}) outside ${m}x${n}`);
    rowStart[r + 1]++;
  }
  for (let i = 0; i < m; i++) rowStart[i + 1] += rowStart[i];
  const byRow = new Int32Array(nz);
  for (let k = 0; k < nz; k++) byRow[rowStart[rows[k]]++] = k;
  const colCount = new Int32Array(n + 1);
  for (let k = 0; k < nz; k++) colCount[cols[k] + 1]++;
  for (let j = 0; j < n; j++) colCount[j + 1] += colCount[j];
  const next = colCount.slice(0, n);
  const order = new Int32Array(nz);
  for (let t = 0; t < nz; t++) {
    const k = byRow[t];
    order[next[cols[k]]++] = k;
  }
  const colPtr = new Int32Array(n + 1);
  const ri = new Int32Array(nz);
  const pos = new Int32Array(nz);
  let q = 0;
  for (let j = 0; j < n; j++) {
    const start = q;
    for (let t = colCount[j]; t < colCount[j + 1]; t++) {
      const k = order[t];
      const r = rows[k];
      if (q > start && ri[q - 1] === r) pos[k] = q - 1;
      else {
        ri[q] = r;
        pos[k] = q++;
      }
    }
    colPtr[j + 1] = q;
  }
  return { m, n, colPtr, rowIdx: ri.slice(0, q), pos };
}
