/**
 * Ybus / Yf / Yt of one network in one pass over its branches, for a one-shot (cold) solve:
 * the pattern and the values together, straight from the branch end rows, with no triplet
 * position map (ybus-assembly.ts keeps one because a prepared solver refills values on a
 * fixed pattern; a cold solve fills them once).
 *
 * The result is the one `fillYbus(ybusAssembly(net, st), net, st)` gives, bit for bit: the
 * same pattern (every branch whose two end buses are in service, explicit zeros for those out
 * of service, a diagonal entry for every bus) and the same sums in the same order (each entry's
 * branch terms in branch order, then the bus shunt).
 */
import type { Network } from '../grid/network';
import type { Status } from './bustypes';
import { emptyBranchAdmittances, branchTwoPort, YbusResult } from './makeYbus';

export function ybusDirect(net: Network, status: Status): YbusResult {
  const nb = net.bus.n,
    nl = net.branch.n;
  const { f, t, busOn, branchOn } = status;
  // per bus column: its branch count (Yf / Yt entries; a self-loop once) and off-diagonal count
  const fcnt = new Int32Array(nb + 1);
  const ycnt = new Int32Array(nb + 1);
  for (let l = 0; l < nl; l++) {
    const a = f[l],
      b = t[l];
    if (!busOn[a] || !busOn[b]) continue;
    fcnt[a + 1]++;
    if (a === b) continue;
    fcnt[b + 1]++;
    ycnt[a + 1]++;
    ycnt[b + 1]++;
  }
  // Ybus columns before merging: room for the diagonal and the off-diagonal entries
  const yptr = ycnt;
  for (let i = 0; i < nb; i++) {
    fcnt[i + 1] += fcnt[i];
    yptr[i + 1] += yptr[i] + 1;
  }
  const tot = yptr[nb];
  const ri = new Int32Array(tot);
  const yre = new Float64Array(tot),
    yim = new Float64Array(tot);
  const ynext = new Int32Array(nb);
  for (let i = 0; i < nb; i++) ynext[i] = yptr[i] + 1; // slot yptr[i] is the diagonal
  const fnz = fcnt[nb];
  const frow = new Int32Array(fnz);
  const fre = new Float64Array(fnz),
    fim = new Float64Array(fnz),
    tre = new Float64Array(fnz),
    tim = new Float64Array(fnz);
  const fnext = fcnt.slice(0, nb);
  const dre = new Float64Array(nb),
    dim = new Float64Array(nb);
  const y = emptyBranchAdmittances(1);
  const { Yff, Yft, Ytf, Ytt } = y;
  const br = net.branch;
  for (let l = 0; l < nl; l++) {
    const a = f[l],
      b = t[l];
    if (!busOn[a] || !busOn[b]) continue;
    const pa = fnext[a]++;
    frow[pa] = l;
    if (!branchOn[l]) {
      // explicit zeros: the entries exist, the values stay 0
      if (a !== b) {
        frow[fnext[b]++] = l;
        ri[ynext[b]++] = a;
        ri[ynext[a]++] = b;
      }
      continue;
    }
    branchTwoPort(br, l, y, 0);
    const ffr = Yff.re[0],
      ffi = Yff.im[0],
      ftr = Yft.re[0],
      fti = Yft.im[0],
      tfr = Ytf.re[0],
      tfi = Ytf.im[0],
      ttr = Ytt.re[0],
      tti = Ytt.im[0];
    if (a === b) {
      // a self-loop: all four terms on the diagonal, Yf / Yt hold one entry each
      dre[a] = dre[a] + ffr + ftr + tfr + ttr;
      dim[a] = dim[a] + ffi + fti + tfi + tti;
      fre[pa] = ffr + ftr;
      fim[pa] = ffi + fti;
      tre[pa] = tfr + ttr;
      tim[pa] = tfi + tti;
      continue;
    }
    fre[pa] = ffr;
    fim[pa] = ffi;
    tre[pa] = tfr;
    tim[pa] = tfi;
    const pb = fnext[b]++;
    frow[pb] = l;
    fre[pb] = ftr;
    fim[pb] = fti;
    tre[pb] = ttr;
    tim[pb] = tti;
    dre[a] += ffr;
    dim[a] += ffi;
    dre[b] += ttr;
    dim[b] += tti;
    let q = ynext[b]++; // (a, b): row a of column b
    ri[q] = a;
    yre[q] = ftr;
    yim[q] = fti;
    q = ynext[a]++; // (b, a)
    ri[q] = b;
    yre[q] = tfr;
    yim[q] = tfi;
  }
  const base = net.baseMVA;
  const { Gs, Bs } = net.bus;
  // per column: the diagonal in place, rows sorted (insertion sort, columns are short; stable,
  // so parallel branches stay in branch order), duplicates summed in that order, compacted
  const colPtr = new Int32Array(nb + 1);
  let q = 0;
  for (let c = 0; c < nb; c++) {
    const lo = yptr[c],
      hi = yptr[c + 1];
    ri[lo] = c;
    yre[lo] = busOn[c] ? dre[c] + Gs[c] / base : dre[c];
    yim[lo] = busOn[c] ? dim[c] + Bs[c] / base : dim[c];
    for (let s = lo + 1; s < hi; s++) {
      const r = ri[s],
        vr = yre[s],
        vi = yim[s];
      let u = s - 1;
      while (u >= lo && ri[u] > r) {
        ri[u + 1] = ri[u];
        yre[u + 1] = yre[u];
        yim[u + 1] = yim[u];
        u--;
      }
      ri[u + 1] = r;
      yre[u + 1] = vr;
      yim[u + 1] = vi;
    }
    const start = q;
    for (let s = lo; s < hi; s++) {
      if (q > start && ri[q - 1] === ri[s]) {
        yre[q - 1] += yre[s];
        yim[q - 1] += yim[s];
        continue;
      }
      ri[q] = ri[s];
      yre[q] = yre[s];
      yim[q] = yim[s];
      q++;
    }
    colPtr[c + 1] = q;
  }
  const cut = <A extends Int32Array | Float64Array>(x: A): A => (q === tot ? x : (x.slice(0, q) as A));
  const pat = { colPtr: fcnt, rowIdx: frow };
  return {
    Ybus: { m: nb, n: nb, colPtr, rowIdx: cut(ri), re: cut(yre), im: cut(yim) },
    Yf: { m: nl, n: nb, ...pat, re: fre, im: fim },
    Yt: { m: nl, n: nb, ...pat, re: tre, im: tim },
  };
}
