/**
 * In-service elements and bus types, as MATPOWER's ext2int and bustypes define them:
 * - a bus is in service unless its type is NONE (4);
 * - a generator is on when its status > 0 and its bus is in service;
 * - a branch is on when its status is non-zero and both end buses are in service;
 * - REF and PV buses need an in-service generator, else they act as PQ;
 *   if no REF bus is left, the first PV bus becomes the reference.
 * Indices are bus rows (0-based, file order), never bus numbers.
 */
import { NONE, Network, PQ, PV, REF } from '../grid/network';
import { sameNumbers } from './same-numbers';
import { ArrayAlloc, ownArrays, scratchI32, scratchU8, slabArrays } from './scratch-slab';

export interface Status {
  busOn: Uint8Array;
  genOn: Uint8Array;
  branchOn: Uint8Array;
  /** Row index of each branch end bus. */
  f: Int32Array;
  t: Int32Array;
  /** Row index of each generator's bus. */
  genBus: Int32Array;
}

export interface BusTypes {
  ref: number[];
  pv: number[];
  pq: number[];
  /** Bus types after the rules above (NONE for buses out of service). */
  typeAfter: Int8Array;
}

/**
 * Bus rows of the generators' and branch ends' bus numbers, kept per bus index (clones of a
 * network share it, so every job of a batch hits): the columns they were looked up from are
 * compared (memcmp) instead of looking up two bus numbers per branch in the Map again.
 */
interface EndRows {
  genBusCol: Float64Array;
  fbusCol: Float64Array;
  tbusCol: Float64Array;
  genBus: Int32Array;
  f: Int32Array;
  t: Int32Array;
}
const endRowsByIndex = new WeakMap<ReadonlyMap<number, number>, EndRows>();

function rowsOf(rowOf: (busNumber: number) => number, col: Float64Array, alloc: ArrayAlloc = ownArrays): Int32Array {
  const out = alloc.i32(col.length);
  for (let k = 0; k < col.length; k++) out[k] = rowOf(col[k]);
  return out;
}

function endRows(net: Network): EndRows {
  const { gen, branch, busIndex } = net;
  const hit = endRowsByIndex.get(busIndex);
  if (
    hit &&
    sameNumbers(hit.genBusCol, gen.bus) &&
    sameNumbers(hit.fbusCol, branch.fbus) &&
    sameNumbers(hit.tbusCol, branch.tbus)
  )
    return hit;
  const rowOf = busRowLookup(net);
  const e: EndRows = {
    genBusCol: gen.bus.slice(),
    fbusCol: branch.fbus.slice(),
    tbusCol: branch.tbus.slice(),
    genBus: rowsOf(rowOf, gen.bus),
    f: rowsOf(rowOf, branch.fbus),
    t: rowsOf(rowOf, branch.tbus),
  };
  endRowsByIndex.set(busIndex, e);
  return e;
}

/**
 * `reuseRows: false` (a one-shot solve) looks the end rows up afresh instead of through the
 * per-bus-index cache, so nothing is carried over from an earlier solve of the same case.
 * `alloc` gives the arrays (slab views for a one-shot solve, scratch-slab.ts).
 */
export function elementStatus(net: Network, reuseRows = true, alloc: ArrayAlloc = ownArrays): Status {
  const { bus, gen, branch } = net;
  const busOn = alloc.u8(bus.n);
  for (let i = 0; i < bus.n; i++) busOn[i] = bus.type[i] !== NONE ? 1 : 0;
  let genBus: Int32Array, f: Int32Array, t: Int32Array;
  if (reuseRows) {
    const rows = endRows(net);
    genBus = alloc.i32(gen.n);
    genBus.set(rows.genBus);
    f = alloc.i32(branch.n);
    f.set(rows.f);
    t = alloc.i32(branch.n);
    t.set(rows.t);
  } else {
    [genBus, f, t] = rowsByTable(net, [gen.bus, branch.fbus, branch.tbus], alloc);
  }
  const genOn = alloc.u8(gen.n);
  for (let g = 0; g < gen.n; g++) genOn[g] = gen.status[g] > 0 && busOn[genBus[g]] ? 1 : 0;
  const branchOn = alloc.u8(branch.n);
  for (let l = 0; l < branch.n; l++) branchOn[l] = branch.status[l] !== 0 && busOn[f[l]] && busOn[t[l]] ? 1 : 0;
  return { busOn, genOn, branchOn, f, t, genBus };
}

/**
 * Bus number -> bus row as a table indexed by bus number when the numbers are distinct small
 * non-negative integers (MATPOWER's usual numbering; -1 where no bus has the number), else null.
 * `alloc` gives the table (a slab view where it is scratch).
 */
