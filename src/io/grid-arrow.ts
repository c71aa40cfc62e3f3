/**
 * The base grid as Arrow IPC files (one per MATPOWER matrix), written once by materialize and
 * read by every solve thread: typed columns load without parsing, and any Arrow reader
 * (pyarrow, DuckDB, polars) can open them.
 *
 *   <dir>/bus.arrow      bus_i type pd qd gs bs area vm va base_kv zone vmax vmin [name]
 *   <dir>/gen.arrow      bus pg qg qmax qmin vg mbase status pmax pmin pc1..apf [fuel]
 *   <dir>/branch.arrow   fbus tbus r x b rate_a rate_b rate_c ratio angle status angmin angmax
 *   <dir>/gencost.arrow  model startup shutdown ncost coeffs (list<double>)
 *   metadata on bus.arrow: name, baseMVA, format
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Field,
  Float64,
  List,
  makeVector,
  Table,
  tableFromIPC,
  tableToIPC,
  Vector,
  vectorFromArray,
} from 'apache-arrow';
import { BRANCH_COLS, BUS_COLS, buildBusIndex, GEN_COLS, GEN_EXTRA_COLS, GenCostRow, Network } from '../grid/network';
import { writeFileAtomic } from './atomic';

const GEN_EXTRA_NAMES = [
  'pc1',
  'pc2',
  'qc1min',
  'qc1max',
  'qc2min',
  'qc2max',
  'ramp_agc',
  'ramp_10',
  'ramp_30',
  'ramp_q',
  'apf',
];
const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`).replace(/^_/, '');
const BUS_NAMES = BUS_COLS.map((c) => (c === 'busI' ? 'bus_i' : c === 'baseKV' ? 'base_kv' : snake(c)));
const BRANCH_NAMES = BRANCH_COLS.map((c) => snake(c));
const GEN_NAMES = GEN_COLS.map((c) => (c === 'mBase' ? 'mbase' : snake(c)));

function withMeta(t: Table, meta: Record<string, string>): Table {
  for (const [k, v] of Object.entries(meta)) t.schema.metadata.set(k, v);
  return t;
}

/** The grid's Arrow IPC files (bus, gen, branch, gencost) as bytes, by name. */
export type GridArrowBytes = [name: string, bytes: Uint8Array][];

/**
 * The last grid's Arrow bytes and the digest of what they are made of: a thread that
 * materializes two studies of one grid (the CLI's warm-up, then the user's study) builds the
 * Arrow tables once (apache-arrow, ~10 ms for case118; the digest ~0.1 ms).
 */
let last: { key: string; bytes: GridArrowBytes } | undefined;

/** SHA-256 of everything gridArrowBytes writes of `net` (columns, names, fuels, costs, name, baseMVA). */
function contentKey(net: Network): string {
  const h = createHash('sha256');
  const col = (a: Float64Array) => h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  // the shapes first, so equal bytes cannot come from differently cut columns
  col(Float64Array.from([net.bus[BUS_COLS[0]].length, net.gen[GEN_COLS[0]].length, net.gen.extra.length]));
  col(Float64Array.from([...net.gen.extra.map((a) => a.length), net.branch[BRANCH_COLS[0]].length]));
  for (const c of BUS_COLS) col(net.bus[c]);
  for (const c of GEN_COLS) col(net.gen[c]);
  for (const a of net.gen.extra) col(a);
  for (const c of BRANCH_COLS) col(net.branch[c]);
  // numbers by their bits (JSON would write -0 as 0), strings as JSON
  const gc = net.gencost;
  col(Float64Array.from([net.baseMVA, gc.length]));
  for (const r of gc) col(Float64Array.from([r.model, r.startup, r.shutdown, r.coeffs.length, ...r.coeffs]));
  h.update(JSON.stringify([net.name, net.busName ?? null, net.genFuel ?? null]));
  return h.digest('hex');
}

export function writeGridArrow(net: Network, dir: string): string[] {
  const key = contentKey(net);
  if (last?.key !== key) last = { key, bytes: gridArrowBytes(net) };
  return last.bytes.map(([name, b]) => {
    const p = join(dir, `${name}.arrow`);
    writeFileAtomic(p, b);
    return p;
  });
}

