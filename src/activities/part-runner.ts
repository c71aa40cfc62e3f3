/**
 * The bucket layout's writer (src/contracts/partition.ts): solves several chunks (of one or many
 * consecutive scenarios) in order and writes ONE file per result table and one Parquet file of
 * their job records, named after the first chunk (src/io/bucket-layout.ts). The records file is
 * written last, atomically, so it marks the part done; on any error the part's files are
 * removed (the part counts as not run). The same part always gets the same names, so a retry
 * replaces and never duplicates.
 */
import { relative } from 'node:path';
import { rmSync } from 'node:fs';
import type { ChunkRef } from '../contracts/workflow-types';
import { bucketLayout, RECORD_JSON_COLUMNS } from '../io/bucket-layout';
import { jobRecordOf, JobRecord } from '../io/job-records';
import { ManifestColumnsBuilder } from '../io/manifest-columns';
import { writeManifestColumns } from '../io/manifest-table';
import { Column, writeParquetAtomic } from '../io/parquet';
import { RESULT_TABLES, resultTable, ResultTable } from '../io/result-tables';
import { isBucketed } from '../io/study-partition';
import { ChunkInput, ChunkResult, runChunk, solveChunkJobs } from './chunk-runner';

export interface PartInput {
  refs: ChunkRef[];
  stop?: SharedArrayBuffer;
}

export interface PartResult {
  total: ChunkResult;
  /** counts by scenario index */
  byScenario: Record<number, ChunkResult>;
}

/** A chunk as the study's layout writes it: its own files, or a part of one chunk. */
export function runChunkInLayout(input: ChunkInput): ChunkResult {
  return isBucketed(input.outDir) ? runPart({ refs: [input], stop: input.stop }).total : runChunk(input);
}

function append(into: Column[] | undefined, cols: Column[]): Column[] {
  if (!into) return cols.map((c) => ({ ...c, data: Array.from(c.data as ArrayLike<Column['data'][number]>) }));
  cols.forEach((c, k) => {
    const dst = into[k].data as unknown[];
    const src = c.data as ArrayLike<unknown>;
    for (let i = 0; i < src.length; i++) dst.push(src[i]);
  });
  return into;
}

export function runPart(input: PartInput): PartResult {
  const first = input.refs[0];
  const { outDir, task } = first;
  const tables = new Map<ResultTable, Column[]>();
  const records: (JobRecord & { scenario_index: number; chunk: number })[] = [];
  const byScenario: Record<number, ChunkResult> = {};
  for (const ref of input.refs) {
    const { jobs } = solveChunkJobs({ ...ref, stop: input.stop });
    for (const table of RESULT_TABLES) tables.set(table, append(tables.get(table), resultTable(table, task, jobs)));
    const counts = (byScenario[ref.scenarioIndex] ??= { ok: 0, failed: 0 });
    for (const j of jobs) {
      records.push({ ...jobRecordOf(j, []), scenario_index: ref.scenarioIndex, chunk: ref.chunk });
      if (j.solution.converged) counts.ok++;
      else counts.failed++;
    }
  }
  const recordsPath = bucketLayout.records(outDir, task, first.scenarioIndex, first.chunk);
  const written: string[] = [];
  try {
    const outputs: JobRecord['outputs'] = [];
    for (const table of RESULT_TABLES) {
      const cols = tables.get(table) ?? [];
      if (table !== 'summary' && (cols[0]?.data.length ?? 0) === 0) continue;
      const path = bucketLayout.tablePart(outDir, task, table, first.scenarioIndex, first.chunk);
      const sha256 = writeParquetAtomic(path, cols);
      written.push(path);
      outputs.push({ table, path: relative(outDir, path), sha256 });
    }
    const built = new ManifestColumnsBuilder();
    for (const r of records)
      built.add({ ...r, outputs: r.status === 'ok' ? outputs : outputs.filter((o) => o.table === 'summary') });
    const cols = built.columns();
    const unknown = cols.json.filter((c) => !RECORD_JSON_COLUMNS.includes(c));
    if (unknown.length) throw new Error(`job records: JSON columns ${unknown.join(', ')} not in RECORD_JSON_COLUMNS`);
    writeManifestColumns(recordsPath, cols);
  } catch (e) {
    // no part without its records, and no records of an earlier run whose parts were just replaced
    for (const p of written) rmSync(p, { force: true });
    if (written.length) rmSync(recordsPath, { force: true });
    throw e;
  }
  const total = { ok: 0, failed: 0 };
  for (const c of Object.values(byScenario)) {
    total.ok += c.ok;
    total.failed += c.failed;
  }
  return { total, byScenario };
}
