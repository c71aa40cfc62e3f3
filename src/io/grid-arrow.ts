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

export function writeGridArrow(net: Network, dir: string): string[] {
  const files: string[] = [];
  const put = (name: string, t: Table) => {
    const p = join(dir, `${name}.arrow`);
    writeFileAtomic(p, tableToIPC(t, 'file'));
    files.push(p);
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
