/**
 * The DC network matrices of MATPOWER's makeBdc:
 *   b_l = status_l / (x_l * tap_l),  Bf = diag(b) * Cft,  Bbus = Cft' * Bf,
 *   Pfinj = -b .* shift (radians),   Pbusinj = Cft' * Pfinj.
 * Out-of-service branches (Status.branchOn = 0) contribute nothing.
 * Bus indices are rows of the bus table (0-based, file order).
 */
import { InputError } from '../errors';
import { Status } from './bustypes';
import { Network } from '../grid/network';
import type { Csc } from './sparse/csc';
import { scratchF64, scratchI32 } from './scratch-slab';

export interface Bdc {
  Bbus: Csc;
  Bf: Csc;
  /** per branch, p.u. */
  Pfinj: Float64Array;
  /** per bus, p.u. */
  Pbusinj: Float64Array;
  /** b_l of every branch (0 when out of service) */
  b: Float64Array;
}

export function makeBdc(net: Network, st: Status): Bdc {
  const { branch } = net;
  const nb = net.bus.n;
  const nl = branch.n;
  const b = new Float64Array(nl);
  const Pfinj = new Float64Array(nl);
  const Pbusinj = new Float64Array(nb);
  const { f, t, branchOn } = st;
  // each in-service branch's ends, counted per bus (a branch from a bus to itself once)
  const incPtr = scratchI32(nb + 1);
  for (let l = 0; l < nl; l++) {
    if (!branchOn[l]) continue;
    if (branch.x[l] === 0)
      throw new InputError(
        `branch row ${l + 1} (${branch.fbus[l]}-${branch.tbus[l]}) has x = 0; the DC model needs a non-zero reactance`,
        { key: `branch[${l + 1}].x` },
      );
    const tap = branch.ratio[l] !== 0 ? branch.ratio[l] : 1;
    const bl = 1 / (branch.x[l] * tap);
    b[l] = bl;
    const pf = (-bl * (branch.angle[l] * Math.PI)) / 180;
    Pfinj[l] = pf;
    Pbusinj[f[l]] += pf;
    Pbusinj[t[l]] -= pf;
    incPtr[f[l] + 1]++;
    if (t[l] !== f[l]) incPtr[t[l] + 1]++;
  }
  for (let i = 0; i < nb; i++) incPtr[i + 1] += incPtr[i];
  const ends = incPtr[nb];
  // the branches at each bus, ascending
  const inc = scratchI32(ends);
  const next = scratchI32(nb);
  next.set(incPtr.subarray(0, nb));
  for (let l = 0; l < nl; l++) {
    if (!branchOn[l]) continue;
    inc[next[f[l]]++] = l;
    if (t[l] !== f[l]) inc[next[t[l]]++] = l;
  }
  return { Bbus: bbusOf(nb, f, t, b, incPtr, inc), Bf: bfOf(nl, nb, f, t, b, incPtr, inc), Pfinj, Pbusinj, b };
}

/**
 * Bf = diag(b) Cft (nl x nb) in CSC: column j holds the branches at bus j in ascending rows, b_l
 * at the from end and -b_l at the to end (b_l - b_l for a branch from j to itself), the matrix
 * cscFromTriplets makes of MATPOWER's triplets.
 */
function bfOf(
  nl: number,
  nb: number,
  f: Int32Array,
  t: Int32Array,
  b: Float64Array,
  incPtr: Int32Array,
  inc: Int32Array,
): Csc {
  const nz = incPtr[nb];
  const rowIdx = new Int32Array(nz);
  const values = new Float64Array(nz);
  for (let j = 0; j < nb; j++) {
    for (let p = incPtr[j]; p < incPtr[j + 1]; p++) {
      const l = inc[p];
      rowIdx[p] = l;
      values[p] = f[l] === t[l] ? b[l] + -b[l] : f[l] === j ? b[l] : -b[l];
    }
  }
  return { m: nl, n: nb, colPtr: incPtr.slice(), rowIdx, values };
}

/**
 * Bbus = Cft' Bf (nb x nb) in CSC, rows ascending in each column, every entry summed over its
 * branches in ascending order as cscFromTriplets sums MATPOWER's triplets (f,f,b), (f,t,-b),
 * (t,f,-b), (t,t,b), so the matrix is the same bit for bit.
 */
function bbusOf(nb: number, f: Int32Array, t: Int32Array, b: Float64Array, incPtr: Int32Array, inc: Int32Array): Csc {
  // at most one diagonal and one off-diagonal entry per branch end
  const room = 2 * incPtr[nb];
  const rows = scratchI32(room);
  const vals = scratchF64(room);
  const colPtr = new Int32Array(nb + 1);
  const slot = scratchI32(nb).fill(-1);
  let nz = 0;
  const add = (i: number, v: number, start: number): void => {
    const s = slot[i];
    if (s >= start) vals[s] += v;
    else {
      slot[i] = nz;
      rows[nz] = i;
      vals[nz++] = v;
    }
  };
  for (let j = 0; j < nb; j++) {
    const start = nz;
    for (let p = incPtr[j]; p < incPtr[j + 1]; p++) {
      const l = inc[p];
      const bl = b[l];
      if (f[l] === t[l]) {
        add(j, bl, start);
        add(j, -bl, start);
        add(j, -bl, start);
        add(j, bl, start);
      } else if (f[l] === j) {
        add(j, bl, start);
        add(t[l], -bl, start);
      } else {
        add(f[l], -bl, start);
        add(j, bl, start);
      }
    }
    // rows ascending (a column holds a bus and its neighbours: a few entries)
    for (let p = start + 1; p < nz; p++) {
      const r = rows[p],
        v = vals[p];
      let q = p - 1;
      while (q >= start && rows[q] > r) {
        rows[q + 1] = rows[q];
        vals[q + 1] = vals[q];
        q--;
      }
      rows[q + 1] = r;
      vals[q + 1] = v;
    }
    colPtr[j + 1] = nz;
  }
  return { m: nb, n: nb, colPtr, rowIdx: rows.slice(0, nz), values: vals.slice(0, nz) };
}
