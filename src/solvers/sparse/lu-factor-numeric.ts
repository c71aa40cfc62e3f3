/**
 * Numeric factorization with pivoting: left-looking Gilbert-Peierls LU with threshold partial
 * pivoting that prefers the diagonal (the diagonal entry is taken as pivot when
 * |a_diag| >= tol * max |a_i| over the candidate rows, else the largest), with symmetric
 * pruning of the graph search (Eisenstat-Liu, as in KLU).
 *
 * The work of a column (reach, triangular solve, pivot, pruning) is its own function, called
 * once per column: V8 optimizes it as an ordinary hot function with complete type feedback.
 * As one function with the column loop inside, a factorization that runs rarely (a prepared
 * solver's refactorization falling back to pivoting, about once per 500 case1354pegase
 * outages) was compiled by on-stack replacement in the middle of the loop and deoptimized on
 * reaching code without feedback: 25-45 ms of compilation and interpretation per fallback
 * instead of ~3 ms.
 */
import { Csc } from './csc';
import { LuNumeric } from './lu-numeric';
import { buildRefactorSchedule } from './lu-refactor-schedule';
import { SingularMatrixError } from './lu-types';

/** The factorization's state while it runs (the factors' arrays grow as fill appears). */
interface GpState {
  n: number;
  Ap: Int32Array;
  Ai: Int32Array;
  Ax: Float64Array;
  q: Int32Array;
  tol: number;
  pinv: Int32Array;
  x: Float64Array;
  Lp: Int32Array;
  Up: Int32Array;
  Li: Int32Array;
  Lx: Float64Array;
  Ui: Int32Array;
  Ux: Float64Array;
  lnz: number;
  unz: number;
  /** reach, topological order in xi[top..n-1] */
  xi: Int32Array;
  stack: Int32Array;
  pstack: Int32Array;
  mark: Int32Array;
  /**
   * symmetric pruning (Eisenstat-Liu, as in KLU): lpend[J] ends the part of L(:,J) the graph
   * search still has to visit; -1 while L(:,J) is unpruned
   */
  lpend: Int32Array;
}

/** Gilbert-Peierls left-looking LU with threshold partial pivoting. */
export function factorNumeric(st: LuNumeric, A: Csc, q: Int32Array, tol: number): void {
  const n = st.n;
  const Ap = A.colPtr;
  const cap = Math.max(Math.ceil(1.5 * Ap[n]) + n, 16);
  const s: GpState = {
    n,
    Ap,
    Ai: A.rowIdx,
    Ax: A.values,
    q,
    tol,
    pinv: st.pinv.fill(-1),
    x: st.x.fill(0),
    Lp: st.Lp,
    Up: st.Up,
    Li: st.Li.length >= cap ? st.Li : new Int32Array(cap),
    Lx: st.Lx.length >= cap ? st.Lx : new Float64Array(cap),
    Ui: st.Ui.length >= cap ? st.Ui : new Int32Array(cap),
    Ux: st.Ux.length >= cap ? st.Ux : new Float64Array(cap),
    lnz: 0,
    unz: 0,
    xi: new Int32Array(n),
    stack: new Int32Array(n),
    pstack: new Int32Array(n),
    mark: new Int32Array(n).fill(-1),
    lpend: new Int32Array(n).fill(-1),
  };
  for (let k = 0; k < n; k++) {
    if (s.lnz + n > s.Li.length) growL(s);
    if (s.unz + n > s.Ui.length) growU(s);
    s.Lp[k] = s.lnz;
    s.Up[k] = s.unz;
    const top = reach(s, k);
    const ipiv = solveColumn(s, k, top);
    storeL(s, k, top, ipiv);
    prune(s, k, ipiv);
  }
  finish(s, st);
  buildRefactorSchedule(st, Ap, s.Ai, q);
}

function growL(s: GpState): void {
  const g = grown(s.Li, s.Lx, s.lnz, s.n);
  s.Li = g.idx;
  s.Lx = g.val;
}

function growU(s: GpState): void {
  const g = grown(s.Ui, s.Ux, s.unz, s.n);
  s.Ui = g.idx;
  s.Ux = g.val;
}

/** Index and value arrays of twice the capacity plus n, holding the first `used` entries. */
function grown(idx: Int32Array, val: Float64Array, used: number, n: number) {
  const cap = 2 * idx.length + n;
  const i = new Int32Array(cap);
  i.set(idx.subarray(0, used));
  const v = new Float64Array(cap);
  v.set(val.subarray(0, used));
  return { idx: i, val: v };
}

/**
 * Reach of A(:,q[k]) in the graph of L (rows are original row numbers while factoring), by
 * non-recursive depth-first search: xi[top..n-1] in topological order; returns top.
 */
