/**
 * The Parquet writers bench/parquet-write.ts times side by side. Each writes a table's columns
 * to `path` and returns the file's size:
 *   - hyparquet-writer as gridbatch used it before this benchmark (every column copied to a
 *     plain array, NaN mapped to null, default settings: snappy, statistics and dictionary
 *     trials on every column, 1 MB pages), row groups of 65,536 rows;
 *   - hyparquet-writer with other settings (codec, statistics, encodings, page size);
 *   - hyparquet-writer as gridbatch used it until the flat writer (statistics on the key columns,
 *     PLAIN doubles, snappy only where a DOUBLE column's sample shrinks, one page per chunk, no
 *     copy; every column OPTIONAL) - the "before" of bench/parquet-write-cold.ts;
 *   - gridbatch's writer as it is now (src/io/parquet-stream.ts, parquet-flat-writer.ts);
 *   - parquet-wasm (Rust's parquet crate in WebAssembly) from an apache-arrow table, when it is
 *     installed: benchmark-only, looked up at run time (`npm i --no-save parquet-wasm` or a
 *     folder named by PARQUET_WASM_DIR).
 */
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import {
  Bool,
  Float64,
  Int32,
  Table,
  tableToIPC,
  Utf8,
  vectorFromArray,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { ByteWriter, ParquetWriter, schemaFromColumnData, type ColumnSource } from 'hyparquet-writer';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import type { Column } from '../src/io/parquet';
import { KEY_COLUMNS } from '../src/io/parquet-column-options';
import { writeParquetOptional } from '../src/io/parquet-stream';

export type Writer = (path: string, columns: Column[]) => number;

export interface HyparquetSettings {
  codec: 'SNAPPY' | 'UNCOMPRESSED';
  /** which columns get chunk statistics: all, key columns (STRING and INT32), none */
  statistics: 'all' | 'keys' | 'none';
  /** 'trial': the writer's dictionary trial on every column; 'by-type': PLAIN doubles, trial elsewhere; 'plain-numbers': PLAIN doubles and integers */
  encoding: 'trial' | 'by-type' | 'plain-numbers';
  /** data page size in bytes (0: one page per column chunk) */
  pageSize: number;
  /** copy every column to a plain array with NaN mapped to null (as gridbatch did) or hand over typed arrays */
  copy: boolean;
}

export const BEFORE: HyparquetSettings = {
  codec: 'SNAPPY',
  statistics: 'all',
  encoding: 'trial',
  pageSize: 1 << 20,
  copy: true,
};

const GROUP_ROWS = 65_536;

function values(c: Column, copy: boolean): Column['data'] {
  if (copy) {
    const data = ArrayBuffer.isView(c.data) ? Array.from(c.data as ArrayLike<number>) : c.data;
    return c.type === 'DOUBLE'
      ? (data as (number | null)[]).map((v) => (v === null || Number.isNaN(v) ? null : v))
      : data;
  }
  if (c.type !== 'DOUBLE') return c.data;
  const d = c.data as ArrayLike<number | null>;
  for (let i = 0; i < d.length; i++)
    if (d[i] !== d[i]) return Array.from(d, (v) => (v === null || Number.isNaN(v) ? null : v));
  return c.data;
}

/** hyparquet-writer's ParquetWriter with `s`, every column OPTIONAL, row groups of 65,536 rows. */
export function hyparquetWriter(s: HyparquetSettings): Writer {
  return (path, columns) => {
    const bytes = new ByteWriter();
    const writer = new ParquetWriter({
      writer: bytes,
      schema: schemaFromColumnData({
        columnData: columns.map((c) => ({ name: c.name, type: c.type, data: [], nullable: true })),
      }),
      codec: s.codec,
      createdBy: 'gridbatch',
    });
    const n = columns[0]?.data.length ?? 0;
    for (let at = 0; at < n; at += GROUP_ROWS) {
      const columnData = columns.map((c) => {
        const key = c.type === 'STRING' || c.type === 'INT32';
        return {
          name: c.name,
          data: values({ ...c, data: c.data.slice(at, at + GROUP_ROWS) as Column['data'] }, s.copy) as never,
          statistics: s.statistics === 'all' || (s.statistics === 'keys' && key),
          ...((s.encoding !== 'trial' && c.type === 'DOUBLE') || (s.encoding === 'plain-numbers' && c.type === 'INT32')
            ? { encoding: 'PLAIN' as const }
            : {}),
        };
      });
      void writer.write({ columnData, rowGroupSize: Math.min(GROUP_ROWS, n - at), pageSize: s.pageSize });
    }
    void writer.finish();
    writeFileSync(path, new Uint8Array(bytes.buffer, 0, bytes.offset));
    return bytes.offset;
  };
}

/** SNAPPY when snappy takes the first 8,192 non-null values to 80 % or less (gridbatch's rule until the flat writer). */
function doubleCodec(values: ArrayLike<number | null>): 'SNAPPY' | 'UNCOMPRESSED' {
  const sample = new Float64Array(Math.min(values.length, 8192));
  let k = 0;
  for (let i = 0; i < values.length && k < sample.length; i++) {
    const v = values[i];
    if (v !== null) sample[k++] = v;
  }
  if (k === 0) return 'SNAPPY';
  const bytes = new Uint8Array(sample.buffer, 0, k * 8);
  return snappyCompress(bytes).length <= 0.8 * bytes.length ? 'SNAPPY' : 'UNCOMPRESSED';
}

/** A column as gridbatch handed it to hyparquet-writer until the flat writer (src/io/parquet-column-options.ts then). */
function columnSourceBefore(c: Column): ColumnSource {
  let d = c.data;
  const native = (d instanceof Float64Array && c.type === 'DOUBLE') || (d instanceof Int32Array && c.type === 'INT32');
  if (ArrayBuffer.isView(d) && !native) d = Array.from(d);
  const data = values({ ...c, data: d }, false);
  return {
    name: c.name,
    data: data as ColumnSource['data'],
    statistics: KEY_COLUMNS.has(c.name),
    ...(c.type === 'DOUBLE'
      ? { encoding: 'PLAIN' as const, codec: doubleCodec(data as ArrayLike<number | null>) }
      : {}),
  };
}

/** hyparquet-writer as gridbatch's ParquetStream used it until the flat writer (every column OPTIONAL). */
export const hyparquetBeforeFlat: Writer = (path, columns) => {
  const bytes = new ByteWriter(1 << 16);
  const writer = new ParquetWriter({
    writer: bytes,
    schema: schemaFromColumnData({
      columnData: columns.map((c) => ({ name: c.name, type: c.type, data: [], nullable: true })),
    }),
    createdBy: 'gridbatch',
  });
  const n = columns[0]?.data.length ?? 0;
  for (let at = 0; at < n; at += GROUP_ROWS) {
    const one = at === 0 && n <= GROUP_ROWS; // a part's table: its arrays as they are, as ParquetStream took them
    const columnData = columns.map((c) =>
      columnSourceBefore(one ? c : { ...c, data: c.data.slice(at, at + GROUP_ROWS) as Column['data'] }),
    );
    void writer.write({ columnData, rowGroupSize: Math.min(GROUP_ROWS, n - at), pageSize: 0 });
  }
  void writer.finish();
  writeFileSync(path, new Uint8Array(bytes.buffer, 0, bytes.offset));
  return bytes.offset;
};

/** gridbatch's writer as it is in src/io (what a part writes through). */
export const gridbatchWriter: Writer = (path, columns) => {
  writeParquetOptional(path, columns);
  return 0;
};

interface ParquetWasm {
  Table: { fromIPCStream(b: Uint8Array): unknown };
  WriterPropertiesBuilder: new () => WasmProps;
  Compression: { SNAPPY: number; UNCOMPRESSED: number };
  EnabledStatistics: { None: number; Chunk: number };
  writeParquet(t: unknown, p: unknown): Uint8Array;
}
interface WasmProps {
  setCompression(c: number): WasmProps;
  setStatisticsEnabled(s: number): WasmProps;
  setColumnStatisticsEnabled(c: string, s: number): WasmProps;
  setMaxRowGroupSize(n: number): WasmProps;
  build(): unknown;
}

/** parquet-wasm when it can be loaded (from the project or PARQUET_WASM_DIR), else undefined. */
export function loadParquetWasm(): ParquetWasm | undefined {
  const from = process.env.PARQUET_WASM_DIR ?? process.cwd();
  try {
    return createRequire(join(from, 'package.json'))('parquet-wasm') as ParquetWasm;
  } catch {
    return undefined;
  }
}

function arrowVector(c: Column): Vector {
  const type: DataType =
    c.type === 'DOUBLE'
      ? new Float64()
      : c.type === 'INT32'
        ? new Int32()
        : c.type === 'BOOLEAN'
          ? new Bool()
          : new Utf8();
  const d = c.data;
  if (d instanceof Float64Array || d instanceof Int32Array) {
    let clean = true;
    for (let i = 0; i < d.length && clean; i++) clean = d[i] === d[i];
    if (clean) return vectorFromArray(d);
  }
  const cleaned = Array.from(d as ArrayLike<Column['data'][number]>, (v) =>
    typeof v === 'number' && Number.isNaN(v) ? null : v,
  );
  return vectorFromArray(cleaned, type);
}

/** parquet-wasm from an apache-arrow table (the whole table at once: it has no synchronous row-group writer). */
export function parquetWasmWriter(pw: ParquetWasm, codec: 'SNAPPY' | 'UNCOMPRESSED', keyStats: boolean): Writer {
  return (path, columns) => {
    const vectors: Record<string, Vector> = {};
    for (const c of columns) vectors[c.name] = arrowVector(c);
    const table = new Table(vectors);
    let props = new pw.WriterPropertiesBuilder().setCompression(pw.Compression[codec]).setMaxRowGroupSize(GROUP_ROWS);
    if (keyStats) {
      props = props.setStatisticsEnabled(pw.EnabledStatistics.None);
      for (const c of columns)
        if (c.type === 'STRING' || c.type === 'INT32')
          props = props.setColumnStatisticsEnabled(c.name, pw.EnabledStatistics.Chunk);
    }
    const bytes = pw.writeParquet(pw.Table.fromIPCStream(tableToIPC(table, 'stream')), props.build());
    writeFileSync(path, bytes);
    return bytes.length;
  };
}
