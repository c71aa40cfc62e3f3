/**
 * gridbatch's Parquet writer for flat tables (DOUBLE, INT32, INT64, BOOLEAN and STRING columns,
 * REQUIRED or OPTIONAL): one data page (V2) per column chunk, values PLAIN except strings that
 * repeat (scenario ids, times, statuses, output paths), which get a dictionary page and
 * RLE_DICTIONARY indexes; snappy as README "Why these libraries" says (a DOUBLE column whose
 * first 8 KB snappy does not shrink by a fifth is stored uncompressed); statistics only where
 * asked (the key columns). The page headers and the footer are Thrift compact, serialized by
 * hyparquet-writer's own functions, and the compressor is hyparquet-writer's snappy: only the
 * value encodings (parquet-flat-encode.ts) are gridbatch's. It replaced hyparquet-writer's
 * general writer (nested schemas, page splitting, dictionary trials, per-value DataView calls),
 * which bench/parquet-write-cold.ts measured at several times the cost on a part's tables,
 * most of it in a fresh worker thread.
 */
import type { ColumnChunk, Encoding, RowGroup, SchemaElement, Statistics } from 'hyparquet';
import { ByteWriter, schemaFromColumnData } from 'hyparquet-writer';
import { writePageHeader } from 'hyparquet-writer/src/datapage.js';
import { writeMetadata } from 'hyparquet-writer/src/metadata.js';
import { snappyCompress } from 'hyparquet-writer/src/snappy.js';
import { encodeValues, EncodedValues, Pieces } from './parquet-flat-encode';
import type { Column, ColumnType } from './parquet';

export interface FlatColumn {
  name: string;
  type: ColumnType;
  /** OPTIONAL (missing values allowed) or REQUIRED */
  nullable: boolean;
  /** min / max / null count in the column chunk's metadata */
  statistics: boolean;
}

const MAGIC = new Uint8Array([0x50, 0x41, 0x52, 0x31]); // PAR1

/** Bytes of a DOUBLE column's start that decide its codec, and the share snappy must take them to. */
const CODEC_SAMPLE_BYTES = 8192;
const WORTH_COMPRESSING = 0.8;

/** The compressed body, or undefined when a DOUBLE column's sample does not shrink enough. */
function compressed(type: ColumnType, body: Uint8Array): Uint8Array | undefined {
  if (type !== 'DOUBLE' || body.length === 0) return snappyCompress(body);
  const sample = body.subarray(0, CODEC_SAMPLE_BYTES);
  const small = snappyCompress(sample);
  if (small.length > WORTH_COMPRESSING * sample.length) return undefined;
  return sample.length === body.length ? small : snappyCompress(body);
}

function headerBytes(h: Parameters<typeof writePageHeader>[1]): Uint8Array {
  const w = new ByteWriter(64);
  writePageHeader(w, h);
  return w.getBytes();
}

/** Definition levels of `n` present rows: one RLE run of 1s. */
function allPresent(n: number): Uint8Array {
  const out: number[] = [];
  let v = n * 2;
  while (v > 0x7f) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v, 1);
  return Uint8Array.from(out);
}

/**
 * A Parquet file written as a sequence of byte pieces handed to `sink` (row group by row group,
 * the footer last): the caller decides where the bytes go (a buffer, a file).
 */
export class FlatParquetWriter {
  readonly schema: SchemaElement[];
  private offset = 0;
  private readonly rowGroups: RowGroup[] = [];
  private rows = 0n;

  constructor(
    readonly columns: FlatColumn[],
    private readonly sink: (bytes: Uint8Array) => void,
    private readonly createdBy = 'gridbatch',
  ) {
    this.schema = schemaFromColumnData({
      columnData: columns.map((c) => ({ name: c.name, type: c.type, data: [], nullable: c.nullable })),
    });
    this.emit(MAGIC);
  }

  /** Writes one row group of `n` rows: `data[k]` holds column k's values, in one or more consecutive pieces. */
  writeRowGroup(data: Pieces[], n: number): void {
    if (n === 0) return;
    const start = this.offset;
    const chunks: ColumnChunk[] = [];
    let uncompressed = 0n;
    this.columns.forEach((c, k) => {
      const chunk = this.columnChunk(c, this.schema[k + 1], encodeValues(c.name, c.type, data[k], n, c.statistics));
      uncompressed += chunk.meta_data?.total_uncompressed_size ?? 0n;
      chunks.push(chunk);
    });
    this.rows += BigInt(n);
    this.rowGroups.push({
      columns: chunks,
      total_byte_size: uncompressed,
      num_rows: BigInt(n),
      total_compressed_size: BigInt(this.offset - start),
    });
  }

