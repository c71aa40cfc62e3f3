/**
 * The rows of the job-records files this thread wrote (the bucket layout's parts,
 * src/activities/part-runner.ts), as a reader of the file gets them back, so the batch manifest
 * that the same solve thread writes next (src/io/bucket-records.ts) does not read and decode
 * them again: reading a 1,000-job study's four records files with hyparquet was most of its
 * manifest's time. Keyed by path and file version (inode, size, mtime: a file replaced since is
 * read from disk), at most MAX_ROWS rows in all (the oldest files go first).
 */
import { statSync } from 'node:fs';
import type { Column } from './parquet';

type Row = Record<string, unknown>;

/** Rows held in all (a million-job study's records are read from disk past this). */
const MAX_ROWS = 65_536;

const cache = new Map<string, { version: string; rows: number; columns: Column[] }>();
let held = 0;

function versionOf(path: string): string | undefined {
  const st = statSync(path, { throwIfNoEntry: false });
  return st ? `${st.ino}:${st.size}:${st.mtimeMs}` : undefined;
}

/** A written value as the Parquet reader returns it: NaN and missing values are null, an INT32 -0 is 0. */
function asRead(type: Column['type'], v: unknown): unknown {
  if (v === undefined || v === null || (typeof v === 'number' && v !== v)) return null;
  if (type === 'INT32' && v === 0) return 0;
  return v;
}

function forget(path: string): void {
  const hit = cache.get(path);
  if (!hit) return;
  cache.delete(path);
  held -= hit.rows;
}

/**
 * Remembers the rows of the records file just written at `path` from the columns it was written
 * from (held as they are: the rows are made only if the file is read, off the part's path).
 */
export function rememberRecordRows(path: string, columns: Column[]): void {
  forget(path);
  const n = columns[0]?.data.length ?? 0;
  const version = versionOf(path);
  if (n > MAX_ROWS || version === undefined) return;
  for (const [p] of cache) {
    if (held + n <= MAX_ROWS) break;
    forget(p);
  }
  cache.set(path, { version, rows: n, columns });
  held += n;
}

/** The remembered rows of the records file at `path`, when it is still the file they were written to. */
export function rememberedRecordRows(path: string): Row[] | undefined {
  const hit = cache.get(path);
  if (!hit) return undefined;
  if (hit.version !== versionOf(path)) {
    forget(path);
    return undefined;
  }
  const rows: Row[] = new Array<Row>(hit.rows);
  for (let i = 0; i < hit.rows; i++) {
    const r: Row = {};
    for (const c of hit.columns) r[c.name] = asRead(c.type, c.data[i]);
    rows[i] = r;
  }
  return rows;
}
