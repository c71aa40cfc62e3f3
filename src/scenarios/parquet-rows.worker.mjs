// Reads a Parquet file into string cells, in a worker thread that synckit waits on, so the
// synchronous spec loader can read Parquet profiles (hyparquet is asynchronous and ESM-only).
import { readFileSync } from 'node:fs';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { runAsWorker } from 'synckit';

const cell = (v) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v));

runAsWorker(async (file) => {
  const buf = readFileSync(file);
  const ab = buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength);
  const meta = parquetMetadata(ab);
  const columns = meta.schema.slice(1).map((s) => s.name);
  const rows = await parquetReadObjects({ file: ab });
  return { columns, rows: rows.map((r) => columns.map((c) => cell(r[c]))) };
});
