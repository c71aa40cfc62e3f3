/**
 * Ybus / Yf / Yt of one network in one pass over its branches, for a one-shot (cold) solve:
 * the pattern and the values together, straight from the branch end rows, with no triplet
 * position map (ybus-assembly.ts keeps one because a prepared solver refills values on a
 * fixed pattern; a cold solve fills them once).
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
  const tot = yptr[nb];
  const ri = scratchI32(tot);
  const ybuf = scratchF64(2 * tot);
  const yre = ybuf.subarray(0, tot),
    yim = ybuf.subarray(tot);
  const next = scratchI32(2 * nb);
  const ynext = next.subarray(0, nb),
    fnext = next.subarray(nb);
  // slot yptr[i] is bus i's diagonal: the branch terms are summed there, in branch order
  for (let i = 0; i < nb; i++) {
    ynext[i] = yptr[i] + 1;
    fnext[i] = fcnt[i];
  }
  const fnz = fcnt[nb];
  const frow = scratchI32(fnz);
  const fbuf = scratchF64(4 * fnz);
  const fre = fbuf.subarray(0, fnz),
    fim = fbuf.subarray(fnz, 2 * fnz),
    tre = fbuf.subarray(2 * fnz, 3 * fnz),
    tim = fbuf.subarray(3 * fnz);
  const { Yff, Yft, Ytf, Ytt } = one;
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
    branchTwoPort(br, l, one, 0);
    const ffr = Yff.re[0],
      ffi = Yff.im[0],
      ftr = Yft.re[0],
      fti = Yft.im[0],
      tfr = Ytf.re[0],
      tfi = Ytf.im[0],
      ttr = Ytt.re[0],
      tti = Ytt.im[0];
    const da = yptr[a];
    if (a === b) {
      // a self-loop: all four terms on the diagonal, Yf / Yt hold one entry each
      yre[da] = yre[da] + ffr + ftr + tfr + ttr;
      yim[da] = yim[da] + ffi + fti + tfi + tti;
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
    const db = yptr[b];
    yre[da] += ffr;
    yim[da] += ffi;
    yre[db] += ttr;
    yim[db] += tti;
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
  // per column: the shunt after the branch terms, rows sorted (insertion sort, columns are
  // short; stable, so parallel branches stay in branch order), duplicates summed in that
  // order, compacted in place; yptr becomes the column pointers
  let q = 0;
  let lo = 0;
  for (let c = 0; c < nb; c++) {
    const hi = yptr[c + 1];
    ri[lo] = c;
    if (busOn[c]) {
      yre[lo] += Gs[c] / base;
      yim[lo] += Bs[c] / base;
    }
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
    yptr[c + 1] = q;
    lo = hi;
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