function reach(s: GpState, k: number): number {
  const { n, Ap, Ai, pinv, Lp, Li, xi, stack, pstack, mark, lpend } = s;
  const col = s.q[k];
  let top = n;
  for (let p = Ap[col], pe = Ap[col + 1]; p < pe; p++) {
    const r = Ai[p];
    if (mark[r] === k) continue;
    let head = 0;
    stack[0] = r;
    while (head >= 0) {
      const j = stack[head];
      const J = pinv[j];
      if (mark[j] !== k) {
        mark[j] = k;
        pstack[head] = J < 0 ? 0 : Lp[J] + 1;
      }
      let done = true;
      if (J >= 0) {
        const end = lpend[J] >= 0 ? lpend[J] : Lp[J + 1];
        for (let pp = pstack[head]; pp < end; pp++) {
          const i = Li[pp];
          if (mark[i] === k) continue;
          pstack[head] = pp + 1;
          stack[++head] = i;
          done = false;
          break;
        }
      }
      if (done) {
        head--;
        xi[--top] = j;
      }
    }
  }
  return top;
}

/**
 * x = L \ A(:,q[k]) on the reach, U(:,k) above the diagonal (topological order), then the
 * pivot row: the diagonal when it passes the threshold test, else the largest candidate.
 */
function solveColumn(s: GpState, k: number, top: number): number {
  const { n, Ap, Ai, Ax, pinv, x, Lp, Li, Lx, Ui, Ux, xi, mark } = s;
  const col = s.q[k];
  for (let p = top; p < n; p++) x[xi[p]] = 0;
  for (let p = Ap[col], pe = Ap[col + 1]; p < pe; p++) x[Ai[p]] += Ax[p];
  for (let px = top; px < n; px++) {
    const j = xi[px];
    const J = pinv[j];
    if (J < 0) continue;
    const xj = x[j];
    if (xj === 0) continue;
    for (let p = Lp[J] + 1, end = Lp[J + 1]; p < end; p++) x[Li[p]] -= Lx[p] * xj;
  }
  // pivot search among rows not yet pivotal; U part in topological order
  let ipiv = -1;
  let amax = -1;
  let unz = s.unz;
  for (let px = top; px < n; px++) {
    const i = xi[px];
    const I = pinv[i];
    if (I < 0) {
      const t = Math.abs(x[i]);
      if (t > amax) {
        amax = t;
        ipiv = i;
      }
    } else {
      Ui[unz] = I;
      Ux[unz++] = x[i];
    }
  }
  s.unz = unz;
  if (ipiv === -1 || !(amax > 0)) {
    throw new SingularMatrixError(
      col,
      ipiv === -1 ? 'structurally singular, no candidate pivot' : amax === 0 ? 'zero pivot' : 'non-finite values',
    );
  }
  if (!Number.isFinite(amax)) throw new SingularMatrixError(col, 'non-finite values');
  if (pinv[col] < 0 && mark[col] === k && Math.abs(x[col]) >= s.tol * amax) ipiv = col;
  return ipiv;
}

/** U(k,k) = the pivot, L(:,k) = the candidates over it (pivot row first); clears x on the reach. */
function storeL(s: GpState, k: number, top: number, ipiv: number): void {
  const { n, pinv, x, Li, Lx, Ui, Ux, xi } = s;
  const pivot = x[ipiv];
  Ui[s.unz] = k;
  Ux[s.unz++] = pivot;
  pinv[ipiv] = k;
  let lnz = s.lnz;
  Li[lnz] = ipiv;
  Lx[lnz++] = 1;
  for (let px = top; px < n; px++) {
    const i = xi[px];
    if (pinv[i] < 0) {
      Li[lnz] = i;
      Lx[lnz++] = x[i] / pivot;
    }
    x[i] = 0;
  }
  s.lnz = lnz;
}

/**
 * Prunes every L(:,J), J in U(:,k), that contains the new pivot row: rows not yet pivotal are
 * reachable through L(:,k) from now on.
 */
function prune(s: GpState, k: number, ipiv: number): void {
  const { pinv, Lp, Li, Lx, Up, Ui, lpend } = s;
  for (let p = Up[k], pe = s.unz - 1; p < pe; p++) {
    const J = Ui[p];
    if (lpend[J] >= 0) continue;
    const l0 = Lp[J] + 1;
    const l1 = Lp[J + 1];
    let hit = false;
    for (let pl = l0; pl < l1; pl++)
      if (Li[pl] === ipiv) {
        hit = true;
        break;
      }
    if (!hit) continue;
    let head = l0;
    let tail = l1;
    while (head < tail) {
      const i = Li[head];
      if (pinv[i] >= 0) head++;
      else {
        tail--;
        Li[head] = Li[tail];
        Li[tail] = i;
        const v = Lx[head];
        Lx[head] = Lx[tail];
        Lx[tail] = v;
      }
    }
    lpend[J] = tail;
  }
}

/** Closes the column pointers, renumbers L's rows to pivot order, hands the factors to st. */
function finish(s: GpState, st: LuNumeric): void {
  const { n, pinv, Lp, Up, Li } = s;
  Lp[n] = s.lnz;
  Up[n] = s.unz;
  for (let p = 0, e = s.lnz; p < e; p++) Li[p] = pinv[Li[p]];
  for (let i = 0; i < n; i++) st.prow[pinv[i]] = i;
  st.Li = Li;
  st.Lx = s.Lx;
  st.Ui = s.Ui;
  st.Ux = s.Ux;
}
