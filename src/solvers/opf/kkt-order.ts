/**
 * A fill-reducing order for the AC OPF KKT matrix [M dg; dg' 0], built from the network:
 * minimum degree (the shared AMD) on the bus graph, then each bus expanded to its block
 * [Va_i, Vm_i, Pg/Qg (and cost variables y) of its generators, P_i balance, Q_i balance].
 * The balance rows follow their bus's variables, so when the LU reaches them their diagonal
 * has filled in and the diagonal-preferring pivoting keeps this order; AMD on the whole KKT
 * pattern instead interleaves zero-diagonal rows early and the pivoting off the diagonal
 * roughly doubles the fill (9241-bus case: 7.5M vs about 2M entries in L+U).
 * Linear equality rows (fixed reference angle, Pmin = Pmax, ...) follow their last variable.
 * A generator variable without bounds (no diagonal entry unless it has a quadratic cost)
 * follows its bus's balance rows, whose elimination gives it one: in its place it is a zero
 * pivot, and case9241pegase's 7 unbounded Qg sent every fresh factorization of the TypeScript
 * LU from its static diagonal pivots (lu-static-factor.ts) to a pivot search.
 * The augmented rows of the barrier tail (the binding flow limits, a few dozen: mips.ts) follow
 * the block of the bus of their last variable; with the TypeScript LU's static pivoting the
 * 9241-bus tail systems then factor with 1.15M entries in L+U, against 5-6M on AMD with all
 * 12,590 flow limits as rows (and on AMD with the few rows the static pivots fail: 3.8e-12 off
 * MATPOWER's objective on case1354pegase). Right after the last variable instead of after its
 * block measured the same, but KLU's objective on case1354pegase moved to 1.0e-14 of MATPOWER's.
 */
import { amd } from '../sparse/amd';
import type { Csc } from '../sparse/csc';
import type { AcOpfModel } from './acopf-setup';
import type { DcOpfModel } from './dcopf-setup';

/**
 * @param ieq MIPS's equality rows of [I; A] (index < nx: a fixed variable; else row ieq - nx of A)
 * @param dhG the general inequalities MIPS keeps as augmented rows (nx x nG: their variables),
 *   none for the reduced system; each follows the block of the bus of its last variable
 * @returns q: column k of the ordered KKT is column q[k] (variables 0..nx-1, then the nG
 *   augmented rows, then 2nb balance rows, then the ieq rows)
 */
export function kktOrderAc(m: AcOpfModel, ieq: number[], dhG?: Csc): Int32Array {
  const { Y, nb, ng, nx, iVm, iPg, iQg, iy, A } = m;
  const nG = dhG?.n ?? 0;
  const eq0 = nx + nG;
  const busPerm = amd({
    m: nb,
    n: nb,
    colPtr: Y.colPtr,
    rowIdx: Y.rowIdx,
    values: new Float64Array(Y.rowIdx.length).fill(1),
  });
  const gensAt: number[][] = Array.from({ length: nb }, () => []);
  for (let g = 0; g < ng; g++) gensAt[m.oc.genBus[g]].push(g);
  // cost variables y: attached to the generator whose Pg/Qg they price
  const yOf: number[][] = Array.from({ length: 2 * ng }, () => []);
  m.cost.pwl.forEach((v, j) => yOf[v].push(iy + j));
  // a generator variable without bounds has no diagonal when it has no quadratic cost (a
  // zero pivot in its place: the first factorization searches for pivots), one after the
  // balance rows it enters
  const free = (v: number) => !(m.xmin[v] > -1e10) && !(m.xmax[v] < 1e10);
  const base: number[] = [];
  // blockEnd[k]: the last position of the bus block holding position k
  const blockEnd: number[] = [];
  for (const i of busPerm) {
    const start = base.length;
    base.push(i, iVm + i);
    const late: number[] = [];
    for (const g of gensAt[i]) {
      for (const v of [iPg + g, ...yOf[g], iQg + g, ...yOf[ng + g]]) (free(v) ? late : base).push(v);
    }
    base.push(eq0 + i, eq0 + nb + i, ...late);
    for (let k = start; k < base.length; k++) blockEnd.push(base.length - 1);
  }
  const posOf = new Int32Array(eq0 + 2 * nb).fill(-1);
  base.forEach((c, k) => {
    posOf[c] = k;
  });
  const after: number[][] = Array.from({ length: base.length }, () => []);
  const tail: number[] = [];
  const follow = (col: number, anchor: number) => {
    if (anchor >= 0 && posOf[anchor] >= 0) after[posOf[anchor]].push(col);
    else tail.push(col);
  };
  // augmented rows after the block of the bus of their last variable
  if (dhG)
    lastVariableOfCols(dhG, posOf).forEach((anchor, k) =>
      follow(nx + k, anchor >= 0 && posOf[anchor] >= 0 ? base[blockEnd[posOf[anchor]]] : -1),
    );
  const anchorOfRow = lastVariableOfRows(A, posOf);
  ieq.forEach((r, k) => follow(eq0 + 2 * nb + k, r < nx ? r : anchorOfRow[r - nx]));
  const q: number[] = [];
  base.forEach((c, k) => {
    q.push(c);
    for (const e of after[k]) q.push(e);
  });
  for (let v = 0; v < nx; v++) if (posOf[v] < 0) q.push(v);
  q.push(...tail);
  return Int32Array.from(q);
}

