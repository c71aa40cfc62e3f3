/**
 * MATPOWER case files (.m, format version 1 and 2) into a Network.
 * Checks what the solvers rely on and names the file and line of the first problem.
 */
import { basename } from 'node:path';
import { InputError } from '../errors';
import { MatValue, readAssignments } from './matlab-tokens';
import {
  BRANCH_COLS,
  BUS_COLS,
  BranchTable,
  BusTable,
  GEN_COLS,
  GEN_EXTRA_COLS,
  GenCostRow,
  GenTable,
  Network,
  REF,
  buildBusIndex,
} from './network';
import { readTextFile } from './text-file';

/** Largest case file accepted (the biggest public cases are ~30 MB). */
export const MAX_CASE_BYTES = 256 * 1024 * 1024;

export function readCaseFile(path: string): Network {
  return parseCase(readTextFile(path, 'case', MAX_CASE_BYTES), path);
}

export function parseCase(text: string, file = '<case>'): Network {
  if (text.trim() === '') throw new InputError('case file is empty', { file, line: 1 });
  const nul = text.indexOf('\u0000');
  if (nul >= 0)
    throw new InputError('case file contains NUL bytes (binary file?)', {
      file,
      line: text.slice(0, nul).split(/\r?\n/).length,
    });
  const a = readAssignments(text, file);
  const fn = /^\s*function\s+(?:\[[^\]]*\]|\w+)\s*=\s*(\w+)/m.exec(text);
  const name = fn ? fn[1] : basename(file).replace(/\.m$/, '');

  const baseMVA = scalar(a, 'baseMVA', file);
  if (!(baseMVA > 0) || !Number.isFinite(baseMVA))
    throw new InputError(`baseMVA must be a positive number, got ${baseMVA}`, { file, line: a.get('baseMVA')?.line });
  const version = a.get('version');
  if (version && version.kind === 'string' && version.value !== '1' && version.value !== '2') {
    throw new InputError(`unsupported MATPOWER case format version '${version.value}' (1 or 2)`, {
      file,
      line: version.line,
    });
  }

  const busM = matrix(a, 'bus', file, BUS_COLS.length);
  const genM = matrix(a, 'gen', file, GEN_COLS.length);
  const brM = matrix(a, 'branch', file, 11);
  if (busM.rows.length === 0) throw new InputError('bus matrix has no rows', { file, line: busM.line });

  const bus = columns(busM, BUS_COLS, file, 'bus') as unknown as BusTable;
  const gen = columns(genM, GEN_COLS, file, 'gen') as unknown as GenTable;
  gen.extra = Array.from({ length: GEN_EXTRA_COLS }, (_, k) =>
    Float64Array.from(genM.rows, (r) => r[GEN_COLS.length + k] ?? 0),
  );
  const branch = columns(brM, BRANCH_COLS, file, 'branch', { angmin: -360, angmax: 360 }) as unknown as BranchTable;

  const idx = buildBusIndex(bus.busI);
  if (!(idx instanceof Map)) {
    throw new InputError(
      `duplicate bus number ${idx.duplicate} (rows ${idx.rows[0] + 1} and ${idx.rows[1] + 1} of mpc.bus)`,
      { file, line: busM.rowLines[idx.rows[1]] },
    );
  }
  checkValues(busM, genM, brM, bus, gen, branch, idx, file);
  const gencost = readGencost(a, gen.n, file);
  const busName = cellOf(a, 'bus_name', bus.n, file);
  const genFuel = cellOf(a, 'genfuel', gen.n, file);
  return { name, baseMVA, bus, gen, branch, gencost, busName, genFuel, busIndex: idx };
}

function scalar(a: Map<string, MatValue>, key: string, file: string): number {
  const v = a.get(key);
  if (!v) throw new InputError(`missing ${key} (expected mpc.${key} = <number>;)`, { file, key: `mpc.${key}` });
  if (v.kind !== 'number') throw new InputError(`${key} must be a number`, { file, line: v.line });
  return v.value;
}

type Mat = Extract<MatValue, { kind: 'matrix' }>;

function matrix(a: Map<string, MatValue>, key: string, file: string, minCols: number): Mat {
  const v = a.get(key);
  if (!v) throw new InputError(`missing ${key} matrix (expected mpc.${key} = [ ... ];)`, { file, key: `mpc.${key}` });
  if (v.kind !== 'matrix') throw new InputError(`${key} must be a matrix [ ... ]`, { file, line: v.line });
  const width = v.rows[0]?.length ?? minCols;
  if (width < minCols) {
    throw new InputError(`${key} has ${width} columns, at least ${minCols} are required`, {
      file,
      line: v.rowLines[0],
    });
  }
  for (let r = 0; r < v.rows.length; r++) {
    if (v.rows[r].length !== width) {
      throw new InputError(`${key} row ${r + 1} has ${v.rows[r].length} columns, the first row has ${width}`, {
        file,
        line: v.rowLines[r],
      });
    }
  }
  return v;
}

function columns(
  m: Mat,
  names: readonly string[],
  file: string,
  what: string,
  defaults: Record<string, number> = {},
): Record<string, unknown> {
  const out: Record<string, unknown> = { n: m.rows.length };
  names.forEach((nm, c) => {
    const col = new Float64Array(m.rows.length);
    for (let r = 0; r < m.rows.length; r++) {
      const v = c < m.rows[r].length ? m.rows[r][c] : defaults[nm];
      if (v === undefined)
        throw new InputError(`${what} row ${r + 1} has no column ${c + 1} (${nm})`, { file, line: m.rowLines[r] });
      col[r] = v;
    }
    out[nm] = col;
  });
  return out;
}

