/**
 * Value encodings of gridbatch's flat Parquet writer (parquet-flat-writer.ts): one pass over a
 * column's values (plain or typed arrays, read as one column from consecutive pieces, so a
 * part's chunks are never joined first; null and NaN are missing) into the bytes of
 * Parquet's PLAIN encoding, the definition levels of the missing ones (RLE / bit-packed hybrid,
 * bit width 1) and, for strings that repeat, a dictionary with its RLE-encoded indexes.
 * Statistics (min, max, null count) come from the same pass when asked for. Little-endian
 * typed arrays give the PLAIN bytes of numbers without a per-value DataView call.
 */
import { endianness } from 'node:os';
import type { ColumnType } from './parquet';
import { DICTIONARY_PROBE, dictionaryOfRuns, runsOfPieces } from './parquet-value-runs';
import { plainStrings, stringBounds } from './parquet-strings';

if (endianness() !== 'LE') throw new Error('parquet-flat-encode: a little-endian machine is required');

type Value = string | number | boolean | null | undefined | bigint;
/** A column's values as consecutive pieces (the tables of a part's chunks), read as one column. */
export type Pieces = readonly ArrayLike<Value>[];

export interface EncodedValues {
  /** rows (missing ones included) */
  rows: number;
  nulls: number;
  /** RLE / bit-packed hybrid definition levels (bit width 1), or undefined when nothing is missing */
  levels?: Uint8Array;
  /** PLAIN values, or the RLE_DICTIONARY data page body when `dictionary` is set */
  body: Uint8Array;
  /** PLAIN bytes of the dictionary's values and their count */
  dictionary?: { bytes: Uint8Array; count: number };
  /** bounds of the present values (a string bound as the string) */
  min?: number | string | boolean | bigint;
  max?: number | string | boolean | bigint;
}

const isMissing = (v: Value): boolean => v === null || v === undefined || v !== v;

/** Growable byte buffer for the few variable-length outputs. */
class Bytes {
  buf: Buffer;
  at = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(Math.max(size, 64));
  }
  room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
  }
  byte(b: number): void {
    this.room(1);
    this.buf[this.at++] = b;
  }
  varint(v: number): void {
    while (v > 0x7f) {
      this.byte((v & 0x7f) | 0x80);
      v = Math.floor(v / 128);
    }
    this.byte(v);
  }
  done(): Uint8Array {
    return this.buf.subarray(0, this.at);
  }
}

/**
 * RLE / bit-packed hybrid encoding of `n` values of `width` bits (a dictionary data page's
 * indexes, definition levels): RLE runs when runs are long (a key column repeats a value for
 * every row of a job), else every value bit-packed in groups of eight.
 */
function hybrid(values: ArrayLike<number>, n: number, width: number, out: Bytes): void {
  let runs = 1;
  for (let i = 1; i < n; i++) if (values[i] !== values[i - 1]) runs++;
  if (runs * 8 <= n) {
    const bytes = (width + 7) >> 3;
    for (let i = 0; i < n;) {
      const v = values[i];
      let j = i + 1;
      while (j < n && values[j] === v) j++;
      out.varint((j - i) * 2);
      for (let b = 0; b < bytes; b++) out.byte((v >>> (8 * b)) & 0xff);
      i = j;
    }
    return;
  }
  const groups = Math.ceil(n / 8);
  out.varint(groups * 2 + 1);
  out.room(groups * width);
  const buf = out.buf;
  let acc = 0,
    bits = 0;
  for (let i = 0; i < groups * 8; i++) {
    acc += (i < n ? values[i] : 0) * 2 ** bits;
    bits += width;
    while (bits >= 8) {
      buf[out.at++] = acc & 0xff;
      acc = Math.floor(acc / 256);
      bits -= 8;
    }
  }
}

/** Definition levels (1 present, 0 missing) of `n` rows. */
function definitionLevels(present: Uint8Array, n: number): Uint8Array {
  const out = new Bytes(16);
  hybrid(present, n, 1, out);
  return out.done();
}

/** Present flags of the values, or undefined when none is missing (then `nulls` is 0). */
function presence(d: ArrayLike<Value>, n: number): { present?: Uint8Array; nulls: number } {
  let first = -1;
  for (let i = 0; i < n; i++)
    if (isMissing(d[i])) {
      first = i;
      break;
    }
  if (first < 0) return { nulls: 0 };
  const present = new Uint8Array(n).fill(1, 0, first);
  let nulls = 0;
  for (let i = first; i < n; i++)
    if (isMissing(d[i])) nulls++;
    else present[i] = 1;
  return { present, nulls };
}

/** Present flags of rows before `i` (all present), for a column whose first missing value is row `i`. */
function presentUpTo(i: number, n: number): Uint8Array {
  return new Uint8Array(n).fill(1, 0, i);
}

/** A data page body of `count` RLE_DICTIONARY indexes that are all 0 (one run). */
function oneRun(count: number): Uint8Array {
  const out = new Bytes(8);
  out.byte(1);
  out.varint(count * 2);
  out.byte(0);
  return out.done();
}

