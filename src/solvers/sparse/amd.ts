/**
 * Approximate minimum degree ordering of the pattern of A + A' (diagonal ignored).
 *
 * The algorithm is the quotient-graph AMD of Amestoy, Davis and Duff as formulated in
 * T. A. Davis, "Direct Methods for Sparse Linear Systems" (SIAM 2006), section 7.1
 * (CSparse's cs_amd): element absorption, mass elimination, supernode detection by hashing,
 * aggressive absorption, dense rows moved to the end, and a final postorder of the
 * assembly tree. Written here from that description for Int32Array storage.
 */
import type { Csc } from './csc';
import { scratchI32 } from '../scratch-slab';

const flip = (i: number): number => -i - 2;

/** Pattern of A + A' without the diagonal, duplicates removed, with elbow room for AMD. */
function symmetricPattern(A: Csc): { p: Int32Array; i: Int32Array; nz: number } {
  const n = A.n;
  const { colPtr, rowIdx } = A;
  const cnt = scratchI32(n);
  for (let j = 0; j < n; j++) {
    for (let q = colPtr[j]; q < colPtr[j + 1]; q++) {
      const i = rowIdx[q];
      if (i === j) continue;
      cnt[i]++;
      cnt[j]++;
    }
  }
  const tp = scratchI32(n + 1);
  for (let j = 0; j < n; j++) tp[j + 1] = tp[j] + cnt[j];
  const next = scratchI32(n);
  next.set(tp.subarray(0, n));
  const ti = scratchI32(tp[n]);
  for (let j = 0; j < n; j++) {
    for (let q = colPtr[j]; q < colPtr[j + 1]; q++) {
      const i = rowIdx[q];
      if (i === j) continue;
      ti[next[i]++] = j;
      ti[next[j]++] = i;
    }
  }
  // remove duplicates (an entry present in both A and A')
  const mark = scratchI32(n).fill(-1);
  const p = scratchI32(n + 1);
  let nz = 0;
  for (let j = 0; j < n; j++) {
    p[j] = nz;
    for (let q = tp[j]; q < tp[j + 1]; q++) {
      const i = ti[q];
      if (mark[i] === j) continue;
      mark[i] = j;
      ti[nz++] = i;
    }
  }
  p[n] = nz;
  const i = scratchI32(amdRoom(n, nz));
  i.set(ti.subarray(0, nz));
  return { p, i, nz };
}

/** Clears w when mark would overflow; returns the new mark. */
function wclear(mark: number, lemax: number, w: Int32Array, n: number): number {
  if (mark < 2 || mark + lemax > 0x3fffffff) {
    for (let k = 0; k < n; k++) if (w[k] !== 0) w[k] = 1;
    mark = 2;
  }
  return mark;
}

/** Depth-first search of a tree (head/next child lists) from root j; writes a postorder into post from k. */
function tdfs(j: number, k: number, head: Int32Array, next: Int32Array, post: Int32Array, stack: Int32Array): number {
  let top = 0;
  stack[0] = j;
  while (top >= 0) {
    const p = stack[top];
    const i = head[p];
    if (i === -1) {
      top--;
      post[k++] = p;
    } else {
      head[p] = next[i];
      stack[++top] = i;
    }
  }
  return k;
}

/**
 * Fill-reducing symmetric permutation for a square matrix: column (and row) j of the
 * reordered matrix is column perm[j] of A.
 */
export function amd(A: Csc): Int32Array {
  const n = A.n;
  if (A.m !== n) throw new Error(`amd: matrix must be square, got ${A.m}x${n}`);
  if (n === 0) return new Int32Array(0);
  const C = symmetricPattern(A);
  return amdGraph(n, C.p, C.i, C.nz);
}

/** Room AMD needs in a graph's index array of `nz` entries on `n` nodes (see amdGraph). */
export function amdRoom(n: number, nz: number): number {
  return Math.max(nz + Math.floor(nz / 5) + 2 * n, 1);
}

/**
 * amd on a graph given as what symmetricPattern makes of A: the pattern of A + A' without the
 * diagonal, each column's rows ascending and distinct (column j is Ci[Cp[j] .. Cp[j + 1]]),
 * Ci at least amdRoom(n, nz) long. Cp and Ci are taken over (overwritten).
 */
