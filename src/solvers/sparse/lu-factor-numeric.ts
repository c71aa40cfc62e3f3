/**
 * Numeric factorization with pivoting: left-looking Gilbert-Peierls LU with threshold partial
 * pivoting that prefers the diagonal (the diagonal entry is taken as pivot when
 * |a_diag| >= tol * max |a_i| over the candidate rows, else the largest), with symmetric
 * pruning of the graph search (Eisenstat-Liu, as in KLU).
 */
import { Csc } from './csc';
import { LuNumeric } from './lu-numeric';
import { buildRefactorSchedule } from './lu-refactor-schedule';
import { SingularMatrixError } from './lu-types';

/** Gilbert-Peierls left-looking LU with threshold partial pivoting. */
export function factorNumeric(st: LuNumeric, A: Csc, q: Int32Array, tol: number): void {
  const n = st.n;
  const { colPtr: Ap, rowIdx: Ai, values: Ax } = A;
  const pinv = st.pinv.fill(-1);
  const x = st.x.fill(0);
  const Lp = st.Lp;
  const Up = st.Up;
  let cap = Math.max(Math.ceil(1.5 * Ap[n]) + n, 16);
  let Li = st.Li.length >= cap ? st.Li : new Int32Array(cap);
  let Lx = st.Lx.length >= cap ? st.Lx : new Float64Array(cap);
  let capU = cap;
  let Ui = st.Ui.length >= capU ? st.Ui : new Int32Array(capU);
  let Ux = st.Ux.length >= capU ? st.Ux : new Float64Array(capU);
  cap = Li.length;
  capU = Ui.length;
  const xi = new Int32Array(n); // reach, topological order in xi[top..n-1]
  const stack = new Int32Array(n);
  const pstack = new Int32Array(n);
  const mark = new Int32Array(n).fill(-1);
  // symmetric pruning (Eisenstat-Liu, as in KLU): lpend[J] ends the part of L(:,J) the
  // graph search still has to visit; -1 while L(:,J) is unpruned
  const lpend = new Int32Array(n).fill(-1);
  let lnz = 0;
  let unz = 0;
  for (let k = 0; k < n; k++) {
    if (lnz + n > cap) {
      cap = 2 * cap + n;
      const li = new Int32Array(cap);
      li.set(Li.subarray(0, lnz));
      Li = li;
      const lx = new Float64Array(cap);
      lx.set(Lx.subarray(0, lnz));
      Lx = lx;
    }
    if (unz + n > capU) {
      capU = 2 * capU + n;
      const ui = new Int32Array(capU);
      ui.set(Ui.subarray(0, unz));
      Ui = ui;
      const ux = new Float64Array(capU);
      ux.set(Ux.subarray(0, unz));
      Ux = ux;
    }
    Lp[k] = lnz;
    Up[k] = unz;
    const col = q[k];
    // reach of A(:,col) in the graph of L (rows are original row numbers while factoring)
    let top = n;
    for (let p = Ap[col]; p < Ap[col + 1]; p++) {
      const r = Ai[p];
      if (mark[r] === k) continue;
      // non-recursive depth-first search from r
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
    // x = L \ A(:,col) on the reach
    for (let p = top; p < n; p++) x[xi[p]] = 0;
    for (let p = Ap[col]; p < Ap[col + 1]; p++) x[Ai[p]] += Ax[p];
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
    if (ipiv === -1 || !(amax > 0)) {
      throw new SingularMatrixError(
        col,
        ipiv === -1 ? 'structurally singular, no candidate pivot' : amax === 0 ? 'zero pivot' : 'non-finite values',
      );
    }
    if (!Number.isFinite(amax)) throw new SingularMatrixError(col, 'non-finite values');
    if (pinv[col] < 0 && mark[col] === k && Math.abs(x[col]) >= tol * amax) ipiv = col;
    const pivot = x[ipiv];
    Ui[unz] = k;
    Ux[unz++] = pivot;
    pinv[ipiv] = k;
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
    // prune every L(:,J), J in U(:,k), that contains the new pivot row: rows not yet
    // pivotal are reachable through L(:,k) from now on
    for (let p = Up[k]; p < unz - 1; p++) {
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
  Lp[n] = lnz;
  Up[n] = unz;
  for (let p = 0; p < lnz; p++) Li[p] = pinv[Li[p]];
  for (let i = 0; i < n; i++) st.prow[pinv[i]] = i;
  st.Li = Li;
  st.Lx = Lx;
  st.Ui = Ui;
  st.Ux = Ux;
  buildRefactorSchedule(st, Ap, Ai, q);
}
