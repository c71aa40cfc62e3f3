/**
 * A Parquet file written one row group at a time (parquet-flat-writer.ts), so a large
 * table is never held whole: a part of the bucket layout (1,200 case118 jobs, ~430,000 rows over
 * its tables) or a million-job batch manifest. Same guarantees as writeParquetAtomic: the bytes go
 * to a temporary name that is renamed over `path` by finish() (abort() or any error removes it);
 * a full disk or a permission error becomes an OutputError naming `path`; finish() returns the
 * sha256 of the file, hashed as it is written. Every column is OPTIONAL (nulls allowed): the
 * nulls of later row groups are not known when the schema is written.
 */
import { createHash, Hash } from 'node:crypto';
import { closeSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { tempNameFor } from './atomic';
import { namingPath } from './output-errors';
import { KEY_COLUMNS } from './parquet-column-options';
import { FlatParquetWriter } from './parquet-flat-writer';
import { makeDirs } from './output-location';
import type { Column, ColumnType } from './parquet';

export class ParquetStream {
  private readonly tmp: string;
  private fd: number | undefined;
  private readonly hash: Hash = createHash('sha256');
  private pieces: Uint8Array[] = [];
  private buffered = 0;
  private readonly writer: FlatParquetWriter;
  private rowsWritten = 0;

  constructor(
    readonly path: string,
    readonly schema: { name: string; type: ColumnType }[],
  ) {
    this.tmp = tempNameFor(path);
    this.fd = namingPath(path, () => {
      makeDirs(dirname(path));
      return openSync(this.tmp, 'w');
    });
    this.writer = new FlatParquetWriter(
      schema.map((c) => ({ name: c.name, type: c.type, nullable: true, statistics: KEY_COLUMNS.has(c.name) })),
      (bytes) => {
        this.pieces.push(bytes);
        this.buffered += bytes.length;
      },
    );
  }

  get rows(): number {
    return this.rowsWritten;
  }

  /** Writes `columns` (the schema's, in its order) as one row group; no row group when they are empty. */
  write(columns: Column[]): void {
    this.writeGroup([columns]);
  }

  /**
   * Writes one row group from consecutive pieces (each the schema's columns, in its order: the
   * tables of a part's chunks), read as one without joining them first.
   */
  writeGroup(pieces: Column[][]): void {
    let n = 0;
    for (const columns of pieces) {
      const rows = columns[0]?.data.length ?? 0;
      columns.forEach((c, k) => {
        if (c.name !== this.schema[k]?.name || c.data.length !== rows)
          throw new Error(`${this.path}: column ${k} is '${c.name}' with ${c.data.length} rows, not the schema's`);
      });
      if (columns.length !== this.schema.length)
        throw new Error(`${this.path}: ${columns.length} columns, not the schema's ${this.schema.length}`);
      n += rows;
    }
    if (n === 0) return;
    namingPath(this.path, () => {
      this.writer.writeRowGroup(
        this.schema.map((_, k) => pieces.map((columns) => columns[k].data)),
        n,
      );
      this.flush(); // each row group to the file now: its pieces may be views of the columns' arrays
    });
    this.rowsWritten += n;
  }

  /** Ends the file, renames it into place and returns its sha256. */
  finish(): string {
    try {
      namingPath(this.path, () => {
        this.writer.finish();
        this.flush();
        closeSync(this.fd as number);
        this.fd = undefined;
        renameSync(this.tmp, this.path);
      });
    } catch (e) {
      this.abort();
      throw e;
    }
    return this.hash.digest('hex');
  }

  /** Removes the temporary file (nothing is left at `path` by this writer). */
  abort(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    rmSync(this.tmp, { force: true });
  }

  private flush(): void {
    const chunk = this.pieces.length === 1 ? this.pieces[0] : Buffer.concat(this.pieces, this.buffered);
    let off = 0;
    while (off < chunk.length) off += writeSync(this.fd as number, chunk, off, chunk.length - off);
    this.hash.update(chunk);
    this.pieces = [];
    this.buffered = 0;
  }
}

/** Writes `columns` as a ParquetStream file (every column OPTIONAL, row groups of `groupRows`); returns its sha256. */
export function writeParquetOptional(path: string, columns: Column[], groupRows = 65_536): string {
  const stream = new ParquetStream(
    path,
    columns.map((c) => ({ name: c.name, type: c.type })),
  );
  try {
    const n = columns[0]?.data.length ?? 0;
    if (n <= groupRows) stream.write(columns);
    else
      for (let at = 0; at < n; at += groupRows)
        stream.write(columns.map((c) => ({ ...c, data: c.data.slice(at, at + groupRows) as Column['data'] })));
    return stream.finish();
  } catch (e) {
    stream.abort();
    throw e;
  }
}