export function amdGraph(n: number, Cp: Int32Array, CiIn: Int32Array, nz: number): Int32Array {
  if (n === 0) return new Int32Array(0);
  let Ci = CiIn;
  let cnz = nz;
  let nzmax = Ci.length;
  let dense = Math.max(16, Math.floor(10 * Math.sqrt(n)));
  dense = Math.min(n - 2, dense);

  const len = scratchI32(n + 1);
  const nv = scratchI32(n + 1);
  const next = scratchI32(n + 1);
  const head = scratchI32(n + 1);
  const elen = scratchI32(n + 1);
  const degree = scratchI32(n + 1);
  const w = scratchI32(n + 1);
  const hhead = scratchI32(n + 1);
  const last = scratchI32(n + 1);
  for (let k = 0; k < n; k++) len[k] = Cp[k + 1] - Cp[k];
  len[n] = 0;
  for (let i = 0; i <= n; i++) {
    head[i] = -1;
    last[i] = -1;
    next[i] = -1;
    hhead[i] = -1;
    nv[i] = 1;
    w[i] = 1;
    elen[i] = 0;
    degree[i] = len[i];
  }
  let mark = wclear(0, 0, w, n);
  let lemax = 0;
  let nel = 0;
  let mindeg = 0;
  elen[n] = -2;
  Cp[n] = -1;
  w[n] = 0;
  for (let i = 0; i < n; i++) {
    const d = degree[i];
    if (d === 0) {
      elen[i] = -2;
      nel++;
      Cp[i] = -1;
      w[i] = 0;
    } else if (d > dense) {
      nv[i] = 0;
      elen[i] = -1;
      nel++;
      Cp[i] = flip(n);
      nv[n]++;
    } else {
      if (head[d] !== -1) last[head[d]] = i;
      next[i] = head[d];
      head[d] = i;
    }
  }

  while (nel < n) {
    // select a node of minimum approximate degree
    let k = -1;
    for (; mindeg < n && (k = head[mindeg]) === -1; mindeg++);
    if (next[k] !== -1) last[next[k]] = -1;
    head[mindeg] = next[k];
    const elenk = elen[k];
    let nvk = nv[k];
    nel += nvk;

    // garbage collection, or more room when the workspace is full
    if (elenk > 0 && cnz + mindeg >= nzmax) {
      for (let j = 0; j < n; j++) {
        const p = Cp[j];
        if (p >= 0) {
          Cp[j] = Ci[p];
          Ci[p] = flip(j);
        }
      }
      let q = 0;
      for (let p = 0; p < cnz;) {
        const j = flip(Ci[p++]);
        if (j >= 0) {
          Ci[q] = Cp[j];
          Cp[j] = q++;
          for (let k3 = 0; k3 < len[j] - 1; k3++) Ci[q++] = Ci[p++];
        }
      }
      cnz = q;
      if (cnz + mindeg >= nzmax - n) {
        const bigger = scratchI32(2 * nzmax + n);
        bigger.set(Ci.subarray(0, cnz));
        Ci = bigger;
        nzmax = bigger.length;
      }
    }

    // construct the new element Lk
    let dk = 0;
    nv[k] = -nvk;
    let p = Cp[k];
    const pk1 = elenk === 0 ? p : cnz;
    let pk2 = pk1;
    for (let k1 = 1; k1 <= elenk + 1; k1++) {
      let e: number, pj: number, ln: number;
      if (k1 > elenk) {
        e = k;
        pj = p;
        ln = len[k] - elenk;
      } else {
        e = Ci[p++];
        pj = Cp[e];
        ln = len[e];
      }
      for (let k2 = 1; k2 <= ln; k2++) {
        const i = Ci[pj++];
        const nvi = nv[i];
        if (nvi <= 0) continue;
        dk += nvi;
        nv[i] = -nvi;
        Ci[pk2++] = i;
        if (next[i] !== -1) last[next[i]] = last[i];
        if (last[i] !== -1) next[last[i]] = next[i];
        else head[degree[i]] = next[i];
      }
      if (e !== k) {
        Cp[e] = flip(k);
        w[e] = 0;
      }
    }
    if (elenk !== 0) cnz = pk2;
    degree[k] = dk;
    Cp[k] = pk1;
    len[k] = pk2 - pk1;
    elen[k] = -2;

    // set differences |Le \ Lk|
    mark = wclear(mark, lemax, w, n);
    for (let pk = pk1; pk < pk2; pk++) {
      const i = Ci[pk];
      const eln = elen[i];
      if (eln <= 0) continue;
      const nvi = -nv[i];
      const wnvi = mark - nvi;
      for (p = Cp[i]; p <= Cp[i] + eln - 1; p++) {
        const e = Ci[p];
        if (w[e] >= mark) w[e] -= nvi;
        else if (w[e] !== 0) w[e] = degree[e] + wnvi;
      }
    }

    // degree update and element absorption
    for (let pk = pk1; pk < pk2; pk++) {
      const i = Ci[pk];
      const p1 = Cp[i];
      const p2 = p1 + elen[i] - 1;
      let pn = p1;
      let h = 0;
      let d = 0;
      for (p = p1; p <= p2; p++) {
        const e = Ci[p];
        if (w[e] !== 0) {
          const dext = w[e] - mark;
          if (dext > 0) {
            d += dext;
            Ci[pn++] = e;
            h += e;
          } else {
            Cp[e] = flip(k);
            w[e] = 0;
          }
        }
      }
      elen[i] = pn - p1 + 1;
      const p3 = pn;
      const p4 = p1 + len[i];
      for (p = p2 + 1; p < p4; p++) {
        const j = Ci[p];
        const nvj = nv[j];
        if (nvj <= 0) continue;
        d += nvj;
        Ci[pn++] = j;
        h += j;
      }
      if (d === 0) {
        // mass elimination
        Cp[i] = flip(k);
        const nvi = -nv[i];
        dk -= nvi;
        nvk += nvi;
        nel += nvi;
        nv[i] = 0;
        elen[i] = -1;
      } else {
        degree[i] = Math.min(degree[i], d);
        Ci[pn] = Ci[p3];
        Ci[p3] = Ci[p1];
        Ci[p1] = k;
        len[i] = pn - p1 + 1;
        h %= n;
        next[i] = hhead[h];
        hhead[h] = i;
        last[i] = h;
      }
    }
    degree[k] = dk;
    lemax = Math.max(lemax, dk);
    mark = wclear(mark + lemax, lemax, w, n);

    // supernode detection
    for (let pk = pk1; pk < pk2; pk++) {
      let i = Ci[pk];
      if (nv[i] >= 0) continue;
      const h = last[i];
      i = hhead[h];
      hhead[h] = -1;
      for (; i !== -1 && next[i] !== -1; i = next[i], mark++) {
        const ln = len[i];
        const eln = elen[i];
        for (p = Cp[i] + 1; p <= Cp[i] + ln - 1; p++) w[Ci[p]] = mark;
        let jlast = i;
        for (let j = next[i]; j !== -1;) {
          let ok = len[j] === ln && elen[j] === eln;
          for (p = Cp[j] + 1; ok && p <= Cp[j] + ln - 1; p++) if (w[Ci[p]] !== mark) ok = false;
          if (ok) {
            Cp[j] = flip(i);
            nv[i] += nv[j];
            nv[j] = 0;
            elen[j] = -1;
            j = next[j];
            next[jlast] = j;
          } else {
            jlast = j;
            j = next[j];
          }
        }
      }
    }

    // finalize the new element
    p = pk1;
    for (let pk = pk1; pk < pk2; pk++) {
      const i = Ci[pk];
      const nvi = -nv[i];
      if (nvi <= 0) continue;
      nv[i] = nvi;
      let d = degree[i] + dk - nvi;
      d = Math.min(d, n - nel - nvi);
      if (head[d] !== -1) last[head[d]] = i;
      next[i] = head[d];
      last[i] = -1;
      head[d] = i;
      mindeg = Math.min(mindeg, d);
      degree[i] = d;
      Ci[p++] = i;
    }
    nv[k] = nvk;
    if ((len[k] = p - pk1) === 0) {
      Cp[k] = -1;
      w[k] = 0;
    }
    if (elenk !== 0) cnz = p;
  }

  // postorder the assembly tree
  for (let i = 0; i < n; i++) Cp[i] = flip(Cp[i]);
  for (let j = 0; j <= n; j++) head[j] = -1;
  for (let j = n; j >= 0; j--) {
    if (nv[j] > 0) continue;
    next[j] = head[Cp[j]];
    head[Cp[j]] = j;
  }
  for (let e = n; e >= 0; e--) {
    if (nv[e] <= 0) continue;
    if (Cp[e] !== -1) {
      next[e] = head[Cp[e]];
      head[Cp[e]] = e;
    }
  }
  const P = scratchI32(n + 1);
  for (let k = 0, i = 0; i <= n; i++) if (Cp[i] === -1) k = tdfs(i, k, head, next, P, w);
  return P.slice(0, n);
}
