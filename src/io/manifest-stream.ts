/**
 * batch_manifest.parquet written a row group at a time (MANIFEST_GROUP_ROWS jobs), so the
 * manifest stage holds one group of job records, not the study's: a million-job manifest built
 * in memory took ~500 MB of worker RSS on top of the solve threads' heaps.
 *
 * The columns follow the rules of manifest-table.ts, fixed by the first group: a record field
 * of unknown type that is numeric is written DOUBLE (a later group's fractional values fit), and
 * a later group's column that is all null takes the group's type. A later group that does not
 * fit (a new field, a field that changes kind) makes add() return false: the caller removes the
 * stream (abort) and builds the manifest in memory, as before.
 */
import type { ManifestJob } from './job-records';
import type { BatchStats } from '../contracts/workflow-types';
import type { Column, ColumnType } from './parquet';
import { isKnownColumn, ManifestColumnsBuilder } from './manifest-columns';
import type { ManifestTableInfo } from './manifest-table';
import { ParquetStream } from './parquet-stream';

/** Jobs per row group of a streamed manifest. */
export const MANIFEST_GROUP_ROWS = 65_536;

export class ManifestStream {
  private readonly built = new ManifestColumnsBuilder();
  private stream: ParquetStream | undefined;
  private schema: { name: string; type: ColumnType }[] = [];
  private json: string[] = [];

  constructor(
    readonly path: string,
    private readonly groupRows = MANIFEST_GROUP_ROWS,
  ) {}

  /** Adds a job; false when its group does not fit the columns written so far (see the file comment). */
  add(job: ManifestJob): boolean {
    this.built.add(job);
    return this.built.pending < this.groupRows || this.writeGroup();
  }

  get count(): number {
    return this.built.count;
  }

  stats(): BatchStats {
    return this.built.stats();
  }

  /** Writes the last group and renames the file into place; undefined when the group did not fit. */
  finish(): ManifestTableInfo | undefined {
    if (this.built.pending > 0 || !this.stream) {
      if (!this.writeGroup()) return undefined;
    }
    const stream = this.stream as ParquetStream;
    return { columns: this.schema.map((c) => c.name), json_columns: this.json, sha256: stream.finish() };
  }

  /** Removes the unfinished file. */
  abort(): void {
    this.stream?.abort();
    this.stream = undefined;
  }

  private writeGroup(): boolean {
    const { columns, json } = this.built.drain();
    if (!this.stream) {
      this.schema = columns.map((c) => ({
        name: c.name,
        type: c.type === 'INT32' && !isKnownColumn(c.name) && !c.name.startsWith('output_') ? 'DOUBLE' : c.type,
      }));
      this.json = json;
      this.stream = new ParquetStream(this.path, this.schema);
    }
    const fitted = this.fit(columns, json);
    if (!fitted) return false;
    this.stream.write(fitted);
    return true;
  }

  /** The group's columns in the stream's schema, or undefined when they do not fit. */
  private fit(columns: Column[], json: string[]): Column[] | undefined {
    if (columns.length !== this.schema.length) return undefined;
    const out: Column[] = [];
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k];
      const want = this.schema[k];
      if (c.name !== want.name) return undefined;
      const allNull = (c.data as unknown[]).every((v) => v === null);
      const sameKind =
        c.type === want.type
          ? json.includes(c.name) === this.json.includes(c.name)
          : c.type === 'INT32' && want.type === 'DOUBLE';
      if (!sameKind && !allNull) return undefined;
      out.push({ name: c.name, type: want.type, data: c.data });
    }
    return out;
  }
}