/**
 * DOUBLE and INT32 values in one pass: PLAIN bytes from a typed array, the missing rows'
 * definition levels, and a column of one repeated value (zero reactive flows of a DC power
 * flow, flat voltages, counts of 0) as a one-value dictionary with one RLE run instead.
 */
/** Whether every value of `a` is the first one (a zero of the other sign is another value). */
function isConstant(a: Float64Array | Int32Array): boolean {
  const first = a[0];
  for (let i = 1; i < a.length; i++) {
    const v = a[i];
    if (v !== first || (v === 0 && 1 / v !== 1 / first)) return false;
  }
  return true;
}

/** Whether `d` is a typed array of the column's own type without NaN (its values copy as bytes). */
function clean(type: ColumnType, d: ArrayLike<Value>): d is Float64Array | Int32Array {
  if (type === 'INT32') return d instanceof Int32Array;
  if (!(d instanceof Float64Array)) return false;
  for (let i = 0; i < d.length; i++) if (d[i] !== d[i]) return false;
  return true;
}

function numbers(name: string, type: ColumnType, pieces: Pieces, n: number, stats: boolean): EncodedValues {
  if (pieces.length === 1 && clean(type, pieces[0])) return numbersFrom(pieces[0].subarray(0, n), n, undefined, stats);
  const out = type === 'DOUBLE' ? new Float64Array(n) : new Int32Array(n);
  let present: Uint8Array | undefined;
  let k = 0;
  let row = 0;
  for (const d of pieces) {
    const len = d.length;
    if (clean(type, d)) {
      out.set(d, k);
      present?.fill(1, row, row + len);
      k += len;
      row += len;
      continue;
    }
    for (let i = 0; i < len; i++, row++) {
      const v = d[i];
      if (v === null || v === undefined || v !== v) {
        present ??= presentUpTo(row, n);
        continue;
      }
      if (typeof v !== 'number' || (type === 'INT32' && (v | 0) !== v))
        throw new Error(`parquet: column ${name} (${type}) holds ${String(v)} at row ${row}`);
      if (present) present[row] = 1;
      out[k++] = v;
    }
  }
  return numbersFrom(out.subarray(0, k), n, present, stats);
}

