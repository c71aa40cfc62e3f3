/**
 * The network model: MATPOWER's bus / gen / branch / gencost matrices held column-wise,
 * in the row order of the case file (external numbering). Solvers index buses internally
 * (0..nb-1 in file order) through `busIndex`.
 */

/** Bus types as in MATPOWER's idx_bus. */
export const PQ = 1;
export const PV = 2;
export const REF = 3;
export const NONE = 4;

export interface BusTable {
  n: number;
  busI: Float64Array;
  type: Float64Array;
  Pd: Float64Array;
  Qd: Float64Array;
  Gs: Float64Array;
  Bs: Float64Array;
  area: Float64Array;
  Vm: Float64Array;
  Va: Float64Array;
  baseKV: Float64Array;
  zone: Float64Array;
  Vmax: Float64Array;
  Vmin: Float64Array;
}

export interface GenTable {
  n: number;
  bus: Float64Array;
  Pg: Float64Array;
  Qg: Float64Array;
  Qmax: Float64Array;
  Qmin: Float64Array;
  Vg: Float64Array;
  mBase: Float64Array;
  status: Float64Array;
  Pmax: Float64Array;
  Pmin: Float64Array;
  /** Columns 11..21 of version 2 files (Pc1 .. apf); zeros when the file has only 10 columns. */
  extra: Float64Array[];
}

export interface BranchTable {
  n: number;
  fbus: Float64Array;
  tbus: Float64Array;
  r: Float64Array;
  x: Float64Array;
  b: Float64Array;
  rateA: Float64Array;
  rateB: Float64Array;
  rateC: Float64Array;
  ratio: Float64Array;
  angle: Float64Array;
  status: Float64Array;
  angmin: Float64Array;
  angmax: Float64Array;
}

/** One gencost row: model 1 = piecewise linear (x,y pairs), 2 = polynomial (highest order first). */
export interface GenCostRow {
  model: 1 | 2;
  startup: number;
  shutdown: number;
  /** For model 2: ncost coefficients c(n-1)..c0. For model 1: x1,y1,...,xn,yn. */
  coeffs: number[];
}

export interface Network {
  name: string;
  baseMVA: number;
  bus: BusTable;
  gen: GenTable;
  branch: BranchTable;
  /** Generator costs, one per gen row (and optionally a second block for reactive costs). */
  gencost: GenCostRow[];
  busName?: string[];
  genFuel?: string[];
  /** bus number -> row index (read-only: clones share it). */
  busIndex: ReadonlyMap<number, number>;
}

export const BUS_COLS = [
  'busI',
  'type',
  'Pd',
  'Qd',
  'Gs',
  'Bs',
  'area',
  'Vm',
  'Va',
  'baseKV',
  'zone',
  'Vmax',
  'Vmin',
] as const;
export const GEN_COLS = ['bus', 'Pg', 'Qg', 'Qmax', 'Qmin', 'Vg', 'mBase', 'status', 'Pmax', 'Pmin'] as const;
export const GEN_EXTRA_COLS = 11;
export const BRANCH_COLS = [
  'fbus',
  'tbus',
  'r',
  'x',
  'b',
  'rateA',
  'rateB',
  'rateC',
  'ratio',
  'angle',
  'status',
  'angmin',
  'angmax',
] as const;

/** Number of values in a table's Float64Array columns (and arrays of them, gen.extra). */
function valuesIn(t: object): number {
  const src = t as Record<string, unknown>;
  let total = 0;
  for (const k in src) {
    const v = src[k];
    if (v instanceof Float64Array) total += v.length;
    else if (Array.isArray(v)) for (const a of v) if (a instanceof Float64Array) total += a.length;
  }
  return total;
}

/** Hands out consecutive views of one buffer, each filled with a copy of a column. */
class ColumnCopier {
  private off = 0;
  constructor(private readonly buf: Float64Array) {}

  copy(a: Float64Array): Float64Array {
    const view = this.buf.subarray(this.off, this.off + a.length);
    view.set(a);
    this.off += a.length;
    return view;
  }
}

function cloneCols<T extends { n: number }>(t: T, to: ColumnCopier): T {
  const src = t as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const k in src) {
    const v = src[k];
    if (v instanceof Float64Array) out[k] = to.copy(v);
    else if (Array.isArray(v)) out[k] = v.map((a: unknown) => (a instanceof Float64Array ? to.copy(a) : a));
    else out[k] = v;
  }
  return out as T;
}

/**
 * Deep copy, so that a scenario can change a network without touching the base. The bus,
 * generator and branch columns are views of one new buffer (a clone per job is on a batch's
 * hot path: one allocation instead of ~50); each column is its own view, writing one never
 * touches another. The bus number index, which nothing changes, is shared.
 */
export function cloneNetwork(net: Network): Network {
  const to = new ColumnCopier(new Float64Array(valuesIn(net.bus) + valuesIn(net.gen) + valuesIn(net.branch)));
  return {
    name: net.name,
    baseMVA: net.baseMVA,
    bus: cloneCols(net.bus, to),
    gen: cloneCols(net.gen, to),
    branch: cloneCols(net.branch, to),
    gencost: net.gencost.map((c) => ({
      model: c.model,
      startup: c.startup,
      shutdown: c.shutdown,
      coeffs: c.coeffs.slice(),
    })),
    busName: net.busName?.slice(),
    genFuel: net.genFuel?.slice(),
    busIndex: net.busIndex,
  };
}

/** Builds the bus number -> row map, rejecting duplicates. */
export function buildBusIndex(busI: Float64Array): Map<number, number> | { duplicate: number; rows: [number, number] } {
  const m = new Map<number, number>();
  for (let i = 0; i < busI.length; i++) {
    const prev = m.get(busI[i]);
    if (prev !== undefined) return { duplicate: busI[i], rows: [prev, i] };
    m.set(busI[i], i);
  }
  return m;
}