/** Columns where MATPOWER allows +-Inf. */
const INF_OK = new Set([
  'gen.Qmax',
  'gen.Qmin',
  'gen.Pmax',
  'gen.Pmin',
  'bus.Vmax',
  'bus.Vmin',
  'branch.angmin',
  'branch.angmax',
  'branch.rateA',
  'branch.rateB',
  'branch.rateC',
]);

function checkFinite(m: Mat, names: readonly string[], what: string, file: string): void {
  for (let r = 0; r < m.rows.length; r++) {
    const row = m.rows[r];
    for (let c = 0; c < row.length; c++) {
      const v = row[c];
      const nm = names[c] ?? `column ${c + 1}`;
      if (Number.isNaN(v))
        throw new InputError(`${what} row ${r + 1}, ${nm}: NaN is not allowed`, { file, line: m.rowLines[r] });
      if (!Number.isFinite(v) && !INF_OK.has(`${what}.${nm}`)) {
        throw new InputError(`${what} row ${r + 1}, ${nm}: ${v} is not allowed (only limits may be infinite)`, {
          file,
          line: m.rowLines[r],
        });
      }
    }
  }
}

function checkValues(
  busM: Mat,
  genM: Mat,
  brM: Mat,
  bus: BusTable,
  gen: GenTable,
  br: BranchTable,
  idx: Map<number, number>,
  file: string,
): void {
  checkFinite(busM, BUS_COLS, 'bus', file);
  checkFinite(genM, GEN_COLS, 'gen', file);
  checkFinite(brM, BRANCH_COLS, 'branch', file);
  let nref = 0;
  for (let i = 0; i < bus.n; i++) {
    const t = bus.type[i];
    if (!(t === 1 || t === 2 || t === 3 || t === 4))
      throw new InputError(`bus row ${i + 1}: type ${t} is not 1 (PQ), 2 (PV), 3 (ref) or 4 (isolated)`, {
        file,
        line: busM.rowLines[i],
      });
    if (t === REF) nref++;
    if (!Number.isInteger(bus.busI[i]) || bus.busI[i] <= 0)
      throw new InputError(`bus row ${i + 1}: bus number ${bus.busI[i]} must be a positive integer`, {
        file,
        line: busM.rowLines[i],
      });
  }
  if (nref === 0) throw new InputError('no reference bus (no row of mpc.bus has type 3)', { file, line: busM.line });
  for (let g = 0; g < gen.n; g++) {
    if (!idx.has(gen.bus[g]))
      throw new InputError(`gen row ${g + 1}: bus ${gen.bus[g]} is not in mpc.bus`, { file, line: genM.rowLines[g] });
  }
  for (let l = 0; l < br.n; l++) {
    for (const [end, b] of [
      ['from', br.fbus[l]],
      ['to', br.tbus[l]],
    ] as const) {
      if (!idx.has(b))
        throw new InputError(`branch row ${l + 1}: ${end} bus ${b} is not in mpc.bus`, { file, line: brM.rowLines[l] });
    }
    if (br.status[l] !== 0 && br.r[l] === 0 && br.x[l] === 0) {
      throw new InputError(`branch row ${l + 1}: zero impedance (r = x = 0) is not supported`, {
        file,
        line: brM.rowLines[l],
      });
    }
  }
}

function readGencost(a: Map<string, MatValue>, ng: number, file: string): GenCostRow[] {
  const v = a.get('gencost');
  if (!v) return [];
  if (v.kind !== 'matrix') throw new InputError('gencost must be a matrix [ ... ]', { file, line: v.line });
  if (v.rows.length !== ng && v.rows.length !== 2 * ng) {
    throw new InputError(`gencost has ${v.rows.length} rows, expected ${ng} (one per generator) or ${2 * ng}`, {
      file,
      line: v.line,
    });
  }
  return v.rows.map((row, r) => {
    const line = v.rowLines[r];
    if (row.length < 4)
      throw new InputError(`gencost row ${r + 1} has ${row.length} columns, at least 4 are required`, { file, line });
    if (row.some((x) => !Number.isFinite(x)))
      throw new InputError(`gencost row ${r + 1}: NaN or Inf is not allowed`, { file, line });
    const model = row[0];
    const n = row[3];
    if (model !== 1 && model !== 2)
      throw new InputError(`gencost row ${r + 1}: model ${model} is not 1 (piecewise linear) or 2 (polynomial)`, {
        file,
        line,
      });
    const need = model === 1 ? 2 * n : n;
    if (!Number.isInteger(n) || n < 0 || 4 + need > row.length) {
      throw new InputError(`gencost row ${r + 1}: ncost ${n} needs ${need} values, the row has ${row.length - 4}`, {
        file,
        line,
      });
    }
    return { model, startup: row[1], shutdown: row[2], coeffs: row.slice(4, 4 + need) } as GenCostRow;
  });
}

function cellOf(a: Map<string, MatValue>, key: string, n: number, file: string): string[] | undefined {
  const v = a.get(key);
  if (!v) return undefined;
  if (v.kind !== 'cell') throw new InputError(`${key} must be a cell array { 'a'; 'b'; ... }`, { file, line: v.line });
  if (v.items.length !== n)
    throw new InputError(`${key} has ${v.items.length} entries, expected ${n}`, { file, line: v.line });
  return v.items;
}
