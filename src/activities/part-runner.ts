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
import type { ChunkRef, StudyTask } from '../contracts/workflow-types';
import { bucketLayout, RECORD_JSON_COLUMNS } from '../io/bucket-layout';
import { jobRecordOf, JobRecord } from '../io/job-records';
import { ManifestColumnsBuilder } from '../io/manifest-columns';
import { writeManifestColumns } from '../io/manifest-table';
import type { Column } from '../io/parquet';
import { ParquetStream } from '../io/parquet-stream';
import { RESULT_TABLES, ResultTable, resultTable, resultTableRows, SolvedJob } from '../io/result-tables';
import { isBucketed } from '../io/study-partition';
import { ChunkInput, ChunkResult, runChunk, solveChunkJobs, studyFor } from './chunk-runner';
import { scenarioReader } from '../io/scenario-source';
import { rememberRecordRows } from '../io/records-cache';

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

/** Rows of a table buffered before they are written as one row group of its part file. */
const ROW_GROUP_ROWS = 65_536;

/**
 * Elements (buses + branches + generators) of the solved jobs a table holds before it builds
 * their columns: a part's one-slice chunks become a few large column pieces, not one small set
 * of ~40 columns per job (typed arrays outside the heap, ~1 us each), and the jobs held stay
 * bounded (~20 MB of solutions at this count).
 */
const PIECE_ELEMENTS = 262_144;

/**
 * One table of a part: its rows go to the file a row group at a time (the part is never held
 * whole). A row group ends after the chunk that brings it to ROW_GROUP_ROWS rows, as when each
 * chunk's columns were a piece of their own: the pieces' boundaries do not change the bytes.
 */
class PartTable {
  private stream: ParquetStream | undefined;
  private pending: Column[][] = [];
  private jobs: SolvedJob[] = [];
  private elements = 0;
  private rows = 0;
  constructor(
    readonly path: string,
    private readonly table: ResultTable,
    private readonly task: StudyTask,
  ) {}

  /** The jobs of one chunk. */
  add(jobs: SolvedJob[]): void {
    const n = resultTableRows(this.table, jobs);
    if (n === 0) return;
    for (const j of jobs) {
      this.jobs.push(j);
      this.elements += j.net.bus.n + j.net.branch.n + j.net.gen.n;
    }
    this.rows += n;
    if (this.elements >= PIECE_ELEMENTS) this.piece();
    if (this.rows >= ROW_GROUP_ROWS) this.flush();
  }

  /** true when the table has rows (or the stream is open) */
  get started(): boolean {
    return this.stream !== undefined || this.rows > 0;
  }

  /** The held jobs' columns as one piece. */
  private piece(): void {
    if (this.jobs.length === 0) return;
    this.pending.push(resultTable(this.table, this.task, this.jobs));
    this.jobs = [];
    this.elements = 0;
  }

  /** Writes what is buffered as one row group. */
  flush(): void {
    if (this.rows === 0) return;
    this.piece();
    this.stream ??= new ParquetStream(this.path, resultTable(this.table, this.task, []));
    const pieces = this.pending;
    this.pending = [];
    this.rows = 0;
    this.stream.writeGroup(pieces); // the pieces' columns as one row group, not joined
  }

  /** Ends the file (an empty one with the schema when `always` and no rows); returns its sha256. */
  finish(always: boolean): string | undefined {
    this.flush();
    if (!this.stream && !always) return undefined;
    this.stream ??= new ParquetStream(this.path, resultTable(this.table, this.task, []));
    return this.stream.finish();
  }

  abort(): void {
    this.stream?.abort();
  }
}

export function runPart(input: PartInput): PartResult {
  const first = input.refs[0];
  const { outDir, task } = first;
  const tables = RESULT_TABLES.map(
    (table) =>
      new PartTable(bucketLayout.tablePart(outDir, task, table, first.scenarioIndex, first.chunk), table, task),
  );
  const records: (JobRecord & { scenario_index: number; chunk: number })[] = [];
  const byScenario: Record<number, ChunkResult> = {};
  const recordsPath = bucketLayout.records(outDir, task, first.scenarioIndex, first.chunk);
  const written: string[] = [];
  try {
    // the study once, and the part's (consecutive) scenarios in one read, not one of each per chunk
    const study = studyFor(outDir);
    const scenarioAt = scenarioReader(
      study.source,
      input.refs.map((r) => r.scenarioIndex),
      2 * input.refs.length + 64,
    );
    for (const ref of input.refs) {
      const scenario = scenarioAt(ref.scenarioIndex, ref.scenarioId);
      const { jobs } = solveChunkJobs({ ...ref, stop: input.stop }, { study, scenario });
      for (const t of tables) t.add(jobs);
      const counts = (byScenario[ref.scenarioIndex] ??= { ok: 0, failed: 0 });
      for (const j of jobs) {
        records.push({ ...jobRecordOf(j, []), scenario_index: ref.scenarioIndex, chunk: ref.chunk });
        if (j.solution.converged) counts.ok++;
        else counts.failed++;
      }
    }
    const outputs: JobRecord['outputs'] = [];
    RESULT_TABLES.forEach((table, t) => {
      const sha256 = tables[t].finish(table === 'summary');
      if (sha256 === undefined) return;
      written.push(tables[t].path);
      outputs.push({ table, path: relative(outDir, tables[t].path), sha256 });
    });
    const built = new ManifestColumnsBuilder();
    for (const r of records)
      built.add({ ...r, outputs: r.status === 'ok' ? outputs : outputs.filter((o) => o.table === 'summary') });
    const cols = built.columns();
    const unknown = cols.json.filter((c) => !RECORD_JSON_COLUMNS.includes(c));
    if (unknown.length) throw new Error(`job records: JSON columns ${unknown.join(', ')} not in RECORD_JSON_COLUMNS`);
    writeManifestColumns(recordsPath, cols);
    rememberRecordRows(recordsPath, cols.columns); // for the batch manifest, if this thread writes it
  } catch (e) {
    // no part without its records, and no records of an earlier run whose parts were just replaced
    for (const t of tables) t.abort();
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
