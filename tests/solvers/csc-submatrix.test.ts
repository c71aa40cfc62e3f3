/**
 * cscSubmatrix (sparse/csc.ts) keeps each column's rows in ascending order: columns of an
 * ascending row selection are taken as they come, those of a permuted one are sorted. Both must
 * equal the dense submatrix entry for entry.
 */
import { Csc, cscFromTriplets, cscSubmatrix } from '../../src/solvers/sparse/csc';
import { mulberry32 } from '../../src/scenarios/prng';

function dense(A: Csc): number[][] {
  const D = Array.from({ length: A.m }, () => new Array<number>(A.n).fill(0));
  for (let j = 0; j < A.n; j++) for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) D[A.rowIdx[p]][j] += A.values[p];
  return D;
}

function randomCsc(m: number, n: number, seed: number): Csc {
  const r = mulberry32(seed);
  const I: number[] = [],
    J: number[] = [],
    V: number[] = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < m; i++)
      if (r() < 0.3) {
        I.push(i);
        J.push(j);
        V.push(2 * r() - 1);
      }
  return cscFromTriplets(m, n, I, J, V);
}

describe('cscSubmatrix', () => {
  const A = randomCsc(30, 25, 7);
  const D = dense(A);
  const cases: [string, number[], number[]][] = [
    ['ascending rows', [0, 2, 3, 7, 11, 12, 20, 29], [1, 4, 5, 9, 24]],
    ['permuted rows', [29, 3, 12, 0, 7, 20, 2, 11], [24, 1, 9, 5, 4]],
    ['every row and column', Array.from({ length: 30 }, (_, i) => i), Array.from({ length: 25 }, (_, j) => j)],
  ];
  it.each(cases)('%s: the dense submatrix, rows ascending in every column', (_, rows, cols) => {
    const S = cscSubmatrix(A, rows, cols);
    expect(S.m).toBe(rows.length);
    expect(S.n).toBe(cols.length);
    const got = dense(S);
    for (let a = 0; a < rows.length; a++)
      for (let b = 0; b < cols.length; b++) expect(got[a][b]).toBe(D[rows[a]][cols[b]]);
    let stored = 0;
    for (let b = 0; b < cols.length; b++) {
      for (let p = S.colPtr[b] + 1; p < S.colPtr[b + 1]; p++) expect(S.rowIdx[p]).toBeGreaterThan(S.rowIdx[p - 1]);
      for (let a = 0; a < rows.length; a++) if (D[rows[a]][cols[b]] !== 0) stored++;
    }
    expect(S.colPtr[cols.length]).toBe(stored);
  });
});