  /** Writes the footer (the file's metadata); the file is complete after it. */
  finish(): void {
    const w = new ByteWriter(4096);
    writeMetadata(w, {
      version: 2,
      created_by: this.createdBy,
      schema: this.schema,
      num_rows: this.rows,
      row_groups: this.rowGroups,
    });
    w.appendBytes(MAGIC);
    this.emit(w.getBytes());
  }

  private emit(bytes: Uint8Array): void {
    this.offset += bytes.length;
    this.sink(bytes);
  }

  private columnChunk(c: FlatColumn, element: SchemaElement, enc: EncodedValues): ColumnChunk {
    if (!c.nullable && enc.nulls > 0)
      throw new Error(`parquet: column ${c.name} is REQUIRED but holds ${enc.nulls} missing values`);
    const start = this.offset;
    let uncompressed = 0;
    const encodings: Encoding[] = ['PLAIN'];
    const body = compressed(c.type, enc.body);
    let dictionaryOffset: bigint | undefined;
    if (enc.dictionary) {
      dictionaryOffset = BigInt(this.offset);
      const values = enc.dictionary.bytes;
      const page = body === undefined ? values : snappyCompress(values);
      const header = headerBytes({
        type: 'DICTIONARY_PAGE',
        uncompressed_page_size: values.length,
        compressed_page_size: page.length,
        dictionary_page_header: { num_values: enc.dictionary.count, encoding: 'PLAIN' },
      });
      this.emit(header);
      this.emit(page);
      uncompressed += header.length + values.length;
      encodings.push('RLE_DICTIONARY');
    }
    const levels = c.nullable ? (enc.levels ?? allPresent(enc.rows)) : new Uint8Array(0);
    if (c.nullable) encodings.push('RLE');
    const dataOffset = BigInt(this.offset);
    const header = headerBytes({
      type: 'DATA_PAGE_V2',
      uncompressed_page_size: levels.length + enc.body.length,
      compressed_page_size: levels.length + (body ?? enc.body).length,
      data_page_header_v2: {
        num_values: enc.rows,
        num_nulls: enc.nulls,
        num_rows: enc.rows,
        encoding: enc.dictionary ? 'RLE_DICTIONARY' : 'PLAIN',
        definition_levels_byte_length: levels.length,
        repetition_levels_byte_length: 0,
        is_compressed: body !== undefined,
      },
    });
    this.emit(header);
    if (levels.length) this.emit(levels);
    this.emit(body ?? enc.body);
    uncompressed += header.length + levels.length + enc.body.length;
    let statistics: Statistics | undefined;
    if (c.statistics) {
      statistics = { null_count: BigInt(enc.nulls) };
      if (enc.min !== undefined) {
        statistics.min_value = enc.min;
        statistics.max_value = enc.max;
      }
    }
    return {
      file_offset: BigInt(start),
      meta_data: {
        type: element.type ?? 'BYTE_ARRAY',
        encodings,
        path_in_schema: [c.name],
        codec: body === undefined ? 'UNCOMPRESSED' : 'SNAPPY',
        num_values: BigInt(enc.rows),
        total_uncompressed_size: BigInt(uncompressed),
        total_compressed_size: BigInt(this.offset - start),
        data_page_offset: dataOffset,
        dictionary_page_offset: dictionaryOffset,
        statistics,
      },
    };
  }
}

/** The bytes of a whole file of `columns` (one row group per `groupRows` rows). */
export function flatParquetBytes(columns: FlatColumn[], data: Column['data'][], groupRows = 1 << 20): Uint8Array {
  const pieces: Uint8Array[] = [];
  const w = new FlatParquetWriter(columns, (b) => pieces.push(b));
  const n = data[0]?.length ?? 0;
  if (n <= groupRows)
    w.writeRowGroup(
      data.map((d) => [d]),
      n,
    );
  else
    for (let at = 0; at < n; at += groupRows)
      w.writeRowGroup(
        data.map((d) => [d.slice(at, at + groupRows)]),
        Math.min(groupRows, n - at),
      );
  w.finish();
  return Buffer.concat(pieces);
}