/** The bytes writeGridArrow writes for `net`. */
export function gridArrowBytes(net: Network): GridArrowBytes {
  const files: GridArrowBytes = [];
  const put = (name: string, t: Table) => {
    files.push([name, tableToIPC(t, 'file')]);
  };
  const bus: Record<string, Vector> = {};
  BUS_COLS.forEach((c, k) => {
    bus[BUS_NAMES[k]] = makeVector(net.bus[c]);
  });
  if (net.busName) bus.name = vectorFromArray(net.busName);
  put('bus', withMeta(new Table(bus), { name: net.name, baseMVA: String(net.baseMVA), format: 'gridbatch.grid/1' }));
  const gen: Record<string, Vector> = {};
  GEN_COLS.forEach((c, k) => {
    gen[GEN_NAMES[k]] = makeVector(net.gen[c]);
  });
  GEN_EXTRA_NAMES.forEach((c, k) => {
    gen[c] = makeVector(net.gen.extra[k]);
  });
  if (net.genFuel) gen.fuel = vectorFromArray(net.genFuel);
  put('gen', new Table(gen));
  const br: Record<string, Vector> = {};
  BRANCH_COLS.forEach((c, k) => {
    br[BRANCH_NAMES[k]] = makeVector(net.branch[c]);
  });
  put('branch', new Table(br));
  const gc = net.gencost;
  const coeffs = vectorFromArray(
    gc.map((r) => r.coeffs),
    new List(new Field('item', new Float64(), false)),
  );
  put(
    'gencost',
    new Table({
      model: makeVector(Float64Array.from(gc, (r) => r.model)),
      startup: makeVector(Float64Array.from(gc, (r) => r.startup)),
      shutdown: makeVector(Float64Array.from(gc, (r) => r.shutdown)),
      coeffs,
    }),
  );
  return files;
}

function f64(t: Table, name: string): Float64Array {
  const v = t.getChild(name);
  if (!v) throw new Error(`grid Arrow file lacks column ${name}`);
  return Float64Array.from(v.toArray() as ArrayLike<number>);
}

export function readGridArrow(dir: string): Network {
  const load = (name: string) => tableFromIPC(readFileSync(join(dir, `${name}.arrow`)));
  const busT = load('bus');
  const genT = load('gen');
  const brT = load('branch');
  const gcT = load('gencost');
  const meta = busT.schema.metadata;
  const bus = { n: busT.numRows } as Record<string, unknown>;
  BUS_COLS.forEach((c, k) => {
    bus[c] = f64(busT, BUS_NAMES[k]);
  });
  const gen = { n: genT.numRows } as Record<string, unknown>;
  GEN_COLS.forEach((c, k) => {
    gen[c] = f64(genT, GEN_NAMES[k]);
  });
  gen.extra = Array.from({ length: GEN_EXTRA_COLS }, (_, k) => f64(genT, GEN_EXTRA_NAMES[k]));
  const branch = { n: brT.numRows } as Record<string, unknown>;
  BRANCH_COLS.forEach((c, k) => {
    branch[c] = f64(brT, BRANCH_NAMES[k]);
  });
  const gencost: GenCostRow[] = [];
  const coeffs = gcT.getChild('coeffs');
  for (let i = 0; i < gcT.numRows; i++) {
    gencost.push({
      model: gcT.getChild('model')?.get(i) as 1 | 2,
      startup: gcT.getChild('startup')?.get(i) as number,
      shutdown: gcT.getChild('shutdown')?.get(i) as number,
      coeffs: Array.from((coeffs?.get(i) as { toArray(): Float64Array }).toArray()),
    });
  }
  const busI = bus.busI as Float64Array;
  const idx = buildBusIndex(busI);
  if (!(idx instanceof Map)) throw new Error(`grid Arrow file has duplicate bus ${idx.duplicate}`);
  const strings = (t: Table, name: string) =>
    t.getChild(name) ? (t.getChild(name)!.toArray() as string[]).map(String) : undefined;
  return {
    name: meta.get('name') ?? 'grid',
    baseMVA: Number(meta.get('baseMVA')),
    bus: bus as unknown as Network['bus'],
    gen: gen as unknown as Network['gen'],
    branch: branch as unknown as Network['branch'],
    gencost,
    busName: strings(busT, 'name'),
    genFuel: strings(genT, 'fuel'),
    busIndex: idx,
  };
}