function busNumberTable(net: Network, alloc: ArrayAlloc = ownArrays): Int32Array | null {
  const { busI, n } = net.bus;
  let max = -1;
  for (let i = 0; i < n; i++) {
    const b = busI[i];
    if (!(b >= 0 && b === Math.floor(b))) return null;
    if (b > max) max = b;
  }
  if (max > 16 * n + 4096) return null;
  const table = alloc.i32(max + 1).fill(-1);
  for (let i = 0; i < n; i++) {
    if (table[busI[i]] >= 0) return null; // a repeated number: net.busIndex decides
    table[busI[i]] = i;
  }
  return table;
}

/** The row of bus number b by `table` when it has it, else by net.busIndex. */
function rowByTable(net: Network, table: Int32Array, b: number): number {
  const i = b | 0; // b itself when b is an integer in int32 range
  const r = i === b && i >= 0 && i < table.length ? table[i] : -1;
  return r >= 0 ? r : (net.busIndex.get(b) as number);
}

/** Bus number -> bus row (net.busIndex maps bus I to its row in file order), by table when it can. */
function busRowLookup(net: Network): (busNumber: number) => number {
  const table = busNumberTable(net);
  if (!table) return (b) => net.busIndex.get(b) as number;
  return (b) => rowByTable(net, table, b);
}

/**
 * Bus rows of the bus numbers in `cols` (arrays from `alloc`), one table for all (scratch), read
 * inline (no closure per number).
 */
function rowsByTable(net: Network, cols: Float64Array[], alloc: ArrayAlloc): Int32Array[] {
  const table = busNumberTable(net, slabArrays);
  const out: Int32Array[] = [];
  for (const col of cols) {
    if (!table) {
      out.push(rowsOf((b) => net.busIndex.get(b) as number, col, alloc));
      continue;
    }
    const rows = alloc.i32(col.length);
    for (let k = 0, n = col.length; k < n; k++) rows[k] = rowByTable(net, table, col[k]);
    out.push(rows);
  }
  return out;
}

/** `alloc` gives typeAfter (a slab view for a one-shot solve, scratch-slab.ts). */
export function bustypes(net: Network, st: Status, alloc: ArrayAlloc = ownArrays): BusTypes {
  const nb = net.bus.n;
  const { genOn, genBus, busOn } = st;
  const genCount = scratchI32(nb);
  for (let g = 0, ng = net.gen.n; g < ng; g++) if (genOn[g]) genCount[genBus[g]]++;
  const ref: number[] = [];
  const pv: number[] = [];
  const pq: number[] = [];
  const u8 = alloc.u8(nb);
  const typeAfter = new Int8Array(u8.buffer, u8.byteOffset, nb);
  // the types read once (an imported constant may be a module getter per read)
  const none = NONE,
    pqType = PQ,
    pvType = PV,
    refType = REF;
  const type = net.bus.type;
  for (let i = 0; i < nb; i++) {
    if (!busOn[i]) {
      typeAfter[i] = none;
      continue;
    }
    const t = type[i];
    if (t === refType && genCount[i] > 0) {
      ref.push(i);
      typeAfter[i] = refType;
    } else if (t === pvType && genCount[i] > 0) {
      pv.push(i);
      typeAfter[i] = pvType;
    } else {
      pq.push(i);
      typeAfter[i] = pqType;
    }
  }
  if (ref.length === 0 && pv.length > 0) {
    const r = pv.shift() as number;
    ref.push(r);
    typeAfter[r] = refType;
  }
  return { ref, pv, pq, typeAfter };
}

/**
 * Buses that no in-service branch path connects to a reference bus (islands without a slack).
 * Returns bus rows, in file order.
 */
export function busesWithoutReference(net: Network, st: Status, ref: number[]): number[] {
  const root = busComponents(net, st, slabArrays);
  const nb = net.bus.n;
  const withRef = scratchU8(nb);
  for (const r of ref) withRef[root[r]] = 1;
  const out: number[] = [];
  for (let i = 0; i < nb; i++) if (st.busOn[i] && !withRef[root[i]]) out.push(i);
  return out;
}

/**
 * Connected components of the in-service buses (union-find over in-service branches): each bus's
 * root, in an array from `alloc`.
 */
export function busComponents(net: Network, st: Status, alloc: ArrayAlloc = ownArrays): Int32Array {
  const nb = net.bus.n;
  // union by size with path halving: shallow trees (linking one root under the other as they
  // come made chains; the finds took ~0.4 ms on case9241pegase)
  const parent = scratchI32(nb);
  const size = scratchI32(nb);
  for (let i = 0; i < nb; i++) {
    parent[i] = i;
    size[i] = 1;
  }
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const { branchOn, f, t } = st;
  for (let l = 0, nl = net.branch.n; l < nl; l++) {
    if (!branchOn[l]) continue;
    const a = find(f[l]),
      b = find(t[l]);
    if (a === b) continue;
    if (size[a] < size[b]) {
      parent[a] = b;
      size[b] += size[a];
    } else {
      parent[b] = a;
      size[a] += size[b];
    }
  }
  const root = alloc.i32(nb);
  for (let i = 0; i < nb; i++) root[i] = find(i);
  return root;
}