/** The encoded column of `out` (its present values) over `n` rows. */
function numbersFrom(
  out: Float64Array | Int32Array,
  n: number,
  present: Uint8Array | undefined,
  stats: boolean,
): EncodedValues {
  const k = out.length;
  const r: EncodedValues = { rows: n, nulls: n - k, body: new Uint8Array(out.buffer, out.byteOffset, out.byteLength) };
  if (present) r.levels = definitionLevels(present, n);
  if (k > 1 && isConstant(out)) {
    r.dictionary = {
      bytes: new Uint8Array(out.buffer.slice(out.byteOffset, out.byteOffset + out.BYTES_PER_ELEMENT)),
      count: 1,
    };
    r.body = oneRun(k);
  }
  if (stats && k > 0) {
    let lo = out[0],
      hi = out[0];
    for (let i = 1; i < k; i++) {
      const v = out[i];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    r.min = lo === 0 ? -0 : lo;
    r.max = hi === 0 ? 0 : hi;
  }
  return r;
}

function int64s(name: string, pieces: Pieces, n: number, stats: boolean): EncodedValues {
  const d = pieces.length === 1 ? pieces[0] : pieces.flatMap((p) => Array.from(p));
  const { present, nulls } = presence(d, n);
  const out = new BigInt64Array(n - nulls);
  let k = 0;
  for (let i = 0; i < n; i++) {
    if (present && !present[i]) continue;
    const v = d[i];
    if (typeof v !== 'bigint' && !(typeof v === 'number' && Number.isSafeInteger(v)))
      throw new Error(`parquet: column ${name} (INT64) holds ${String(v)} at row ${i}`);
    out[k++] = BigInt(v);
  }
  const r: EncodedValues = { rows: n, nulls, body: new Uint8Array(out.buffer, 0, out.byteLength) };
  if (present) r.levels = definitionLevels(present, n);
  if (stats && k > 0) {
    r.min = out.reduce((a, b) => (b < a ? b : a));
    r.max = out.reduce((a, b) => (b > a ? b : a));
  }
  return r;
}

function booleans(name: string, pieces: Pieces, n: number, stats: boolean): EncodedValues {
  const body = new Uint8Array(Math.ceil(n / 8));
  let present: Uint8Array | undefined;
  let k = 0,
    trues = 0,
    row = 0;
  for (const d of pieces)
    for (let i = 0; i < d.length; i++, row++) {
      const v = d[i];
      if (v === null || v === undefined || v !== v) {
        present ??= presentUpTo(row, n);
        continue;
      }
      if (typeof v !== 'boolean') throw new Error(`parquet: column ${name} (BOOLEAN) holds ${String(v)} at row ${row}`);
      if (present) present[row] = 1;
      if (v) {
        body[k >> 3] |= 1 << (k & 7);
        trues++;
      }
      k++;
    }
  const r: EncodedValues = { rows: n, nulls: n - k, body: body.subarray(0, Math.ceil(k / 8)) };
  if (present) r.levels = definitionLevels(present, n);
  if (stats && k > 0) {
    r.min = trues === k;
    r.max = trues > 0;
  }
  return r;
}

/**
 * The dictionary indexes of a string column, or undefined when its values are mostly distinct
 * (decided after DICTIONARY_PROBE values). A run of one value (a job's scenario id on each of
 * its rows) costs one comparison a row.
 */
function dictionaryOf(
  name: string,
  pieces: Pieces,
  n: number,
): { dict: string[]; index: Int32Array; count: number; present?: Uint8Array } | undefined {
  const index = new Int32Array(n);
  const seen = new Map<string, number>();
  const dict: string[] = [];
  let present: Uint8Array | undefined;
  let last: Value = undefined;
  let lastAt = 0;
  let k = 0;
  let row = 0;
  for (const d of pieces)
    for (let i = 0; i < d.length; i++, row++) {
      const v = d[i];
      if (v === last && v !== undefined) {
        if (present) present[row] = 1;
        index[k++] = lastAt;
        continue;
      }
      if (v === null || v === undefined || v !== v) {
        present ??= presentUpTo(row, n);
        continue;
      }
      if (typeof v !== 'string') throw new Error(`parquet: column ${name} (STRING) holds ${String(v)} at row ${row}`);
      if (present) present[row] = 1;
      let at = seen.get(v);
      if (at === undefined) {
        at = dict.length;
        dict.push(v);
        seen.set(v, at);
        if (k >= DICTIONARY_PROBE && 2 * dict.length > k) return undefined;
      }
      last = v;
      lastAt = at;
      index[k++] = at;
    }
  if (2 * dict.length > k && k > 1) return undefined;
  return { dict, index, count: k, present };
}

/** hybrid() of indexes given as runs of equal values (parquet-value-runs.ts): the same bytes. */
function hybridRuns(index: number[], lengths: number[], count: number, width: number, out: Bytes): void {
  if (index.length * 8 > count) {
    const values = new Int32Array(count);
    for (let r = 0, at = 0; r < index.length; at += lengths[r++]) values.fill(index[r], at, at + lengths[r]);
    return hybrid(values, count, width, out);
  }
  const bytes = (width + 7) >> 3;
  for (let r = 0; r < index.length; r++) {
    out.varint(lengths[r] * 2);
    for (let b = 0; b < bytes; b++) out.byte((index[r] >>> (8 * b)) & 0xff);
  }
}

function strings(name: string, pieces: Pieces, n: number, stats: boolean): EncodedValues {
  // a run-filled column (scenario ids, times of an element table): its dictionary from the runs
  const runs = runsOfPieces(pieces);
  const byRuns = runs && dictionaryOfRuns(name, runs, n);
  const d = byRuns
    ? {
        ...byRuns,
        indexes: (width: number, out: Bytes) => hybridRuns(byRuns.index, byRuns.lengths, byRuns.count, width, out),
      }
    : runs
      ? undefined
      : dictionaryOf(name, pieces, n);
  if (d) {
    const r: EncodedValues = { rows: n, nulls: n - d.count, body: new Uint8Array(0) };
    if (d.present) r.levels = definitionLevels(d.present, n);
    if (d.count > 0) {
      const width = Math.max(1, Math.ceil(Math.log2(d.dict.length)));
      const out = new Bytes(64);
      out.byte(width);
      if ('indexes' in d) d.indexes(width, out);
      else hybrid(d.index, d.count, width, out);
      r.body = out.done();
      r.dictionary = { bytes: plainStrings(d.dict, d.dict.length), count: d.dict.length };
    }
    if (stats) Object.assign(r, stringBounds(d.dict));
    return r;
  }
  const values: string[] = [];
  let present: Uint8Array | undefined;
  let row = 0;
  for (const p of pieces)
    for (let i = 0; i < p.length; i++, row++) {
      const v = p[i];
      if (v === null || v === undefined || v !== v) {
        present ??= presentUpTo(row, n);
        continue;
      }
      if (typeof v !== 'string') throw new Error(`parquet: column ${name} (STRING) holds ${String(v)} at row ${row}`);
      if (present) present[row] = 1;
      values.push(v);
    }
  const r: EncodedValues = { rows: n, nulls: n - values.length, body: plainStrings(values, values.length) };
  if (present) r.levels = definitionLevels(present, n);
  if (stats) Object.assign(r, stringBounds(values));
  return r;
}

/** The encoded values of one column chunk of `n` rows given as `pieces` (`stats`: with min and max). */
export function encodeValues(name: string, type: ColumnType, pieces: Pieces, n: number, stats: boolean): EncodedValues {
  let rows = 0;
  for (const p of pieces) rows += p.length;
  if (rows !== n) throw new Error(`parquet: column ${name} has ${rows} values, not ${n}`);
  switch (type) {
    case 'DOUBLE':
    case 'INT32':
      return numbers(name, type, pieces, n, stats);
    case 'INT64':
      return int64s(name, pieces, n, stats);
    case 'BOOLEAN':
      return booleans(name, pieces, n, stats);
    case 'STRING':
      return strings(name, pieces, n, stats);
  }
}
