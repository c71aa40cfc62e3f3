/**
 * retry-failed on a bucketed study (src/contracts/partition.ts). A failed chunk's rows share
 * their part files with other scenarios' rows, so before the chunk runs again its part is
 * rewritten without it ("released"): the kept rows go to a part named after its first kept
 * chunk (tables, then records), then the old part's tables and records are removed. The re-run
 * chunks then write new parts named after themselves, so no name is shared and nothing is
 * duplicated. A crash in between leaves the old records file with its failed chunks: the next
 * retry-failed releases it again (the same kept rows, the same new name), so it converges.
 */
import { rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Task } from '../solvers/solution';
import { bucketLayout, RECORD_JSON_COLUMNS } from './bucket-layout';
import { ChunkCounts, recordFilesWithFailures } from './bucket-records';
import type { JobRecord } from './job-records';
import { ManifestColumnsBuilder } from './manifest-columns';
import { readManifestTable, writeManifestColumns } from './manifest-table';
import type { Column } from './parquet';
import { writeParquetOptional } from './parquet-stream';
import { readParquetRows } from './parquet-rows';
import { RESULT_TABLES, resultTable } from './result-tables';

type Rec = JobRecord & { scenario_index: number; chunk: number };

/** Releases every failed chunk of the study (see the file comment); `recorded` loses them. */
export async function releaseFailedChunks(
  out: string,
  task: Task,
  recorded: Map<number, Map<number, ChunkCounts>>,
): Promise<number> {
  let released = 0;
  for (const file of await recordFilesWithFailures(out, task)) {
    const recs = (await readManifestTable(file, RECORD_JSON_COLUMNS)) as Rec[];
    const failed = new Set(recs.filter((r) => r.status !== 'ok').map((r) => `${r.scenario_index}:${r.chunk}`));
    if (failed.size === 0) continue;
    const keep = recs.filter((r) => !failed.has(`${r.scenario_index}:${r.chunk}`));
    await rewritePart(out, task, file, recs, keep);
    for (const k of failed) {
      const [s, c] = k.split(':').map(Number);
      recorded.get(s)?.delete(c);
      released++;
    }
  }
  return released;
}

async function rewritePart(out: string, task: Task, oldRecords: string, recs: Rec[], keep: Rec[]): Promise<void> {
  const oldByTable = new Map<string, string>();
  for (const r of recs) for (const o of r.outputs) oldByTable.set(o.table, o.path);
  const written = new Set<string>();
  if (keep.length) {
    const first = keep.reduce((a, r) =>
      r.scenario_index < a.scenario_index || (r.scenario_index === a.scenario_index && r.chunk < a.chunk) ? r : a,
    );
    const kept = new Set(keep.map((r) => r.job_id));
    const outputs: JobRecord['outputs'] = [];
    for (const table of RESULT_TABLES) {
      const old = oldByTable.get(table);
      if (!old) continue;
      const schema = resultTable(table, task, []);
      const rows = (await readParquetRows(join(out, old))).filter((r) =>
        kept.has(`${task}:${String(r.scenario_id)}:${r.time === null ? '-' : String(r.time)}`),
      );
      if (table !== 'summary' && rows.length === 0) continue;
      const cols: Column[] = schema.map((c) => ({ ...c, data: rows.map((r) => (r[c.name] ?? null) as never) }));
      const path = bucketLayout.tablePart(out, task, table, first.scenario_index, first.chunk);
      outputs.push({ table, path: relative(out, path), sha256: writeParquetOptional(path, cols) }); // as part-runner.ts writes parts
      written.add(relative(out, path));
    }
    const built = new ManifestColumnsBuilder();
    for (const r of keep)
      built.add({ ...r, outputs: r.status === 'ok' ? outputs : outputs.filter((o) => o.table === 'summary') });
    const newRecords = bucketLayout.records(out, task, first.scenario_index, first.chunk);
    writeManifestColumns(newRecords, built.columns());
    if (newRecords === oldRecords) written.add(relative(out, oldRecords)); // the same part: replaced in place
  }
  for (const p of oldByTable.values()) if (!written.has(p)) rmSync(join(out, p), { force: true });
  if (!written.has(relative(out, oldRecords))) rmSync(oldRecords, { force: true });
}