/**
 * The same idea for the DC OPF QP (x = [Va; Pg; y], all constraints linear): bus blocks
 * [Va_i, Pg (and y) of its generators, nodal balance row i]; other equality rows follow their
 * last variable.
 */
export function kktOrderDc(m: DcOpfModel, genBus: Int32Array, pwlGens: number[], ieq: number[]): Int32Array {
  const { nb, ng, nx, A, B } = m;
  const busPerm = amd({
    m: nb,
    n: nb,
    colPtr: B.colPtr,
    rowIdx: B.rowIdx,
    values: new Float64Array(B.rowIdx.length).fill(1),
  });
  const gensAt: number[][] = Array.from({ length: nb }, () => []);
  for (let g = 0; g < ng; g++) gensAt[genBus[g]].push(g);
  const yOf: number[][] = Array.from({ length: ng }, () => []);
  pwlGens.forEach((g, j) => yOf[g].push(nb + ng + j));
  const eqCol = new Map<number, number>();
  ieq.forEach((r, k) => eqCol.set(r, nx + k));
  const placed = new Uint8Array(nx + ieq.length);
  const base: number[] = [];
  const put = (c: number | undefined) => {
    if (c !== undefined && !placed[c]) {
      placed[c] = 1;
      base.push(c);
    }
  };
  for (const i of busPerm) {
    put(i);
    for (const g of gensAt[i]) {
      put(nb + g);
      for (const y of yOf[g]) put(y);
    }
    put(eqCol.get(nx + m.rows.pmis + i));
  }
  for (let v = 0; v < nx; v++) put(v);
  // remaining equality rows after their last variable
  const posOf = new Int32Array(nx).fill(-1);
  base.forEach((c, k) => {
    if (c < nx) posOf[c] = k;
  });
  const anchorOfRow = lastVariableOfRows(A, posOf);
  const after: number[][] = Array.from({ length: base.length }, () => []);
  const tail: number[] = [];
  ieq.forEach((r, k) => {
    const col = nx + k;
    if (placed[col]) return;
    const anchor = r < nx ? r : anchorOfRow[r - nx];
    if (anchor >= 0) after[posOf[anchor]].push(col);
    else tail.push(col);
  });
  const q: number[] = [];
  base.forEach((c, k) => {
    q.push(c);
    for (const e of after[k]) q.push(e);
  });
  q.push(...tail);
  return Int32Array.from(q);
}

/** For each row of A, its variable that comes last in the order given by posOf (-1: empty row). */
function lastVariableOfRows(A: Csc, posOf: Int32Array): Int32Array {
  const anchorOfRow = new Int32Array(A.m).fill(-1);
  for (let j = 0; j < A.n; j++) {
    for (let p = A.colPtr[j]; p < A.colPtr[j + 1]; p++) {
      const r = A.rowIdx[p];
      if (anchorOfRow[r] < 0 || posOf[j] > posOf[anchorOfRow[r]]) anchorOfRow[r] = j;
    }
  }
  return anchorOfRow;
}

/** For each column of B (a constraint), its variable (row) that comes last in the order given by posOf. */
function lastVariableOfCols(B: Csc, posOf: Int32Array): Int32Array {
  const anchor = new Int32Array(B.n).fill(-1);
  for (let j = 0; j < B.n; j++) {
    for (let p = B.colPtr[j]; p < B.colPtr[j + 1]; p++) {
      const v = B.rowIdx[p];
      if (anchor[j] < 0 || posOf[v] > posOf[anchor[j]]) anchor[j] = v;
    }
  }
  return anchor;
}
