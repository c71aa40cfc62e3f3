/**
 * Ybus / Yf / Yt of one network, for a one-shot (cold) solve: the pattern and the values
 * together, straight from the branch end rows, with no triplet position map (ybus-assembly.ts
 * keeps one because a prepared solver refills values on a fixed pattern; a cold solve fills them
 * once). One pass over the branches gives Yf / Yt by column and the diagonal's branch terms, one
 * pass over the buses' Yf columns places Ybus's off-diagonal entries row by row, so each column
 * comes out sorted (no sort; an insertion sort per column and a merge pass before).
 *
 * The result is the one `fillYbus(ybusAssembly(net, st), net, st)` gives, bit for bit: the
 * same pattern (every branch whose two end buses are in service, explicit zeros for those out
 * of service, a diagonal entry for every bus) and the same sums in the same order (each entry's
 * branch terms in branch order, then the bus shunt). Its arrays are scratch-slab views
 * (scratch-slab.ts): they die with the one-shot solve.
 */
import type { Network } from '../grid/network';
import type { Status } from './bustypes';
import { emptyBranchAdmittances, branchTwoPort, YbusResult } from './makeYbus';
import { scratchF64, scratchI32 } from './scratch-slab';

/** branchTwoPort's output for one branch at a time (scratch, read right after each call). */
const one = emptyBranchAdmittances(1);

export function ybusDirect(net: Network, status: Status): YbusResult {
  const nb = net.bus.n,
    nl = net.branch.n;
  const { f, t, busOn, branchOn } = status;
  // per bus column: its branch count (Yf / Yt entries; a self-loop once) and its Ybus room
  // (the diagonal and the off-diagonal entries before merging); few allocations, views of them
  const fcnt = scratchI32(nb + 1);
  const yptr = scratchI32(nb + 1);
  for (let l = 0; l < nl; l++) {
    const a = f[l],
      b = t[l];
    if (!busOn[a] || !busOn[b]) continue;
    fcnt[a + 1]++;
    if (a === b) continue;
    fcnt[b + 1]++;
    yptr[a + 1]++;
    yptr[b + 1]++;
  }
  for (let i = 0; i < nb; i++) {
    fcnt[i + 1] += fcnt[i];
    yptr[i + 1] += yptr[i] + 1;
  }
  const fnz = fcnt[nb];
  const frow = scratchI32(fnz);
  // each Yf / Yt slot's partner: the same branch's slot in its other end's column
  const partner = scratchI32(fnz);
  const fbuf = scratchF64(4 * fnz + 2 * nb);
  const fre = fbuf.subarray(0, fnz),
    fim = fbuf.subarray(fnz, 2 * fnz),
    tre = fbuf.subarray(2 * fnz, 3 * fnz),
    tim = fbuf.subarray(3 * fnz, 4 * fnz),
    // the diagonal's branch terms, summed in branch order
    dre = fbuf.subarray(4 * fnz, 4 * fnz + nb),
    dim = fbuf.subarray(4 * fnz + nb);
  const fnext = scratchI32(nb);
  fnext.set(fcnt.subarray(0, nb));
  const { Yff, Yft, Ytf, Ytt } = one;
  const br = net.branch;
  // Yf / Yt column by column (each column's branches in branch order) and the diagonal terms
  for (let l = 0; l < nl; l++) {
    const a = f[l],
      b = t[l];
    if (!busOn[a] || !busOn[b]) continue;
    const pa = fnext[a]++;
    frow[pa] = l;
    const pb = a === b ? pa : fnext[b]++;
    frow[pb] = l;
    partner[pa] = pb;
    partner[pb] = pa;
    // out of service: explicit zeros, the entries exist and the values stay 0
    if (!branchOn[l]) continue;
    branchTwoPort(br, l, one, 0);
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
    fre[pb] = ftr;
    fim[pb] = fti;
    tre[pb] = ttr;
    tim[pb] = tti;
    dre[a] += ffr;
    dim[a] += ffi;
    dre[b] += ttr;
    dim[b] += tti;
  }
  // Ybus row by row: row r's entries appended to their columns, so each column's rows come
  // out ascending with no sort; a parallel branch's entry lands right after its twin's (the
  // row's branches in branch order) and is summed into it, in that order. Entry (r, c) of
  // branch l is Yf(l, c) = Yft when r is its from bus, else Yt(l, c) = Ytf: the value in the
  // partner slot of column c. The diagonal, the shunt after the branch terms, goes in at row r.
  const tot = yptr[nb];
  const ri = scratchI32(tot);
  const ybuf = scratchF64(2 * tot);
  const yre = ybuf.subarray(0, tot),
    yim = ybuf.subarray(tot);
  const ynext = scratchI32(nb);
  ynext.set(yptr.subarray(0, nb));
  const base = net.baseMVA;
  const { Gs, Bs } = net.bus;
  let merged = 0;
  for (let r = 0; r < nb; r++) {
    const d = ynext[r]++;
    ri[d] = r;
    let vr = dre[r],
      vi = dim[r];
    if (busOn[r]) {
      vr += Gs[r] / base;
      vi += Bs[r] / base;
    }
    yre[d] = vr;
    yim[d] = vi;
    for (let p = fcnt[r], e = fcnt[r + 1]; p < e; p++) {
      const l = frow[p];
      const a = f[l],
        b = t[l];
      if (a === b) continue;
      const c = a === r ? b : a;
      const pp = partner[p];
      const wr = a === r ? fre[pp] : tre[pp],
        wi = a === r ? fim[pp] : tim[pp];
      const q = ynext[c];
      if (q > yptr[c] && ri[q - 1] === r) {
        yre[q - 1] += wr;
        yim[q - 1] += wi;
        merged++;
        continue;
      }
      ri[q] = r;
      yre[q] = wr;
      yim[q] = wi;
      ynext[c] = q + 1;
    }
  }
  // merged parallel entries left gaps at the columns' ends: close them (yptr becomes the
  // column pointers either way)
  let q = tot;
  if (merged > 0) {
    // the columns before the first one with a gap stay where they are
    let c = 0;
    while (ynext[c] === yptr[c + 1]) c++;
    q = ynext[c];
    for (c++; c < nb; c++) {
      const lo = yptr[c],
        hi = ynext[c];
      yptr[c] = q;
      for (let s = lo; s < hi; s++, q++) {
        ri[q] = ri[s];
        yre[q] = yre[s];
        yim[q] = yim[s];
      }
    }
    yptr[nb] = q;
  }
  // exact-length views when parallel branches merged entries
  const Ybus =
    q === tot
      ? { m: nb, n: nb, colPtr: yptr, rowIdx: ri, re: yre, im: yim }
      : { m: nb, n: nb, colPtr: yptr, rowIdx: ri.subarray(0, q), re: yre.subarray(0, q), im: yim.subarray(0, q) };
  return {
    Ybus,
    Yf: { m: nl, n: nb, colPtr: fcnt, rowIdx: frow, re: fre, im: fim },
    Yt: { m: nl, n: nb, colPtr: fcnt, rowIdx: frow, re: tre, im: tim },
  };
}
